"""FHIR R4: Questionnaire import and export, and administrations as Bundles.

The vendor-style Questionnaires below are written for these tests with made-up wording.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.core.instruments import ResponseKind, bundled_ids, get_bundled, load_definition
from alliance.core.instruments.interchange import (
    InterchangeError,
    definition_to_dict,
    export_administration,
    export_questionnaire,
    import_questionnaire,
)
from alliance.core.instruments.interchange.fhir import (
    EXT_ITEM_WEIGHT,
    EXT_MAX_VALUE,
    EXT_MIN_VALUE,
    EXT_ORDINAL_VALUE,
    EXT_SCORING,
)
from alliance.core.instruments.interchange.fhir_administration import SCALES_CODE_SYSTEM
from alliance.core.instruments.interchange.serialize import provisional_total

WHEN = datetime(2025, 3, 4, 19, 30, tzinfo=timezone(timedelta(hours=-5)))


def strip_alliance_extensions(questionnaire: dict[str, Any]) -> dict[str, Any]:
    """What a system that ignores Alliance's extensions keeps."""
    out: dict[str, Any] = json.loads(json.dumps(questionnaire))
    out["extension"] = [e for e in out.get("extension", []) if "alliance" not in e["url"]]
    for item in out["item"]:
        kept = [e for e in item.get("extension", []) if "alliance" not in e["url"]]
        item["extension"] = kept
        if not kept:
            del item["extension"]
    if not out["extension"]:
        del out["extension"]
    return out


def option(code: str, weight: float | None, *, url: str = EXT_ITEM_WEIGHT, on: str = "option",
           display: str | None = None) -> dict[str, Any]:  # fmt: skip
    coding: dict[str, Any] = {"code": code}
    if display:
        coding["display"] = display
    out: dict[str, Any] = {"valueCoding": coding}
    if weight is not None:
        ext = [{"url": url, "valueDecimal": weight}]
        if on == "option":
            out["extension"] = ext
        else:
            coding["extension"] = ext
    return out


def vendor_questionnaire(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": "mood-check",
        "url": "https://example.org/Questionnaire/mood-check",
        "name": "MoodCheck",
        "version": "2.1",
        "title": "Mood check",
        "status": "active",
        "item": list(items),
    }


