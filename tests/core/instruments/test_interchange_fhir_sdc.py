"""FHIR import of Questionnaires as SDC form builders write them.

The measurement facts exercised here come from the HL7 Structured Data Capture guide's own
PHQ-9 example (``questionnaire-sdc-profile-example-PHQ9``, SDC 4.0.0 ballot): nine ``choice``
items whose answers come from a *contained* ValueSet (``answerValueSet = "#VSPHQ9"``) carrying
the weights, and a total item with a ``calculatedExpression``
(``%resource.item.where(linkId!='H1/TS').answer.value.weight().sum()``) whose description lists
the score bands. The published PHQ-9 total is the 0-27 sum of nine 0-3 items, higher worse,
bands 0-4, 5-9, 10-14, 15-19, 20-27 (Kroenke, Spitzer & Williams 2001, J Gen Intern Med
16:606-613). The item wording below is made up for these tests (no questionnaire text is
committed; DESIGN.md, "Instruments and copyright").
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance import instruments_cli
from alliance.core.instruments import score
from alliance.core.instruments.interchange import InterchangeError, import_questionnaire
from alliance.core.instruments.interchange.fhir import (
    EXT_CALCULATED,
    EXT_ITEM_WEIGHT,
    EXT_ORDINAL_VALUE,
    EXT_ORDINAL_VALUE_STU3,
)

BANDS = (
    "Score (0-4: None-minimal; 5-9: Mild; 10-14: Moderate; 15-19: Moderately severe; 20-27: Severe)"
)


def concept(code: str, display: str, weight: float, url: str = EXT_ITEM_WEIGHT) -> dict[str, Any]:
    return {"code": code, "display": display, "extension": [{"url": url, "valueDecimal": weight}]}


FREQUENCY = [
    concept("never", "Never", 0),
    concept("some", "Some days", 1),
    concept("most", "Most days", 2),
    concept("always", "Every day", 3),
]


def sdc_questionnaire(**changes: Any) -> dict[str, Any]:
    """A nine-item SDC-style form shaped like the guide's PHQ-9 example."""
    questions = [
        {
            "linkId": f"H1/T1/Q{i}",
            "text": f"Made-up question {i}",
            "type": "choice",
            "answerValueSet": "#freq",
        }
        for i in range(1, 10)
    ]
    total = {
        "linkId": "H1/TS",
        "text": "Total score",
        "type": "quantity",
        "extension": [
            {
                "url": EXT_CALCULATED,
                "valueExpression": {
                    "description": BANDS,
                    "name": "score",
                    "language": "text/fhirpath",
                    "expression": "%resource.item.where(linkId!='H1/TS').answer.value"
                    ".weight().sum()",
                },
            }
        ],
    }
    questionnaire: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "url": "http://example.org/fhir/Questionnaire/sdc-nine-item",
        "name": "SDCNineItem",
        "title": "A nine-item screener",
        "status": "active",
        "language": "en-US",
        "contained": [
            {
                "resourceType": "ValueSet",
                "id": "freq",
                "status": "active",
                "compose": {
                    "include": [{"system": "http://example.org/cs/freq", "concept": FREQUENCY}]
                },
            }
        ],
        "item": [
            {
                "linkId": "H1/T1",
                "text": "In the last two weeks",
                "type": "group",
                "item": questions,
            },
            total,
        ],
    }
    questionnaire.update(changes)
    return questionnaire


def test_answers_from_a_contained_value_set_import_with_their_weights() -> None:
    result = import_questionnaire(sdc_questionnaire())
    items = result.definition.items
    assert len(items) == 9
    response = items[0].response
    assert (response.min, response.max) == (0, 3)
    assert dict(response.anchors)[3] == "Every day"


