"""Conformance: every bundled definition obeys the format's promises.

For each definition and each scale: the lowest and highest reachable scores equal the declared
range; bands are contiguous and cover it; reverse keys invert; the missing-item rule is
applied (prorated up to the limit, NaN and flagged beyond it); unknown items and out-of-range
answers are reported by row and item.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from alliance.core.instruments import InstrumentDefinition, Rule, Scale, bundled_ids, get_bundled
from alliance.core.instruments.loading import linear_weights

IDS = bundled_ids()


def weights(definition: InstrumentDefinition, scale: Scale) -> dict[str, float]:
    items = {item.id: item for item in definition.items}
    return linear_weights(scale, items, {s.id: s for s in definition.scales})


def extreme_row(definition: InstrumentDefinition, scale: Scale, *, high: bool) -> dict[str, Any]:
    """Raw answers that push every item of ``scale`` to its lowest (or highest) contribution."""
    row: dict[str, Any] = {}
    for item_id, w in weights(definition, scale).items():
        item = definition.item(item_id)
        lo, hi = item.response.min, item.response.max
        assert lo is not None
        assert hi is not None
        contribution = hi if (w > 0) == high else lo
        row[item_id] = lo + hi - contribution if item.reverse else contribution
    return row


def score_rows(definition: InstrumentDefinition, rows: list[dict[str, Any]]) -> pd.DataFrame:
    from alliance.core.instruments import score

    result = score(definition, pd.DataFrame(rows))
    assert result.ok, result.errors
    return result.frame


def test_every_issue_instrument_is_bundled() -> None:
    expected = {
        "scs_sf", "scs", "socs_s", "socs_o", "ceas", "fscrs", "dass21", "wai_sr_client",
        "wai_sr_therapist", "urica_dv", "bpaq_sf", "gsrs", "srs", "ace10", "ucla3",
        "alliance_checkout", "alliance_facilitator_rating",
    }  # fmt: skip
    assert set(IDS) == expected


@pytest.mark.parametrize("instrument_id", IDS)
def test_declared_ranges_are_exactly_reachable(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    for scale in definition.scales:
        rows = [
            extreme_row(definition, scale, high=False),
            extreme_row(definition, scale, high=True),
        ]
        got = score_rows(definition, rows)[f"{scale.id}_score"]
        assert got.tolist() == pytest.approx([scale.range_min, scale.range_max]), scale.id


@pytest.mark.parametrize("instrument_id", IDS)
def test_random_complete_answers_stay_inside_the_range(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    rng = np.random.default_rng(20250101)
    rows = []
    for _ in range(200):
        row: dict[str, Any] = {}
        for item in definition.items:
            r = item.response
            if r.numeric and r.min is not None and r.max is not None and r.step is not None:
                row[item.id] = r.min + r.step * rng.integers(0, round((r.max - r.min) / r.step) + 1)
        rows.append(row)
    frame = score_rows(definition, rows)
    for scale in definition.scales:
        values = frame[f"{scale.id}_score"]
        assert values.notna().all()
        assert values.between(scale.range_min, scale.range_max).all(), scale.id
        if scale.bands:
            assert frame[f"{scale.id}_band"].notna().all()


@pytest.mark.parametrize("instrument_id", IDS)
def test_bands_are_contiguous_and_cover_the_range(instrument_id: str) -> None:
    from alliance.core.instruments import band_of

    for scale in get_bundled(instrument_id).scales:
        if not scale.bands:
            continue
        assert scale.bands[0].min == scale.range_min
        assert scale.bands[-1].max == scale.range_max
        for prev, nxt in zip(scale.bands, scale.bands[1:], strict=False):
            assert prev.max == nxt.min
        assert band_of(scale, scale.range_min) == scale.bands[0].label
        assert band_of(scale, scale.range_max) == scale.bands[-1].label
        for band in scale.bands:
            assert band_of(scale, band.min) == band.label


@pytest.mark.parametrize("instrument_id", IDS)
def test_reverse_keys_invert(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    for scale in definition.scales:
        if not scale.rule.uses_items:
            continue
        for item_id, w in weights(definition, scale).items():
            item = definition.item(item_id)
            lo, hi = item.response.min, item.response.max
            assert lo is not None
            assert hi is not None
            base = {i: definition.item(i).response.min for i in scale.items}
            swapped = {**base, item_id: hi}
            got = score_rows(definition, [base, swapped])[f"{scale.id}_score"].tolist()
            # All-min raw answers on a reversed item give its maximum contribution.
            expected_change = (lo - hi if item.reverse else hi - lo) * w
            assert got[1] - got[0] == pytest.approx(expected_change), (scale.id, item_id)


def allowed_missing(scale: Scale) -> int:
    rule = scale.missing
    assert rule is not None
    k = len(scale.items)
    if rule.max_missing is not None:
        return min(rule.max_missing, k - 1)
    assert rule.min_proportion_answered is not None
    return min(k - 1, math.floor(k - rule.min_proportion_answered * k + 1e-9))


@pytest.mark.parametrize("instrument_id", IDS)
def test_the_missing_rule_prorates_up_to_its_limit_and_flags_beyond(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    for scale in definition.scales:
        if not scale.rule.uses_items:
            continue
        # Every item keyed to its maximum contribution, so prorating is exact.
        top = {
            i: (definition.item(i).response.min if definition.item(i).reverse else hi)
            for i in scale.items
            if (hi := definition.item(i).response.max) is not None
        }
        full = score_rows(definition, [top]).loc[0]
        limit = allowed_missing(scale)
        within = {i: (np.nan if j < limit else v) for j, (i, v) in enumerate(top.items())}
        beyond = {i: (np.nan if j <= limit else v) for j, (i, v) in enumerate(top.items())}
        got = score_rows(definition, [within, beyond])
        col = f"{scale.id}_score"
        if limit > 0 and scale.rule is not Rule.SUM:
            # The same answer on every item: prorating must reproduce the full score.
            assert not got.loc[0, f"{scale.id}_missing"]
            assert got.loc[0, col] == pytest.approx(full[col])
        assert got.loc[1, f"{scale.id}_missing"], scale.id
        assert pd.isna(got.loc[1, col])
        assert got.loc[1, f"{scale.id}_answered"] == len(scale.items) - limit - 1


@pytest.mark.parametrize("instrument_id", IDS)
def test_unknown_items_are_rejected(instrument_id: str) -> None:
    from alliance.core.instruments import score

    definition = get_bundled(instrument_id)
    frame = pd.DataFrame({"not_an_item": [np.nan, 3]})
    result = score(definition, frame)
    assert [(e.row, e.item, e.problem) for e in result.errors] == [
        (1, "not_an_item", "unknown item")
    ]
    assert result.frame["invalid"].tolist() == [False, True]


@pytest.mark.parametrize("instrument_id", IDS)
def test_out_of_range_answers_are_reported_by_row_and_item(instrument_id: str) -> None:
    from alliance.core.instruments import score

    definition = get_bundled(instrument_id)
    numeric = [item for item in definition.items if item.response.numeric]
    rows: list[dict[str, Any]] = [{} for _ in numeric]
    for row_number, item in enumerate(numeric):
        assert item.response.max is not None
        rows[row_number][item.id] = item.response.max + 1
    result = score(definition, pd.DataFrame(rows))
    assert [(e.row, e.item) for e in result.errors] == [
        (n, item.id) for n, item in enumerate(numeric)
    ]
    assert all(e.problem.startswith("outside the range") for e in result.errors)
    assert result.frame["invalid"].all()