@pytest.mark.parametrize("instrument_id", bundled_ids())
def test_export_then_import_gives_back_the_same_definition(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    result = import_questionnaire(json.dumps(export_questionnaire(definition)))
    assert result.definition == definition
    assert result.warnings == ()
    assert result.not_imported == ()


def test_exported_wording_is_only_what_the_definition_holds() -> None:
    bare = export_questionnaire(get_bundled("scs_sf"))
    assert all("text" not in item for item in bare["item"])
    assert all("display" not in o["valueCoding"] for o in bare["item"][0]["answerOption"])
    worded = export_questionnaire(get_bundled("alliance_checkout"))
    assert worded["item"][0]["text"].startswith("Today I felt respected")


def test_reverse_keyed_items_carry_keyed_weights_for_other_systems() -> None:
    exported = export_questionnaire(get_bundled("scs_sf"))
    first = exported["item"][0]  # scs_sf_01 is reverse-keyed
    weights = {
        o["valueCoding"]["code"]: o["extension"][0]["valueDecimal"] for o in first["answerOption"]
    }
    assert weights == {"1": 5, "2": 4, "3": 3, "4": 2, "5": 1}
    assert exported["identifier"] == [
        {"system": "https://alliance.example/fhir/instrument-id", "value": "scs_sf"}
    ]
    assert exported["id"] == "scs-sf"


@pytest.mark.parametrize("instrument_id", ["scs_sf", "gsrs", "ace10", "dass21", "ceas"])
def test_without_alliance_extensions_items_and_ranges_survive(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    stripped = strip_alliance_extensions(export_questionnaire(definition))
    result = import_questionnaire(stripped, instrument_id=instrument_id)
    got = result.definition
    assert [i.id for i in got.items] == [i.id for i in definition.items]
    assert [
        (i.response.kind, i.response.min, i.response.max, i.response.step) for i in got.items
    ] == [
        (i.response.kind, i.response.min, i.response.max, i.response.step) for i in definition.items
    ]
    # Reverse keys live on in the weights: the item becomes forward-keyed on the keyed value.
    assert not any(item.reverse for item in got.items)
    assert [s.id for s in got.scales] == ["total"]
    assert any("provisional" in w for w in result.warnings)


def test_a_vendor_questionnaire_is_imported_with_weights_groups_and_ordinal_values() -> None:
    questionnaire = vendor_questionnaire(
        {"linkId": "intro", "type": "display", "text": "About the last week."},
        {
            "linkId": "part-1",
            "type": "group",
            "item": [
                {
                    "linkId": "1.1",
                    "type": "choice",
                    "text": "I felt calm.",
                    "answerOption": [
                        option("LA1", 3, display="Never"),
                        option("LA2", 2, display="Sometimes"),
                        option("LA3", 1, display="Often"),
                        option("LA4", 0, display="Always"),
                    ],
                },
                {
                    "linkId": "1.2",
                    "type": "choice",
                    "text": "I slept well.",
                    "answerOption": [
                        option("a", 0, url=EXT_ORDINAL_VALUE, on="coding"),
                        option("b", 1, url=EXT_ORDINAL_VALUE, on="coding"),
                        option("c", 2, url=EXT_ORDINAL_VALUE, on="coding"),
                        option("d", 3, url=EXT_ORDINAL_VALUE, on="coding"),
                    ],
                },
            ],
        },
        {"linkId": "agree", "type": "boolean", "text": "I would come again."},
        {
            "linkId": "hours",
            "type": "decimal",
            "text": "Hours of sleep",
            "extension": [
                {"url": EXT_MIN_VALUE, "valueDecimal": 0},
                {"url": EXT_MAX_VALUE, "valueDecimal": 24},
            ],
        },
        {"linkId": "comments", "type": "text", "text": "Anything else?"},
        {"linkId": "visit", "type": "date", "text": "Date"},
    )
    result = import_questionnaire(questionnaire)
    d = result.definition
    assert d.id == "moodcheck"
    assert d.version == "2.1"
    assert [i.id for i in d.items] == ["q1_1", "q1_2", "agree", "hours", "comments"]
    calm = d.item("q1_1")
    assert (calm.response.kind, calm.response.min, calm.response.max) == (ResponseKind.LIKERT, 0, 3)
    assert dict(calm.response.anchors) == {3: "Never", 2: "Sometimes", 1: "Often", 0: "Always"}
    assert calm.text == "I felt calm."
    assert (d.item("q1_2").response.min, d.item("q1_2").response.max) == (0, 3)
    assert d.item("agree").response.kind is ResponseKind.YES_NO
    hours = d.item("hours").response
    assert (hours.kind, hours.min, hours.max, hours.step) == (ResponseKind.NUMBER, 0, 24, None)
    assert d.item("comments").response.kind is ResponseKind.FREE_TEXT
    assert [(n.field, n.reason) for n in result.not_imported] == [
        ("visit", "type 'date': dates are not instrument answers")
    ]
    assert result.item_ids[0] == ("1.1", "q1_1")
    assert any("'1.1' -> 'q1_1'" in w for w in result.warnings)
    assert d.licence.status.value == "permission_required"
    assert d.scales[0].items == ("q1_1", "q1_2", "agree", "hours")


def test_itemweight_on_the_option_wins_over_ordinal_value_and_codes() -> None:
    both = option("1", 10, url=EXT_ORDINAL_VALUE, on="coding")
    both["extension"] = [{"url": EXT_ITEM_WEIGHT, "valueDecimal": 4}]
    questionnaire = vendor_questionnaire(
        {"linkId": "q", "type": "choice", "answerOption": [both, option("2", None)]}
    )
    item = import_questionnaire(questionnaire).definition.item("q")
    assert (item.response.min, item.response.max) == (2, 4)


def test_fractional_weights_make_a_number_item() -> None:
    questionnaire = vendor_questionnaire(
        {"linkId": "q", "type": "choice", "answerOption": [option("a", 0), option("b", 0.5)]}
    )
    response = import_questionnaire(questionnaire).definition.item("q").response
    assert (response.kind, response.min, response.max, response.step) == (
        ResponseKind.NUMBER, 0, 0.5, None
    )  # fmt: skip


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (
            {
                "linkId": "q",
                "type": "choice",
                "answerOption": [option("x", None), option("y", None)],
            },
            "answerOption[0] has no itemWeight or ordinalValue and its value is not a number",
        ),
        ({"linkId": "q", "type": "choice", "answerValueSet": "http://x.org/vs"}, "ValueSet"),
        ({"linkId": "q", "type": "open-choice"}, "free-text alternative"),
        ({"linkId": "q", "type": "integer"}, "needs both minValue and maxValue"),
        ({"linkId": "q", "type": "string", "repeats": True}, "repeating items"),
        ({"linkId": "q", "type": "attachment"}, "attachments"),
    ],
)
def test_what_cannot_be_scored_is_listed_with_the_reason(item: dict[str, Any], reason: str) -> None:
    questionnaire = vendor_questionnaire(item, {"linkId": "ok", "type": "boolean"})
    result = import_questionnaire(questionnaire)
    [skipped] = result.not_imported
    assert skipped.field == "q"
    assert skipped.where == "item[0]"
    assert reason in skipped.reason


