"""Retention: Kaplan–Meier estimate of staying in the program, by sessions attended.

Time is counted in sessions attended rather than calendar days because program rules, and
the dropout literature (domain_science.md §1.3), are stated per session. A man who drops out
is an event at the number of sessions he attended; men still active, completed, transferred
or discharged for other reasons are censored there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from lifelines import KaplanMeierFitter


@dataclass(frozen=True)
class RetentionCurve:
    """Proportion still enrolled after each number of sessions, with a 95% interval."""

    sessions: tuple[float, ...]
    retained: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    n: int
    dropouts: int

    def retained_after(self, session: float) -> float:
        """Step-function value: the estimate after ``session`` sessions."""
        index = int(np.searchsorted(np.asarray(self.sessions), session, side="right")) - 1
        return 1.0 if index < 0 else self.retained[index]


def retention_curve(sessions_attended: npt.ArrayLike, dropped_out: npt.ArrayLike) -> RetentionCurve:
    """Kaplan–Meier product-limit estimate with Greenwood / exponential-Greenwood intervals.

    Parameters
    ----------
    sessions_attended : array of non-negative numbers, one per enrollment that started.
    dropped_out : array of booleans, True where the man dropped out.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    JASA 53(282), 457–481. Intervals as computed by ``lifelines.KaplanMeierFitter``.
    """
    durations = np.asarray(sessions_attended, dtype=float)
    events = np.asarray(dropped_out, dtype=bool)
    if durations.shape != events.shape or durations.ndim != 1:
        raise ValueError("sessions_attended and dropped_out must be 1-D arrays of one length.")
    if np.any(durations < 0) or not np.all(np.isfinite(durations)):
        raise ValueError("sessions_attended must be finite and not negative.")
    if durations.size == 0:
        return RetentionCurve((0.0,), (1.0,), (1.0,), (1.0,), 0, 0)
    fitter = KaplanMeierFitter().fit(durations, event_observed=events)
    survival = fitter.survival_function_.iloc[:, 0]
    interval = fitter.confidence_interval_survival_function_
    return RetentionCurve(
        sessions=tuple(float(t) for t in survival.index),
        retained=tuple(float(v) for v in survival.to_numpy()),
        lower=tuple(float(v) for v in interval.iloc[:, 0].to_numpy()),
        upper=tuple(float(v) for v in interval.iloc[:, 1].to_numpy()),
        n=int(durations.size),
        dropouts=int(events.sum()),
    )
