"""The completer comparison: balance after weighting and recovery of a known effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.core.outcomes import (
    CAVEAT,
    OutcomeDataError,
    compare_completers,
    ipw_weights,
    standardized_mean_difference,
)


def confounded_cohort(n: int, seed: int, direct_hr: float) -> pd.DataFrame:
    """Risk raises dropout and re-offence (the confounding of domain_science.md §1.4)."""
    rng = np.random.default_rng(seed)
    risk = rng.normal(size=n)
    age = rng.normal(size=n)
    completed = (rng.random(n) < 1 / (1 + np.exp(-(0.4 - 0.9 * risk + 0.5 * age)))).astype(int)
    hazard = 0.002 * np.exp(0.8 * risk) * np.where(completed == 1, direct_hr, 1.0)
    time = rng.exponential(1 / hazard)
    follow = rng.uniform(365, 5 * 365, n)
    return pd.DataFrame(
        {
            "days": np.minimum(time, follow),
            "event": (time <= follow).astype(int),
            "completed": completed,
            "risk": risk,
            "age": age,
        }
    )


def test_weighting_balances_covariates_and_recovers_the_direct_effect() -> None:
    cohort = confounded_cohort(3000, seed=3, direct_hr=0.7)
    result = compare_completers(
        cohort, duration="days", event="event", completed="completed", covariates=["risk", "age"]
    )
    before = {b.covariate: b.smd_before for b in result.balance}
    assert before["risk"] < -0.5  # completers are much lower-risk
    assert result.max_abs_smd_after < 0.1  # the usual bar for balance (Austin 2009)
    # The raw HR mixes selection with the direct effect; the weighted one is the marginal
    # effect of completion, which with a conditional HR of 0.7 and this frailty lies near 0.7.
    assert result.raw_hazard_ratio < 0.5
    assert 0.6 < result.adjusted_hazard_ratio < 0.8
    assert result.weighted_cox.robust
    assert result.caveat == CAVEAT
    assert "not proof" in result.caveat
    completed, dropped = (
        result.weighted_curves["completed"],
        result.weighted_curves["did not complete"],
    )
    assert completed.weighted
    assert completed.at(730) > dropped.at(730)


def test_without_a_direct_effect_the_adjusted_ratio_is_near_one() -> None:
    cohort = confounded_cohort(3000, seed=4, direct_hr=1.0)
    result = compare_completers(
        cohort, duration="days", event="event", completed="completed", covariates=["risk", "age"]
    )
    assert result.raw_hazard_ratio < 0.75
    assert result.adjusted_hazard_ratio == pytest.approx(1.0, abs=0.1)


def test_smd_by_hand() -> None:
    x = np.array([1.0, 2.0, 3.0, 5.0, 7.0, 9.0])
    z = np.array([0, 0, 0, 1, 1, 1])
    # means 2 and 7; population variances 2/3 and 8/3; pooled sqrt(5/3).
    assert standardized_mean_difference(x, z) == pytest.approx(5 / np.sqrt(5 / 3))
    w = np.array([1.0, 1.0, 2.0, 1.0, 1.0, 1.0])
    # weighted control mean (1 + 2 + 6) / 4 = 2.25, variance (1.5625 + .0625 + 2*.5625)/4
    v0 = (1.5625 + 0.0625 + 2 * 0.5625) / 4
    assert standardized_mean_difference(x, z, w) == pytest.approx(4.75 / np.sqrt((v0 + 8 / 3) / 2))


def test_stabilised_weights_average_one_in_each_arm_when_scores_are_right() -> None:
    z = np.array([1, 1, 0, 0])
    e = np.full(4, 0.5)
    assert ipw_weights(z, e).tolist() == [1.0, 1.0, 1.0, 1.0]


def test_it_refuses_a_cohort_where_every_man_completed() -> None:
    cohort = confounded_cohort(50, seed=1, direct_hr=1.0).assign(completed=1)
    with pytest.raises(OutcomeDataError, match="column 'completed'"):
        compare_completers(
            cohort, duration="days", event="event", completed="completed", covariates=["age"]
        )
