"""Vectorised scoring of many administrations of one instrument.

The input is a wide frame: one row per administration, one column per item id, NaN (or None)
for an unanswered item, and optionally an id column. The engine validates every cell, keys
reverse items, applies each scale's rule and missing-item rule, and bands the scores, using
whole-column numpy operations. The only Python loops run over items, scales and the cells that
hold an error, plus a per-cell type check on text (object) columns, which only arise when
answers arrive as strings; numeric columns never take that path.

Invalid answers are reported, never coerced: a value that is not a number, lies outside the
item's range, is off the item's step (e.g. 2.5 on a Likert item, 7.25 on a visual-analogue
line), or sits in a column that is not an item of the instrument becomes a
:class:`ResponseError`, and the whole row is marked ``invalid`` and left unscored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.core.instruments.definition import (
    InstrumentDefinition,
    Item,
    MissingRule,
    Rule,
    Scale,
)

ENGINE_VERSION = "1.0.0"
"""Bumped whenever a change to this module could change any score; stored with every score."""

INVALID_COLUMN = "invalid"

_STEP_TOLERANCE = 1e-6
_SCORE_DECIMALS = 9

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class ResponseError:
    """One rejected cell.

    ``row`` is the 0-based position of the administration in the input frame (use
    ``frame.index[row]`` for its label), ``item`` the column, ``value`` the value as given.
    """

    row: int
    item: str
    value: object
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}, item {self.item!r}: {self.problem} (got {self.value!r})"


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Scores for a frame of administrations.

    ``frame`` has the input's index and, in order: the id column (if one was named); for each
    scale ``<scale>_score`` (float, NaN when not scored), ``<scale>_band`` (ordered
    categorical, NaN without a score or without bands), ``<scale>_missing`` (nullable
    boolean: True when the missing-item rule was not met) and ``<scale>_answered`` (nullable
    integer: items answered); and ``invalid`` (bool). For an invalid row every score and band
    is NaN and the missing flags and counts are ``<NA>``: its answers were never assessed.
    """

    instrument_id: str
    instrument_version: str
    engine_version: str
    frame: pd.DataFrame
    errors: tuple[ResponseError, ...]

    @property
    def ok(self) -> bool:
        """True when no cell was rejected."""
        return not self.errors


