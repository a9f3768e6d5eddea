"""Synthetic practice logs and compassion scores with a known dose effect.

Each man has his own practice habit (a gamma-distributed weekly mean, so some men practise
a lot and some hardly at all), minutes per week drawn around it, and a compassion score
measured every ``measure_every`` weeks:

    score = baseline_i + per_week * week + per_hour * cumulative_hours + noise

``per_hour`` is the known dose effect that ``alliance.core.practice.fit_dose_effect`` should
recover. Baselines are independent of the habit here, so the association is causal by
construction; real data do not promise that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class PracticeSimulation:
    n_men: int = 200
    weeks: int = 24
    measure_every: int = 4
    mean_minutes_per_week: float = 60.0
    habit_shape: float = 1.5
    per_hour: float = 0.8
    per_week: float = 0.1
    baseline_mean: float = 50.0
    baseline_sd: float = 8.0
    noise_sd: float = 4.0


def simulate_practice(
    params: PracticeSimulation, *, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly practice logs and the measurements: ``(logs, scores)``.

    ``logs`` has one row per man per week (``participant``, ``week``, ``minutes``);
    ``scores`` one row per measurement (``participant``, ``weeks``, ``practice_hours``,
    ``score``), ready for ``fit_dose_effect``.
    """
    p = params
    habit = rng.gamma(p.habit_shape, p.mean_minutes_per_week / p.habit_shape, size=p.n_men)
    minutes = rng.poisson(np.repeat(habit[:, None], p.weeks, axis=1))
    men = np.repeat(np.arange(p.n_men), p.weeks)
    weeks = np.tile(np.arange(p.weeks), p.n_men)
    logs = pd.DataFrame({"participant": men, "week": weeks, "minutes": minutes.ravel()})

    cumulative_hours = np.cumsum(minutes, axis=1) / 60.0
    measured = np.arange(0, p.weeks, p.measure_every)
    # Hours practised before each measurement week (nothing before week 0).
    before = np.concatenate([np.zeros((p.n_men, 1)), cumulative_hours[:, :-1]], axis=1)
    hours = before[:, measured]
    baseline = rng.normal(p.baseline_mean, p.baseline_sd, size=p.n_men)
    score = (
        baseline[:, None]
        + p.per_week * measured[None, :]
        + p.per_hour * hours
        + rng.normal(0.0, p.noise_sd, size=hours.shape)
    )
    scores = pd.DataFrame(
        {
            "participant": np.repeat(np.arange(p.n_men), len(measured)),
            "weeks": np.tile(measured, p.n_men).astype(float),
            "practice_hours": hours.ravel(),
            "score": score.ravel(),
        }
    )
    return logs, scores