def test_enable_when_is_ignored_with_a_warning() -> None:
    questionnaire = vendor_questionnaire(
        {"linkId": "a", "type": "boolean"},
        {
            "linkId": "b",
            "type": "boolean",
            "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": True}],
        },
    )
    assert any("enableWhen on 1 item" in w for w in import_questionnaire(questionnaire).warnings)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{not json", r"\(root\): not valid JSON"),
        ({"resourceType": "Patient"}, "resourceType: expected 'Questionnaire', got 'Patient'"),
        ({"resourceType": "Questionnaire"}, "status.*not valid FHIR R4"),
        (
            vendor_questionnaire({"linkId": "when", "type": "date"}),
            r"item\[0\] \(linkId 'when'\): type 'date': dates are not instrument answers",
        ),
        (
            vendor_questionnaire(
                {"linkId": "A", "type": "boolean"}, {"linkId": "a", "type": "boolean"}
            ),
            r"item\[1\]: linkId 'a' gives item id 'a', as item\[0\] \(linkId 'A'\) does",
        ),
        (
            vendor_questionnaire({"linkId": "c", "type": "text"}),
            "items: no numeric item to score",
        ),
    ],
)
def test_bad_questionnaires_are_refused_with_the_place(source: Any, message: str) -> None:
    with pytest.raises(InterchangeError, match=message):
        import_questionnaire(source)


def test_a_scoring_extension_that_does_not_fit_the_items_is_refused() -> None:
    exported = export_questionnaire(get_bundled("scs_sf"))
    exported["item"] = exported["item"][:-1]
    with pytest.raises(InterchangeError, match=r"extension instrument-scoring.*unknown item"):
        import_questionnaire(exported)


def test_inconsistent_reverse_weights_are_refused() -> None:
    exported = export_questionnaire(get_bundled("scs_sf"))
    exported["item"][0]["answerOption"][0]["extension"][0]["valueDecimal"] = 1
    with pytest.raises(InterchangeError, match=r"item\[0\].answerOption\[0\]: reverse-keyed"):
        import_questionnaire(exported)
    assert EXT_SCORING in json.dumps(exported)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_an_administration_becomes_a_response_and_one_observation_per_scale() -> None:
    definition = get_bundled("scs_sf")
    answers: dict[str, object] = {item.id: 3 for item in definition.items}
    answers["scs_sf_01"] = 1  # reverse-keyed: counts as 5
    bundle = export_administration(
        definition, answers, administration_id="adm-7", subject="Patient/p-1", authored=WHEN
    )
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == "https://alliance.example/fhir/Questionnaire/scs-sf|1.0.0"
    assert response["authored"] == "2025-03-04T19:30:00-05:00"
    assert response["item"][0] == {
        "linkId": "scs_sf_01",
        "answer": [{"valueCoding": {"code": "1"}}],
    }
    [observation] = resources(bundle, "Observation")
    assert observation["code"]["coding"][0]["system"] == SCALES_CODE_SYSTEM
    assert observation["code"]["coding"][0]["code"] == "scs_sf.total"
    assert len(observation["code"]["coding"]) == 1  # no LOINC code is claimed
    assert observation["valueQuantity"]["value"] == pytest.approx((5 + 3 * 11) / 12)
    assert observation["interpretation"] == [{"text": "moderate"}]
    assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/adm-7"}]
    assert "engine" in observation["method"]["text"]