def score(
    definition: InstrumentDefinition,
    responses: pd.DataFrame,
    *,
    id_column: str | None = None,
) -> ScoreResult:
    r"""Score every administration in ``responses``.

    Parameters
    ----------
    definition
        A definition from :func:`load_definition` or :func:`get_bundled`.
    responses
        One row per administration, one column per item id (an item with no column counts as
        unanswered), NaN/None for a missing answer. Yes/no items take 1 (yes) and 0 (no);
        visual-analogue items take 0-10 in steps of 0.1.
    id_column
        Optional column copied unchanged to the result (the index is always kept).

    Returns
    -------
    ScoreResult
        See :class:`ScoreResult`; ``errors`` lists every rejected cell.

    Notes
    -----
    With :math:`x_i` the keyed answer (a reverse-keyed item on ``[lo, hi]`` contributes
    :math:`lo + hi - x_i`), :math:`A` the answered items of a :math:`k`-item scale and
    :math:`m` its multiplier:

    * ``sum``: :math:`m \sum_{i} x_i` (every item must be answered);
    * ``mean``: :math:`m \frac{1}{|A|} \sum_{i \in A} x_i`;
    * ``prorated_sum``: :math:`m \frac{k}{|A|} \sum_{i \in A} x_i`;
    * ``mean_of_subscale_means``: :math:`m \frac{1}{J} \sum_j S_j`;
    * ``weighted_sum_of_subscales``: :math:`m \sum_j w_j S_j`.

    An item-based scale is scored when :math:`|A| \ge 1` and :math:`|A|/k \ge p`
    (``min_proportion_answered``) or :math:`k - |A| \le q` (``max_missing``); a scale built
    from subscales is scored when all of them are. Scores are rounded to 9 decimals so that
    float noise cannot move a score across a band edge. Bands are ``[min, max)`` except the
    last, which is closed.

    Raises
    ------
    TypeError
        If ``responses`` is not a DataFrame.
    ValueError
        If a column name repeats or ``id_column`` is missing or is also an item id.
    """
    if not isinstance(responses, pd.DataFrame):
        raise TypeError("responses must be a pandas DataFrame")
    columns = [str(c) for c in responses.columns]
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise ValueError(f"responses: column {duplicated[0]!r} appears more than once")
    if id_column is not None:
        if id_column not in columns:
            raise ValueError(f"responses: no id column {id_column!r}")
        if definition.has_item(id_column):
            raise ValueError(f"responses: id column {id_column!r} is also an item id")
    frame = responses.set_axis(columns, axis=1)
    n_rows = len(frame)
    errors: list[ResponseError] = []
    invalid = np.zeros(n_rows, dtype=bool)

    for column in columns:
        if column == id_column or definition.has_item(column):
            continue
        present = frame[column].notna().to_numpy()
        _report(errors, invalid, frame[column], present, column, "unknown item")

    numeric_items = [item for item in definition.items if item.response.numeric]
    position = {item.id: j for j, item in enumerate(numeric_items)}
    keyed = np.full((n_rows, len(numeric_items)), np.nan)
    for j, item in enumerate(numeric_items):
        if item.id in frame.columns:
            keyed[:, j] = _validated(item, frame[item.id], errors, invalid)

    scores: dict[str, FloatArray] = {}
    answered: dict[str, IntArray] = {}
    scored: dict[str, BoolArray] = {}
    for scale in definition.scales:
        if scale.rule.uses_items:
            cols = [position[item_id] for item_id in scale.items]
            s, a, ok = _score_items(scale, keyed[:, cols])
            scores[scale.id], answered[scale.id], scored[scale.id] = s, a, ok
    for scale in definition.scales:
        if not scale.rule.uses_items:
            s, a, ok = _score_subscales(scale, scores, answered, scored)
            scores[scale.id], answered[scale.id], scored[scale.id] = s, a, ok

    out: dict[str, object] = {}
    if id_column is not None:
        out[id_column] = frame[id_column].to_numpy()
    for scale in definition.scales:
        value = np.round(scores[scale.id], _SCORE_DECIMALS)
        value[invalid] = np.nan
        out[f"{scale.id}_score"] = value
        out[f"{scale.id}_band"] = _bands(scale, value)
        out[f"{scale.id}_missing"] = pd.arrays.BooleanArray(~scored[scale.id], invalid.copy())
        out[f"{scale.id}_answered"] = pd.arrays.IntegerArray(answered[scale.id], invalid.copy())
    out[INVALID_COLUMN] = invalid
    errors.sort(key=lambda e: (e.row, e.item))
    return ScoreResult(
        instrument_id=definition.id,
        instrument_version=definition.version,
        engine_version=ENGINE_VERSION,
        frame=pd.DataFrame(out, index=frame.index),
        errors=tuple(errors),
    )


def _report(
    errors: list[ResponseError],
    invalid: BoolArray,
    column: pd.Series,
    mask: BoolArray,
    item_id: str,
    problem: str,
) -> None:
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return
    invalid[rows] = True
    values = column.to_numpy()
    errors.extend(ResponseError(int(r), item_id, _plain(values[r]), problem) for r in rows)


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _validated(
    item: Item, column: pd.Series, errors: list[ResponseError], invalid: BoolArray
) -> FloatArray:
    """Return the item's keyed answers as floats, NaN for missing and rejected cells."""
    response = item.response
    assert response.min is not None
    assert response.max is not None
    if column.dtype.kind in "iuf":
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        present = ~np.isnan(values)
    else:
        present = column.notna().to_numpy()
        if column.dtype.kind == "b":
            # Booleans are not numbers here: a True in a Likert column is a data error.
            values = np.full(len(column), np.nan)
        else:
            # Object columns (strings from a form, mixed types) take the slow path: numeric
            # text is parsed; booleans, which pandas would turn into 0/1, are refused.
            parsed = pd.to_numeric(column, errors="coerce")
            values = parsed.to_numpy(dtype=np.float64, na_value=np.nan)
            is_bool = column.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
            values[is_bool] = np.nan
    bad = present & ~np.isfinite(values)
    _report(errors, invalid, column, bad, item.id, "not a number")
    with np.errstate(invalid="ignore"):
        outside = ~bad & ((values < response.min) | (values > response.max))
    _report(
        errors,
        invalid,
        column,
        outside,
        item.id,
        f"outside the range {response.min:g}..{response.max:g}",
    )
    bad |= outside
    if response.step is not None:
        steps = (values - response.min) / response.step
        with np.errstate(invalid="ignore"):
            off = ~bad & present & (np.abs(steps - np.round(steps)) > _STEP_TOLERANCE)
        _report(errors, invalid, column, off, item.id, f"not on a step of {response.step:g}")
        bad |= off
    values = np.where(bad, np.nan, values)
    if response.step is not None:
        # Snap to the grid so that 0.30000000000000004 from a CSV scores as 0.3.
        values = np.round((values - response.min) / response.step) * response.step + response.min
    if item.reverse:
        values = response.min + response.max - values
    return values


