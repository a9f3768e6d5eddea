"""A deliberately naive, row-by-row scorer used to check the vectorised engine.

It reads the definition's documented rules (docs/instruments.md) and applies them one
administration at a time with plain Python, sharing no code with
``alliance.core.instruments.scoring`` beyond the definition dataclasses.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from alliance.core.instruments import InstrumentDefinition, Rule, Scale


def _cell_problem(definition: InstrumentDefinition, item_id: str, value: Any) -> str | None:
    response = definition.item(item_id).response
    if not response.numeric:
        return None
    if isinstance(value, bool):
        return "not a number"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "not a number"
    if not math.isfinite(number):
        return "not a number"
    assert response.min is not None
    assert response.max is not None
    if number < response.min or number > response.max:
        return "outside the range"
    if response.step is not None:
        k = (number - response.min) / response.step
        if abs(k - round(k)) > 1e-6:
            return "not on a step"
    return None


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def score_row(
    definition: InstrumentDefinition, row: dict[str, Any]
) -> tuple[dict[str, tuple[float, bool, int]] | None, list[tuple[str, str]]]:
    """Score one administration.

    Returns ``({scale: (score, missing, answered)}, [])`` or ``(None, [(item, problem), ...])``.
    """
    problems: list[tuple[str, str]] = []
    keyed: dict[str, float] = {}
    for column, value in row.items():
        if _missing(value):
            continue
        if not definition.has_item(column):
            problems.append((column, "unknown item"))
            continue
        problem = _cell_problem(definition, column, value)
        if problem is not None:
            problems.append((column, problem))
            continue
        item = definition.item(column)
        if not item.response.numeric:
            continue
        number = float(value)
        assert item.response.min is not None
        assert item.response.max is not None
        if item.reverse:
            number = item.response.min + item.response.max - number
        keyed[column] = number
    if problems:
        return None, problems
    results: dict[str, tuple[float, bool, int]] = {}
    for scale in definition.scales:
        if scale.rule.uses_items:
            results[scale.id] = _item_scale(scale, keyed)
    for scale in definition.scales:
        if not scale.rule.uses_items:
            parts = [results[s] for s in scale.subscales]
            answered = sum(p[2] for p in parts)
            if any(p[1] for p in parts):
                results[scale.id] = (math.nan, True, answered)
                continue
            if scale.rule is Rule.MEAN_OF_SUBSCALE_MEANS:
                value = sum(p[0] for p in parts) / len(parts)
            else:
                value = sum(w * p[0] for w, p in zip(scale.weights, parts, strict=True))
            results[scale.id] = (value * scale.multiplier, False, answered)
    return results, []


def _item_scale(scale: Scale, keyed: dict[str, float]) -> tuple[float, bool, int]:
    answers = [keyed[i] for i in scale.items if i in keyed]
    k = len(scale.items)
    n = len(answers)
    rule = scale.missing
    assert rule is not None
    if rule.max_missing is not None:
        enough = k - n <= rule.max_missing
    else:
        assert rule.min_proportion_answered is not None
        enough = n / k >= rule.min_proportion_answered
    if n == 0 or not enough:
        return math.nan, True, n
    if scale.rule is Rule.SUM:
        value = sum(answers)
    elif scale.rule is Rule.MEAN:
        value = sum(answers) / n
    else:
        value = sum(answers) / n * k
    return value * scale.multiplier, False, n


def band_label(scale: Scale, value: float) -> str | None:
    if math.isnan(value) or not scale.bands:
        return None
    value = round(value, 9)  # the documented rounding before banding
    for band in scale.bands[:-1]:
        if band.min <= value < band.max:
            return band.label
    return scale.bands[-1].label


def score_frame(definition: InstrumentDefinition, frame: pd.DataFrame) -> list[Any]:
    """Score every row of ``frame``; one ``score_row`` result per row."""
    rows = frame.to_dict(orient="records")
    return [score_row(definition, {str(k): v for k, v in row.items()}) for row in rows]
