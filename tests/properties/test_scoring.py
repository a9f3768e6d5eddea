"""The scoring engine: any frame of answers gives scores or per-cell errors, never a crash."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from alliance.core.instruments import get_bundled
from alliance.core.instruments.scoring import score
from tests.properties.strategies import FAST, cells, scalars

INSTRUMENTS = ["scs_sf", "alliance_checkout", "urica_dv", "dass21", "wai_sr_client", "ceas"]


@st.composite
def answer_frames(draw: st.DrawFn) -> tuple[str, pd.DataFrame]:
    definition = get_bundled(draw(st.sampled_from(INSTRUMENTS)))
    items = [item.id for item in definition.items]
    columns = draw(st.lists(st.sampled_from(items), unique=True, max_size=len(items)))
    columns += draw(st.lists(st.text(min_size=1, max_size=6), unique=True, max_size=2))
    columns = list(dict.fromkeys(columns))
    rows = draw(st.integers(min_value=0, max_value=5))
    values = st.one_of(scalars, cells)
    data = {c: [draw(values) for _ in range(rows)] for c in columns}
    return definition.id, pd.DataFrame(data, columns=columns, dtype=object)


@FAST
@given(answer_frames())
def test_any_answers_give_a_score_or_errors_naming_row_and_item(case):
    instrument_id, frame = case
    definition = get_bundled(instrument_id)

    result = score(definition, frame)

    assert len(result.frame) == len(frame)
    assert list(result.frame.index) == list(frame.index)
    for error in result.errors:
        assert 0 <= error.row < len(frame)
        assert error.item in frame.columns
        assert f"row {error.row}, item {error.item!r}" in str(error)
    bad_rows = {e.row for e in result.errors}
    assert set(np.flatnonzero(result.frame["invalid"].to_numpy())) == bad_rows
    for scale in definition.scales:
        for row in bad_rows:
            assert math.isnan(result.frame[f"{scale.id}_score"].iloc[row])


@FAST
@given(st.sampled_from(INSTRUMENTS), st.data())
def test_answers_in_range_are_never_rejected(instrument_id, data):
    definition = get_bundled(instrument_id)
    numeric = [item for item in definition.items if item.response.numeric]
    answers = {}
    for item in numeric:
        low, high = item.response.min, item.response.max
        step = item.response.step or (high - low) / 100
        steps = round((high - low) / step)
        answers[item.id] = [round(low + step * data.draw(st.integers(0, steps)), 6)]

    result = score(definition, pd.DataFrame(answers))

    assert result.ok, result.errors
    for scale in definition.scales:
        assert not math.isnan(result.frame[f"{scale.id}_score"].iloc[0])