def _rule_met(rule: MissingRule, n_items: int, answered: IntArray) -> BoolArray:
    if rule.max_missing is not None:
        met = n_items - answered <= rule.max_missing
    else:
        assert rule.min_proportion_answered is not None
        met = answered >= rule.min_proportion_answered * n_items - 1e-9
    result: BoolArray = met & (answered >= 1)
    return result


def _score_items(scale: Scale, block: FloatArray) -> tuple[FloatArray, IntArray, BoolArray]:
    n_items = block.shape[1]
    answered = (~np.isnan(block)).sum(axis=1).astype(np.int64)
    total = np.nansum(block, axis=1)
    assert scale.missing is not None
    ok = _rule_met(scale.missing, n_items, answered)
    with np.errstate(invalid="ignore", divide="ignore"):
        if scale.rule is Rule.SUM:
            value = total
        elif scale.rule is Rule.MEAN:
            value = total / answered
        else:
            value = total / answered * n_items
    value = np.where(ok, value * scale.multiplier, np.nan)
    return value, answered, ok


def _score_subscales(
    scale: Scale,
    scores: dict[str, FloatArray],
    answered: dict[str, IntArray],
    scored: dict[str, BoolArray],
) -> tuple[FloatArray, IntArray, BoolArray]:
    parts = np.column_stack([scores[s] for s in scale.subscales])
    if scale.rule is Rule.MEAN_OF_SUBSCALE_MEANS:
        weights = np.full(len(scale.subscales), 1.0 / len(scale.subscales))
    else:
        weights = np.asarray(scale.weights, dtype=np.float64)
    value = parts @ weights * scale.multiplier
    ok = np.logical_and.reduce([scored[s] for s in scale.subscales])
    count = np.sum([answered[s] for s in scale.subscales], axis=0).astype(np.int64)
    return np.where(ok, value, np.nan), count, ok


def _bands(scale: Scale, value: FloatArray) -> pd.Categorical:
    labels = pd.Index([band.label for band in scale.bands], dtype=object)
    inner_edges = np.asarray([band.min for band in scale.bands[1:]], dtype=np.float64)
    codes = np.searchsorted(inner_edges, value, side="right")
    codes = np.where(np.isnan(value) | (len(labels) == 0), -1, codes)
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)  # type: ignore[arg-type]


def band_of(scale: Scale, value: float) -> str | None:
    """The band label for one score (None for NaN or a scale without bands)."""
    result = _bands(scale, np.asarray([value], dtype=np.float64))[0]
    return None if pd.isna(result) else str(result)


def keyed_answers(
    definition: InstrumentDefinition, responses: pd.DataFrame
) -> tuple[pd.DataFrame, tuple[ResponseError, ...]]:
    """Each numeric item's keyed answers (reverse keys applied), validated as :func:`score`
    validates them: rejected cells are NaN and listed in the errors.

    For item statistics (alpha, omega, item-rest correlations), which must see the answers
    the way the scales add them up.
    """
    errors: list[ResponseError] = []
    invalid = np.zeros(len(responses), dtype=bool)
    out = pd.DataFrame(index=responses.index)
    for item in definition.items:
        if not item.response.numeric:
            continue
        if item.id in responses.columns:
            out[item.id] = _validated(item, responses[item.id], errors, invalid)
        else:
            out[item.id] = np.nan
    return out, tuple(errors)