def test_a_calculated_total_of_weights_becomes_a_zero_to_27_sum_higher_worse() -> None:
    result = import_questionnaire(sdc_questionnaire())
    (scale,) = result.definition.scales
    assert scale.rule.value == "sum"
    assert (scale.range_min, scale.range_max) == (0, 27)
    assert scale.direction.value == "higher_is_worse"
    assert len(scale.items) == 9
    assert [(b.label, b.min, b.max) for b in scale.bands] == [
        ("None-minimal", 0, 5),
        ("Mild", 5, 10),
        ("Moderate", 10, 15),
        ("Moderately severe", 15, 20),
        ("Severe", 20, 27),
    ]
    # The direction is an assumption and the warning says so.
    assert any("higher is worse assumed" in w for w in result.warnings)
    # Scored as the published instrument is: the sum, and its band.
    definition = result.definition
    answers = pd.DataFrame(
        [{item.id: 3 for item in definition.items}, {item.id: 1 for item in definition.items}]
    )
    frame = score(definition, answers).frame
    assert list(frame[f"{scale.id}_score"]) == [27, 9]
    assert list(frame[f"{scale.id}_band"].astype(str)) == ["Severe", "Mild"]


def test_the_direction_can_be_stated_instead_of_assumed() -> None:
    result = import_questionnaire(sdc_questionnaire(), direction="higher_is_better")
    assert result.definition.scales[0].direction.value == "higher_is_better"
    assert any("as given" in w for w in result.warnings)


@pytest.mark.parametrize("url", [EXT_ORDINAL_VALUE, EXT_ORDINAL_VALUE_STU3, EXT_ITEM_WEIGHT])
def test_an_expanded_value_set_with_ordinal_values_is_read(url: str) -> None:
    source = sdc_questionnaire()
    source["contained"][0] = {
        "resourceType": "ValueSet",
        "id": "freq",
        "status": "active",
        "expansion": {
            "timestamp": "2024-01-01T00:00:00Z",
            "contains": [
                {
                    "system": "http://example.org/cs/freq",
                    **concept(c["code"], c["display"], w, url),
                }
                for c, w in zip(FREQUENCY, (0, 1, 2, 3), strict=True)
            ],
        },
    }
    result = import_questionnaire(source)
    assert result.definition.scales[0].range_max == 27


def test_a_value_set_that_is_not_contained_is_refused_naming_every_item() -> None:
    source = sdc_questionnaire()
    for item in source["item"][0]["item"]:
        item["answerValueSet"] = "http://loinc.org/vs/LL358-3"
    with pytest.raises(InterchangeError) as caught:
        import_questionnaire(source)
    problems = caught.value.problems
    assert len(problems) == 9
    assert all("not contained in the file" in problem for _, problem in problems)
    assert problems[0][0] == "item[0].item[0] (linkId 'H1/T1/Q1')"


def test_a_calculated_expression_that_is_not_a_sum_is_listed_not_guessed() -> None:
    source = sdc_questionnaire()
    source["item"][1]["extension"][0]["valueExpression"]["expression"] = (
        "%resource.item.answer.value.weight().avg()"
    )
    result = import_questionnaire(source)
    (skipped,) = result.not_imported
    assert skipped.field == "H1/TS"
    assert "not a sum of answer weights" in skipped.reason
    assert result.definition.scales[0].title.startswith("Total (provisional")


def test_bands_that_do_not_tile_the_range_are_dropped_with_a_warning() -> None:
    source = sdc_questionnaire()
    # The guide's own example has a typo ("19-14"); such bands are not kept.
    source["item"][1]["extension"][0]["valueExpression"]["description"] = BANDS.replace(
        "10-14", "19-14"
    )
    result = import_questionnaire(source)
    assert result.definition.scales[0].bands == ()
    assert any("none were kept" in w for w in result.warnings)


def test_a_total_limited_to_named_items_sums_only_those() -> None:
    source = sdc_questionnaire()
    source["item"][1]["extension"][0]["valueExpression"]["expression"] = (
        "%resource.item.item.where(linkId='H1/T1/Q1' or linkId='H1/T1/Q2').answer.value"
        ".weight().sum()"
    )
    del source["item"][1]["extension"][0]["valueExpression"]["description"]
    scale = import_questionnaire(source).definition.scales[0]
    assert scale.items == ("h1_t1_q1", "h1_t1_q2")
    assert scale.range_max == 6


