"""definition_to_dict is the inverse of load_definition, and the shared import helpers."""

from __future__ import annotations

import json

import pytest

from alliance.core.instruments import bundled_ids, get_bundled, load_definition
from alliance.core.instruments.interchange import InterchangeError, definition_to_dict
from alliance.core.instruments.interchange.serialize import provisional_total, to_identifier


@pytest.mark.parametrize("instrument_id", bundled_ids())
def test_every_bundled_definition_round_trips_through_a_dict(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    assert load_definition(definition_to_dict(definition)) == definition


@pytest.mark.parametrize("instrument_id", bundled_ids())
def test_the_dict_is_plain_json_and_survives_text(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    text = json.dumps(definition_to_dict(definition))
    assert load_definition(text) == definition


def test_defaults_are_left_out_and_whole_numbers_are_integers() -> None:
    obj = definition_to_dict(get_bundled("scs_sf"))
    first = obj["items"][0]
    assert first["response"] == {"type": "likert", "min": 1, "max": 5}
    assert isinstance(first["response"]["min"], int)
    assert "text" not in first
    assert "filler" not in first
    assert "multiplier" not in obj["scales"][0]


def test_a_multiplier_and_fillers_are_kept() -> None:
    dass = definition_to_dict(get_bundled("dass21"))
    assert dass["scales"][0]["multiplier"] == 2
    ceas = definition_to_dict(get_bundled("ceas"))
    assert sum(bool(item.get("filler")) for item in ceas["items"]) == 9


def test_loaded_wording_is_written_back() -> None:
    obj = definition_to_dict(get_bundled("alliance_checkout"))
    assert obj["items"][0]["text"].startswith("Today I felt respected")
    assert obj["items"][0]["response"]["anchors"] == {"0": "Not at all", "10": "Completely"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("q1", "q1"), ("1.2", "q1_2"), ("Mood-Score", "mood_score"), ("/44250-9", "q44250_9")],
)
def test_source_names_become_valid_identifiers(text: str, expected: str) -> None:
    assert to_identifier(text) == expected


def test_the_provisional_total_averages_the_numeric_items_and_says_so() -> None:
    items = [
        {"id": "a", "response": {"type": "likert", "min": 1, "max": 5}},
        {"id": "b", "response": {"type": "yes_no"}},
        {"id": "c", "response": {"type": "free_text"}},
    ]
    scale, warning = provisional_total(items)
    assert scale["items"] == ["a", "b"]
    assert scale["range"] == [0.5, 3]
    assert "provisional" in warning
    assert "do not share one response range" in warning


def test_a_form_with_nothing_to_score_is_refused() -> None:
    with pytest.raises(InterchangeError, match="no numeric item"):
        provisional_total([{"id": "c", "response": {"type": "free_text"}}])
