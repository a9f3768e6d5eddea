"""Synthetic follow-up records for men who have left a program (demo and benchmarks).

The simulator (:mod:`alliance.core.simulate.reoffence`) draws re-offence *times*; a program
never sees times, it sees records: official searches over a window and partner interviews at
6 and 12 months, some partners never reached. This module turns the same Weibull
proportional-hazards model (domain_science.md §6) into such records, so that the evaluation
report is exercised exactly as real imported data would exercise it, censoring included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from alliance.core.outcomes.followup import (
    DAYS_PER_YEAR,
    PARTNER_CHECKPOINTS,
    OutcomeKind,
    Source,
)
from alliance.core.simulate.parameters import SimulationParameters

#: Share of partners reached at each checkpoint (Gondolf's multi-site study reached roughly
#: three in four partners at 15 months; assumption).
PARTNER_REACHED = 0.75
_OFFICIAL_KINDS = (
    (OutcomeKind.IPV_POLICE_REPORT, 0.45),
    (OutcomeKind.IPV_CHARGE, 0.2),
    (OutcomeKind.VIOLENT_OFFENCE, 0.15),
    (OutcomeKind.ANY_OFFENCE, 0.2),
)


@dataclass(frozen=True)
class SyntheticFollowUp:
    followups: list[tuple[int, Source, dt.date, dt.date, int | None]]
    """``(man, source, window_start, window_end, checkpoint_months)``."""
    events: list[tuple[int, OutcomeKind, dt.date]]


def _weibull_days(
    rng: np.random.Generator, shape: float, scale_years: float, multiplier: NDArray[np.float64]
) -> NDArray[np.float64]:
    e = rng.standard_exponential(multiplier.size)
    years = scale_years * (e / multiplier) ** (1.0 / shape)
    # Most men never re-offend within a lifetime; cap at a century so dates stay in range.
    days: NDArray[np.float64] = np.minimum(years * DAYS_PER_YEAR, 100 * DAYS_PER_YEAR)
    return days


def synthesize_follow_up(
    rng: np.random.Generator,
    *,
    men: Sequence[int],
    exits: Sequence[dt.date],
    completed: Sequence[bool],
    risk: NDArray[np.float64],
    today: dt.date,
    params: SimulationParameters | None = None,
) -> SyntheticFollowUp:
    """Official searches up to ``today`` and partner interviews that have fallen due.

    ``risk`` is a standardized risk score per man (mean 0, SD 1) standing in for the
    simulator's latent risk; the hazard multiplier is ``exp(gamma * risk)`` times the direct
    completion hazard ratio for completers, as in the simulator.
    """
    p = params or SimulationParameters()
    n = len(men)
    if not (len(exits) == len(completed) == risk.size == n):
        raise ValueError("men, exits, completed and risk must have the same length")
    gamma = p.reoffence_latent_log_hr
    multiplier = np.exp(gamma * risk - 0.5 * gamma**2)
    multiplier = np.where(np.asarray(completed), multiplier * p.completion_direct_hr, multiplier)
    official = _weibull_days(rng, p.official_weibull_shape, p.official_scale_years, multiplier)
    partner = _weibull_days(rng, p.partner_weibull_shape, p.partner_scale_years, multiplier)
    kinds = [k for k, _ in _OFFICIAL_KINDS]
    kind_index = rng.choice(len(kinds), size=n, p=[w for _, w in _OFFICIAL_KINDS])
    physical = rng.random(n) < 0.6
    reached = rng.random((n, len(PARTNER_CHECKPOINTS))) < PARTNER_REACHED

    followups: list[tuple[int, Source, dt.date, dt.date, int | None]] = []
    events: list[tuple[int, OutcomeKind, dt.date]] = []
    for i, (man, exit_on) in enumerate(zip(men, exits, strict=True)):
        if exit_on >= today:
            continue
        followups.append((man, Source.OFFICIAL_RECORD, exit_on, today, None))
        hit = exit_on + dt.timedelta(days=int(official[i]))
        if hit <= today:
            events.append((man, kinds[int(kind_index[i])], hit))
        start, last_interview = exit_on, None
        for j, months in enumerate(PARTNER_CHECKPOINTS):
            end = exit_on + dt.timedelta(days=round(months * DAYS_PER_YEAR / 12))
            if end > today:
                break
            if reached[i, j]:
                followups.append((man, Source.PARTNER_REPORT, start, end, months))
                start = last_interview = end
        if last_interview is not None:
            hit = exit_on + dt.timedelta(days=int(partner[i]))
            if hit <= last_interview:
                kind = (
                    OutcomeKind.PARTNER_PHYSICAL_ABUSE
                    if physical[i]
                    else OutcomeKind.PARTNER_PSYCHOLOGICAL_ABUSE
                )
                events.append((man, kind, hit))
    return SyntheticFollowUp(followups=followups, events=events)