def test_ids_come_from_the_source_and_are_never_shared() -> None:
    no_name = sdc_questionnaire()
    del no_name["name"]
    other = copy.deepcopy(no_name)
    other["url"] = "http://example.org/fhir/Questionnaire/another-form"
    assert import_questionnaire(no_name).definition.id == "sdc_nine_item"
    assert import_questionnaire(other).definition.id == "another_form"
    assert import_questionnaire(sdc_questionnaire()).definition.id == "sdcnineitem"


def test_a_questionnaire_with_nothing_to_name_it_by_is_refused() -> None:
    source = sdc_questionnaire()
    for key in ("name", "url", "title"):
        del source[key]
    with pytest.raises(InterchangeError, match="no name, url, id or title"):
        import_questionnaire(source)
    # An id given by the caller is enough.
    assert import_questionnaire(source, instrument_id="screener").definition.id == "screener"


def test_the_source_language_is_recorded() -> None:
    assert "Source language: en-US." in import_questionnaire(sdc_questionnaire()).definition.notes


def test_the_command_prints_every_items_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = sdc_questionnaire()
    for item in source["item"][0]["item"]:
        item["answerValueSet"] = "http://loinc.org/vs/LL358-3"
    path = tmp_path / "q.json"
    path.write_text(json.dumps(source))
    parser = argparse.ArgumentParser(prog="alliance instruments")
    instruments_cli.add_subparsers(parser.add_subparsers(dest="instruments_command"))
    assert instruments_cli.run(parser.parse_args(["import-fhir", str(path)])) == 2
    message = capsys.readouterr().err
    assert "9 problems" in message
    assert all(f"linkId 'H1/T1/Q{i}'" in message for i in range(1, 10))


_ITEM_TYPES = ["choice", "integer", "decimal", "boolean", "string", "date", "group", "quantity"]
_weights = st.one_of(st.none(), st.integers(-3, 5), st.floats(-2, 5, allow_nan=False))


@st.composite
def _questionnaires(draw: st.DrawFn) -> dict[str, Any]:
    source = sdc_questionnaire()
    items = []
    for i in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(_ITEM_TYPES))
        item: dict[str, Any] = {"linkId": f"i{i}", "type": kind, "text": "Made up"}
        if kind == "choice":
            item["answerValueSet"] = draw(st.sampled_from(["#freq", "#nope", "http://x.org/vs"]))
        if kind == "group":
            item["item"] = [{"linkId": f"g{i}", "type": "boolean"}]
        if kind == "quantity" and draw(st.booleans()):
            item["extension"] = [
                {
                    "url": EXT_CALCULATED,
                    "valueExpression": {
                        "language": "text/fhirpath",
                        "expression": draw(
                            st.sampled_from(
                                [
                                    "%resource.item.answer.value.weight().sum()",
                                    "%resource.item.where(linkId='i0').answer.value.ordinal()"
                                    ".sum()",
                                    "1 + 1",
                                ]
                            )
                        ),
                    },
                }
            ]
        items.append(item)
    source["item"] = items
    weights = [draw(_weights) for _ in FREQUENCY]
    source["contained"][0]["compose"]["include"][0]["concept"] = [
        {"code": c["code"], "display": c["display"]}
        | ({"extension": [{"url": EXT_ITEM_WEIGHT, "valueDecimal": w}]} if w is not None else {})
        for c, w in zip(FREQUENCY, weights, strict=True)
    ]
    return source


@settings(max_examples=150, deadline=None)
@given(_questionnaires())
def test_any_questionnaire_imports_or_is_refused_with_a_reason(source: dict[str, Any]) -> None:
    """No crash: a definition that loads, or an InterchangeError naming a place."""
    problems: tuple[tuple[str, str], ...] = ()
    try:
        result = import_questionnaire(source)
    except InterchangeError as exc:
        problems = exc.problems
    if problems:
        assert all(where and problem for where, problem in problems)
        return
    assert result.definition.items
    assert result.definition.scales