def test_every_answer_type_is_written_and_unscored_scales_have_a_reason() -> None:
    ace = get_bundled("ace10")
    bundle = export_administration(
        ace, {"ace_01": 1, "ace_02": 0}, administration_id="a1", subject="Patient/1", authored=WHEN
    )
    [response] = resources(bundle, "QuestionnaireResponse")
    assert [i["answer"][0] for i in response["item"]] == [
        {"valueBoolean": True},
        {"valueBoolean": False},
    ]
    [observation] = resources(bundle, "Observation")
    assert "valueQuantity" not in observation
    assert observation["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    gsrs = get_bundled("gsrs")
    answers = {item.id: 7.5 for item in gsrs.items}
    bundle = export_administration(
        gsrs, answers, administration_id="g", subject="Patient/1", authored=WHEN
    )
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["item"][0]["answer"] == [{"valueDecimal": 7.5}]
    assert resources(bundle, "Observation")[0]["valueQuantity"]["value"] == 30


def test_anchor_labels_go_into_the_answer_coding() -> None:
    checkout = get_bundled("alliance_checkout")
    bundle = export_administration(
        checkout,
        {"checkout_respected": 10},
        administration_id="c",
        subject="Patient/1",
        authored=WHEN,
    )
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["item"][0]["answer"] == [
        {"valueCoding": {"code": "10", "display": "Completely"}}
    ]
    assert response["item"][0]["text"].startswith("Today I felt respected")


def test_a_rejected_answer_or_a_naive_time_exports_nothing() -> None:
    definition = get_bundled("scs_sf")
    with pytest.raises(
        InterchangeError, match=r"item 'scs_sf_02': outside the range 1..5 \(got 9\)"
    ):
        export_administration(
            definition, {"scs_sf_02": 9}, administration_id="x", subject="Patient/1", authored=WHEN
        )
    with pytest.raises(InterchangeError, match="authored: needs a time zone"):
        export_administration(
            definition,
            {},
            administration_id="x",
            subject="Patient/1",
            authored=datetime(2025, 1, 1),
        )


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    """Random valid definitions covering every response kind, anchors, reverse keys and fillers."""
    items: list[dict[str, Any]] = []
    n_items = draw(st.integers(1, 6))
    for i in range(n_items):
        kind = draw(st.sampled_from(["likert", "likert", "yes_no", "vas", "number", "free_text"]))
        response: dict[str, Any] = {"type": kind}
        if kind == "likert":
            low = draw(st.integers(-3, 2))
            high = low + draw(st.integers(1, 10))
            response |= {"min": low, "max": high}
            labelled = draw(st.sets(st.integers(low, high), max_size=3))
            if labelled:
                response["anchors"] = {str(v): f"label {v}" for v in sorted(labelled)}
        elif kind == "vas" and draw(st.booleans()):
            response["anchors"] = {"0": "none", "10": "all"}
        elif kind == "number":
            integer = draw(st.booleans())
            scale = 1 if integer else 10
            low_n = draw(st.integers(-50, 50))
            high_n = low_n + draw(st.integers(1, 100))
            response |= {"min": low_n / scale, "max": high_n / scale}
            if integer:
                response |= {"min": low_n, "max": high_n, "integer": True}
        item: dict[str, Any] = {"id": f"i{i}", "response": response}
        if draw(st.booleans()):
            item["text"] = f"Made-up statement {i}"
        if kind != "free_text":
            flag = draw(st.sampled_from(["", "", "reverse", "filler"]))
            if flag:
                item[flag] = True
        items.append(item)
    items.append({"id": "anchor_item", "response": {"type": "likert", "min": 1, "max": 4}})
    total, _ = provisional_total(items)
    return {
        "id": "generated",
        "version": draw(st.sampled_from(["1", "2.0.1"])),
        "title": "Generated",
        "citation": "Generated for a test.",
        "licence": {"status": "open", "note": "Test."},
        "items_bundled": False,
        "respondent": draw(st.sampled_from(["participant", "facilitator", "partner"])),
        "target": "self",
        "validated_externally": False,
        "items": items,
        "scales": [total],
    }


@settings(max_examples=60, deadline=None)
@given(definitions())
def test_generated_definitions_round_trip_through_json_and_fhir(obj: dict[str, Any]) -> None:
    definition = load_definition(obj)
    assert load_definition(definition_to_dict(definition)) == definition
    exported = json.dumps(export_questionnaire(definition))
    assert import_questionnaire(exported).definition == definition
