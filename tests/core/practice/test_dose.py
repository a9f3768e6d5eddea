from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.core.practice import fit_dose_effect
from alliance.core.simulate.practice import PracticeSimulation, simulate_practice


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_recovers_the_simulated_dose_effect_within_its_interval(seed: int) -> None:
    params = PracticeSimulation(n_men=150, per_hour=0.8)
    _, scores = simulate_practice(params, rng=np.random.default_rng(seed))
    effect = fit_dose_effect(scores)
    assert effect.ci_low <= params.per_hour <= effect.ci_high
    assert effect.interval_excludes_zero
    assert effect.men == 150
    assert effect.observations == 150 * 6


def test_with_no_dose_effect_the_interval_covers_zero() -> None:
    params = PracticeSimulation(n_men=150, per_hour=0.0)
    _, scores = simulate_practice(params, rng=np.random.default_rng(11))
    effect = fit_dose_effect(scores)
    assert effect.ci_low <= 0.0 <= effect.ci_high


def test_the_logs_add_up_to_the_hours_used_for_the_scores() -> None:
    logs, scores = simulate_practice(PracticeSimulation(n_men=5), rng=np.random.default_rng(0))
    man0 = logs[logs["participant"] == 0]
    last = scores[scores["participant"] == 0].iloc[-1]
    assert last["practice_hours"] == pytest.approx(
        man0[man0["week"] < last["weeks"]]["minutes"].sum() / 60
    )


def test_it_rejects_too_few_men_and_missing_columns() -> None:
    frame = pd.DataFrame(
        {"participant": [1, 1], "weeks": [0, 4], "practice_hours": [0, 1], "score": [1, 2]}
    )
    with pytest.raises(ValueError, match="10 men"):
        fit_dose_effect(frame)
    with pytest.raises(ValueError, match="missing columns: score"):
        fit_dose_effect(frame.drop(columns="score"))
