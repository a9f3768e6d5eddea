"""Loading definitions: the schema, the semantic checks and their messages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from alliance.core.instruments import (
    DefinitionError,
    LicenceStatus,
    get_bundled,
    load_definition,
    schema,
)

ROOT = Path(__file__).resolve().parents[3]


def minimal() -> dict[str, Any]:
    """A small valid definition that each test breaks in one place."""
    return {
        "id": "demo",
        "version": "1",
        "title": "Demo",
        "citation": "Nobody (2000).",
        "licence": {"status": "open", "note": "test"},
        "items_bundled": False,
        "respondent": "participant",
        "target": "self",
        "validated_externally": False,
        "items": [
            {"id": "q1", "response": {"type": "likert", "min": 1, "max": 5}},
            {"id": "q2", "response": {"type": "likert", "min": 1, "max": 5}, "reverse": True},
            {"id": "q3", "response": {"type": "free_text"}},
        ],
        "scales": [
            {
                "id": "total",
                "title": "Total",
                "rule": "sum",
                "items": ["q1", "q2"],
                "missing": {"max_missing": 0},
                "direction": "higher_is_better",
                "range": [2, 10],
                "bands": [
                    {"label": "low", "min": 2, "max": 6},
                    {"label": "high", "min": 6, "max": 10},
                ],
            }
        ],
    }


def assert_fails(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(obj)
    assert str(caught.value) == message


def test_the_packaged_schema_is_the_documented_schema() -> None:
    docs = (ROOT / "docs" / "instrument-definition.schema.json").read_text("utf-8")
    assert json.loads(docs) == schema()
    packaged = ROOT / "alliance" / "core" / "instruments" / "instrument-definition.schema.json"
    assert packaged.read_text("utf-8") == docs


def test_it_loads_a_valid_definition_from_text_and_from_an_object() -> None:
    from_obj = load_definition(minimal())
    from_text = load_definition(json.dumps(minimal()))
    assert from_obj == from_text
    assert from_obj.licence.status is LicenceStatus.OPEN
    assert from_obj.confidentiality == "therapeutic"
    assert from_obj.item("q2").reverse


def test_it_rejects_text_that_is_not_json() -> None:
    with pytest.raises(DefinitionError, match=r"^\(root\): not valid JSON"):
        load_definition("{nope")


def test_it_names_a_missing_required_field() -> None:
    obj = minimal()
    del obj["citation"]
    assert_fails(obj, "(root): 'citation' is a required property")


def test_it_names_the_path_of_a_bad_enum() -> None:
    obj = minimal()
    obj["licence"]["status"] = "free"
    with pytest.raises(DefinitionError, match=r"^licence\.status: 'free' is not one of"):
        load_definition(obj)


def test_it_names_the_path_of_a_bad_response_field() -> None:
    obj = minimal()
    del obj["items"][1]["response"]["max"]
    assert_fails(obj, "items[1].response: 'max' is a required property")


def test_it_rejects_an_unexpected_field() -> None:
    obj = minimal()
    obj["scales"][0]["colour"] = "red"
    with pytest.raises(DefinitionError, match=r"^scales\[0\]: Additional properties"):
        load_definition(obj)


def test_it_rejects_a_duplicate_item_id() -> None:
    obj = minimal()
    obj["items"][2]["id"] = "q1"
    assert_fails(obj, "items[2].id: duplicate item 'q1'")


def test_it_rejects_a_duplicate_scale_id() -> None:
    obj = minimal()
    obj["scales"].append(copy.deepcopy(obj["scales"][0]))
    assert_fails(obj, "scales[1].id: duplicate scale 'total'")


def test_it_rejects_an_unknown_item_in_a_scale() -> None:
    obj = minimal()
    obj["scales"][0]["items"] = ["q1", "q9"]
    assert_fails(obj, "scales[0].items[1]: unknown item 'q9'")


def test_it_rejects_a_free_text_item_in_a_scale() -> None:
    obj = minimal()
    obj["scales"][0]["items"] = ["q1", "q3"]
    assert_fails(obj, "scales[0].items[1]: item 'q3' is free_text and cannot be scored")


def test_it_rejects_a_reverse_key_on_a_free_text_item() -> None:
    obj = minimal()
    obj["items"][2]["reverse"] = True
    assert_fails(obj, "items[2].reverse: reverse key on a free_text item")


def test_it_rejects_a_filler_in_a_scale() -> None:
    obj = minimal()
    obj["items"][0]["filler"] = True
    assert_fails(obj, "scales[0].items[0]: item 'q1' is a filler and is not scored")


def test_it_rejects_likert_bounds_in_the_wrong_order() -> None:
    obj = minimal()
    obj["items"][0]["response"].update(min=5, max=1)
    assert_fails(obj, "items[0].response.max: max 1 is not above min 5")


def test_it_rejects_an_anchor_outside_the_range() -> None:
    obj = minimal()
    obj["items"][0]["response"]["anchors"] = {"0": "never"}
    assert_fails(obj, "items[0].response.anchors.0: anchor outside the range 1..5")


def test_it_rejects_a_declared_range_that_is_not_reachable() -> None:
    obj = minimal()
    obj["scales"][0]["range"] = [2, 9]
    assert_fails(obj, "scales[0].range: declared [2, 9] but the reachable range is [2, 10]")


def test_it_reports_a_gap_between_bands() -> None:
    obj = minimal()
    obj["scales"][0]["bands"][1]["min"] = 6.5
    assert_fails(obj, "scales[0].bands: gap between 6 and 6.5")


def test_it_reports_an_overlap_between_bands() -> None:
    obj = minimal()
    obj["scales"][0]["bands"][1]["min"] = 5
    assert_fails(obj, "scales[0].bands: overlap between 6 and 5")


def test_it_reports_bands_that_do_not_cover_the_range() -> None:
    obj = minimal()
    obj["scales"][0]["bands"][1]["max"] = 9
    assert_fails(obj, "scales[0].bands: bands end at 9, not at the scale maximum 10")
    obj = minimal()
    obj["scales"][0]["bands"][0]["min"] = 3
    assert_fails(obj, "scales[0].bands: bands start at 3, not at the scale minimum 2")


def test_it_reports_a_mean_scale_band_gap_in_decimals() -> None:
    obj = minimal()
    obj["scales"][0].update(rule="mean", range=[1, 5], missing={"min_proportion_answered": 0.5})
    obj["scales"][0]["bands"] = [
        {"label": "low", "min": 1, "max": 2.5},
        {"label": "high", "min": 2.6, "max": 5},
    ]
    assert_fails(obj, "scales[0].bands: gap between 2.5 and 2.6")


def test_it_refuses_a_plain_sum_that_allows_missing_items() -> None:
    obj = minimal()
    obj["scales"][0]["missing"] = {"max_missing": 1}
    assert_fails(
        obj, "scales[0].missing: a plain sum cannot allow missing items; use prorated_sum or mean"
    )


def test_it_requires_exactly_one_missing_rule() -> None:
    obj = minimal()
    obj["scales"][0]["missing"] = {"max_missing": 0, "min_proportion_answered": 1}
    with pytest.raises(DefinitionError, match=r"^scales\[0\]\.missing: "):
        load_definition(obj)


def test_it_rejects_a_subscale_rule_over_an_unknown_scale() -> None:
    obj = minimal()
    obj["scales"].append(
        {
            "id": "grand",
            "title": "Grand",
            "rule": "mean_of_subscale_means",
            "subscales": ["total", "nothing"],
            "direction": "higher_is_better",
            "range": [2, 10],
        }
    )
    assert_fails(obj, "scales[1].subscales[1]: unknown scale 'nothing'")


def test_it_rejects_weights_that_do_not_match_the_subscales() -> None:
    obj = minimal()
    obj["scales"].append(
        {
            "id": "combo",
            "title": "Combo",
            "rule": "weighted_sum_of_subscales",
            "subscales": ["total"],
            "weights": [1, 2],
            "direction": "higher_is_better",
            "range": [2, 10],
        }
    )
    assert_fails(obj, "scales[1].weights: needs one weight per subscale (1)")


def test_it_checks_reliable_change_names_a_norm_set() -> None:
    obj = minimal()
    obj["scales"][0]["reliable_change"] = {"norm_set": "nowhere"}
    assert_fails(obj, "scales[0].reliable_change.norm_set: no norm set named 'nowhere'")


def test_it_requires_clinical_norms_with_a_mean_and_sd_for_cutoffs() -> None:
    obj = minimal()
    norm = {"kind": "reference", "mean": None, "sd": None, "reliability": 0.8, "n": None}
    obj["scales"][0]["norms"] = [{"name": "ref", "source": "x", **norm}]
    obj["scales"][0]["reliable_change"] = {"norm_set": "ref", "clinical_norm_set": "ref"}
    assert_fails(
        obj,
        "scales[0].reliable_change.clinical_norm_set: norm set 'ref' must be clinical with a "
        "mean and SD",
    )


def test_bundled_definitions_carry_no_item_wording_unless_project_authored() -> None:
    for instrument_id in ("scs_sf", "dass21", "wai_sr_client", "srs"):
        definition = get_bundled(instrument_id)
        assert not definition.items_bundled
        assert all(item.text is None for item in definition.items)
    checkout = get_bundled("alliance_checkout")
    assert checkout.items_bundled
    assert not checkout.validated_externally
    assert all(item.text for item in checkout.items)


def test_get_bundled_names_the_known_ids_when_the_id_is_unknown() -> None:
    with pytest.raises(KeyError, match="no bundled instrument 'nope'; known: ace10"):
        get_bundled("nope")
