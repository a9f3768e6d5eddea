"""The vectorised engine agrees with the naive row-by-row scorer on generated data."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.core.instruments import InstrumentDefinition, bundled_ids, get_bundled, score
from tests.core.instruments import reference


def cell(definition: InstrumentDefinition, item_id: str) -> st.SearchStrategy[Any]:
    """Mostly valid answers, some missing, a few invalid of every kind."""
    r = definition.item(item_id).response
    if not r.numeric:
        return st.none()
    assert r.min is not None
    assert r.max is not None
    assert r.step is not None
    valid = st.integers(0, round((r.max - r.min) / r.step)).map(
        lambda k: round(r.min + k * r.step, 6)  # type: ignore[operator]
    )
    invalid = st.sampled_from([r.max + r.step, r.min - 1, r.min + r.step / 4, "n/a"])
    return st.one_of(valid, valid, valid, valid, valid, valid, st.just(None), invalid)


@st.composite
def administrations(draw: st.DrawFn) -> tuple[InstrumentDefinition, pd.DataFrame]:
    definition = get_bundled(draw(st.sampled_from(bundled_ids())))
    numeric = [item.id for item in definition.items if item.response.numeric]
    n_rows = draw(st.integers(0, 12))
    rows = []
    for _ in range(n_rows):
        row = {item_id: draw(cell(definition, item_id)) for item_id in numeric}
        if draw(st.integers(0, 30)) == 0:
            row["stray_column"] = 1
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*numeric, "stray_column"])
    if draw(st.booleans()):
        # Numeric-only frames take the fast path; keep them common.
        frame = frame.drop(columns="stray_column")
        frame = frame.apply(pd.to_numeric, errors="coerce")
    return definition, frame


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(administrations())
def test_engine_matches_the_naive_reference(
    case: tuple[InstrumentDefinition, pd.DataFrame],
) -> None:
    definition, frame = case
    result = score(definition, frame)
    expected = reference.score_frame(definition, frame)
    got_errors = sorted((e.row, e.item) for e in result.errors)
    want_errors = sorted(
        (row, item) for row, (_, probs) in enumerate(expected) for item, _ in probs
    )
    assert got_errors == want_errors
    out = result.frame
    for row, (scores, problems) in enumerate(expected):
        assert bool(out["invalid"].iloc[row]) == bool(problems)
        if scores is None:
            continue
        for scale in definition.scales:
            value, missing, answered = scores[scale.id]
            got = out[f"{scale.id}_score"].iloc[row]
            if math.isnan(value):
                assert math.isnan(got)
            else:
                assert abs(got - value) < 1e-8, (scale.id, got, value)
            assert bool(out[f"{scale.id}_missing"].iloc[row]) == missing
            assert int(out[f"{scale.id}_answered"].iloc[row]) == answered
            band = out[f"{scale.id}_band"].iloc[row]
            want_band = reference.band_label(scale, value)
            assert (None if pd.isna(band) else band) == want_band
