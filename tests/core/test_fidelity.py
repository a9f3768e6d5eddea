"""The project-authored fidelity checklist: items, anchors and scoring."""

from __future__ import annotations

import pytest

from alliance.core.fidelity import DEFAULT, summarise, validate_scores


def test_every_item_has_three_anchors_and_the_checklist_says_it_is_not_validated():
    assert len(DEFAULT.items) >= 6
    assert all(len(item.anchors) == 3 for item in DEFAULT.items)
    assert "not externally validated" in DEFAULT.note
    assert "Invited accountability without shaming." in [i.text for i in DEFAULT.items]


def test_it_sums_the_scored_items_only():
    summary = summarise(DEFAULT, {"welcome": 2, "curiosity": 1, "connection": 0})
    assert (summary.total, summary.maximum, summary.scored) == (3, 6, 3)
    assert summary.share == pytest.approx(0.5)


def test_it_refuses_a_score_outside_0_to_2_naming_the_item():
    with pytest.raises(ValueError, match="Invited accountability without shaming"):
        validate_scores(DEFAULT, {"accountability_without_shaming": 3})
    with pytest.raises(ValueError, match="not an item"):
        validate_scores(DEFAULT, {"made_up": 1})
    assert validate_scores(DEFAULT, {"welcome": None}) == {}
