"""Survival charts stay small however many men there are."""

from __future__ import annotations

import numpy as np

from alliance.core.outcomes import kaplan_meier
from alliance.outcomes.charts import MAX_STEPS, _drawn, survival_svg


def _curve(n: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    days = np.ceil(rng.exponential(900, n))
    censored = np.ceil(rng.uniform(30, 1800, n))
    return kaplan_meier(np.minimum(days, censored), (days <= censored).astype(int))


def test_a_long_curve_is_drawn_at_most_max_steps_with_exact_values() -> None:
    curve = _curve(20_000)
    assert len(curve.timeline) > 4 * MAX_STEPS
    days, survival, lower, upper = _drawn(curve)
    assert len(days) == MAX_STEPS
    assert days[0] == curve.timeline[0]
    assert days[-1] == curve.timeline[-1]
    assert np.allclose(survival, [curve.at(d) for d in days])
    assert np.all(lower <= survival)
    assert np.all(survival <= upper)


def test_a_short_curve_is_drawn_as_it_is() -> None:
    curve = _curve(100)
    assert len(_drawn(curve)[0]) == len(curve.timeline)


def test_the_svg_size_does_not_grow_with_the_men() -> None:
    small = survival_svg({"completed": _curve(2_000)}, title="t", bands=True)
    large = survival_svg({"completed": _curve(30_000)}, title="t", bands=True)
    assert len(large) < 1.5 * len(small)
