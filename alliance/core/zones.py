"""The "safe but not too safe" map: which zone a man was in at a session, and what to do about it.

Each man-session pairs two 0-10 ratings: his **felt safety** (the check-out item "Today I felt
safe enough to be honest about myself", ``checkout_honest``) and the facilitator's rating of his
**accountability work** (the facilitator rating item ``rating_accountability``: named his own
behaviour, stayed with challenge, used the self-check without minimising).  Two cutoffs, a
program setting, split the plane into four zones:

=============  ======================  ==========================
zone           felt safety             accountability work
=============  ======================  ==========================
growth         at or above the cutoff  at or above the cutoff
threat         below the cutoff        at or above the cutoff
comfort        at or above the cutoff  below the cutoff
disengaged     below the cutoff        below the cutoff
=============  ======================  ==========================

The idea and its evidence are in ``shared/research/bip_standards.md`` §4 idea 1: confrontation
hinders the alliance (Taft & Murphy 2007), the facilitator's view of the alliance predicts
completion (van Tilburg et al. 2025), and motivational interviewing raises constructive
in-session behaviour (Musser et al. 2008).  The cutoffs are **assumptions**, not validated
thresholds; both ratings are project-authored and not externally validated.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

SAFETY_ITEM = "checkout_honest"
CHALLENGE_ITEM = "rating_accountability"
RATING_MIN = 0.0
RATING_MAX = 10.0


class Zone(enum.StrEnum):
    GROWTH = "growth"
    THREAT = "threat"
    COMFORT = "comfort"
    DISENGAGED = "disengaged"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_LABELS = {
    Zone.GROWTH: "Growth",
    Zone.THREAT: "Threat",
    Zone.COMFORT: "Comfort",
    Zone.DISENGAGED: "Disengaged",
}
_MEANINGS = {
    Zone.GROWTH: "safe enough and doing accountability work",
    Zone.THREAT: "challenged while not feeling safe",
    Zone.COMFORT: "feeling safe with little accountability work",
    Zone.DISENGAGED: "neither feeling safe nor doing accountability work",
}
ZONE_ORDER = (Zone.GROWTH, Zone.THREAT, Zone.COMFORT, Zone.DISENGAGED)


@dataclass(frozen=True)
class ZoneThresholds:
    """A program's cutoffs (documented defaults; every one is an assumption).

    Attributes
    ----------
    safety_cutoff : float
        Felt safety at or above this (0-10) counts as safe enough.  Default 6.
    challenge_cutoff : float
        Accountability work at or above this (0-10) counts as real work.  Default 4.
    threat_sessions : int
        Consecutive rated sessions in the threat zone that raise an alert.  Default 2.
    comfort_sessions : int
        Consecutive rated sessions in the comfort zone that raise an alert.  Default 4
        (bip_standards.md §4 idea 1: "too safe for 4+ sessions").
    """

    safety_cutoff: float = 6.0
    challenge_cutoff: float = 4.0
    threat_sessions: int = 2
    comfort_sessions: int = 4

    def problems(self) -> list[str]:
        """Each invalid setting, named as the settings form names it."""
        found = []
        for name, value in (
            ("safety cutoff", self.safety_cutoff),
            ("challenge cutoff", self.challenge_cutoff),
        ):
            if not math.isfinite(value) or not RATING_MIN < value <= RATING_MAX:
                found.append(f"{name}: give a number above 0 and at most 10 (got {value:g})")
        for name, count in (
            ("threat sessions", self.threat_sessions),
            ("comfort sessions", self.comfort_sessions),
        ):
            if not 1 <= count <= 52:
                found.append(f"{name}: give a whole number from 1 to 52 (got {count})")
        return found


@dataclass(frozen=True)
class ZonePoint:
    """One man-session on the map; ``zone`` is ``None`` when either rating is missing."""

    session_number: int
    safety: float | None
    challenge: float | None
    zone: Zone | None


@dataclass(frozen=True)
class ZoneAlert:
    """A run of sessions in one zone long enough to act on."""

    zone: Zone
    session_number: int
    run_length: int
    detail: str


def classify_zone(
    safety: float | None, challenge: float | None, thresholds: ZoneThresholds
) -> Zone | None:
    """The zone of one man-session, or ``None`` if either rating is missing."""
    if safety is None or challenge is None:
        return None
    if not (math.isfinite(safety) and math.isfinite(challenge)):
        return None
    safe = safety >= thresholds.safety_cutoff
    challenged = challenge >= thresholds.challenge_cutoff
    if safe and challenged:
        return Zone.GROWTH
    if challenged:
        return Zone.THREAT
    if safe:
        return Zone.COMFORT
    return Zone.DISENGAGED


def zone_path(
    rows: Sequence[tuple[int, float | None, float | None]], thresholds: ZoneThresholds
) -> list[ZonePoint]:
    """A man's path: ``(session_number, safety, challenge)`` rows, sorted by session."""
    return [
        ZonePoint(number, safety, challenge, classify_zone(safety, challenge, thresholds))
        for number, safety, challenge in sorted(rows, key=lambda r: r[0])
    ]


def zone_alerts(path: Sequence[ZonePoint], thresholds: ZoneThresholds) -> list[ZoneAlert]:
    """Alerts for runs in the threat or comfort zone.

    A run counts consecutive points of ``path`` in one zone; a session without both ratings
    breaks it (we do not know where he was).  One alert per run, at the session where the run
    reaches its length: a man in the threat zone for five sessions gets one alert, not four.
    """
    needed = {Zone.THREAT: thresholds.threat_sessions, Zone.COMFORT: thresholds.comfort_sessions}
    alerts: list[ZoneAlert] = []
    run_zone: Zone | None = None
    run = 0
    for point in path:
        if point.zone is not None and point.zone == run_zone:
            run += 1
        else:
            run_zone, run = point.zone, (1 if point.zone is not None else 0)
        if run_zone in needed and run == needed[run_zone]:
            alerts.append(ZoneAlert(run_zone, point.session_number, run, _detail(run_zone, run)))
    return alerts


def _detail(zone: Zone, run: int) -> str:
    if zone == Zone.THREAT:
        return (
            f"In the threat zone {run} sessions running (challenged while not feeling safe): "
            "consider a repair conversation and a motivational approach."
        )
    return (
        f"In the comfort zone {run} sessions running (feeling safe with little "
        "accountability work): consider a compassionate challenge."
    )


def zone_distribution(zones: Sequence[Zone | None]) -> dict[Zone | None, int]:
    """How many man-sessions fell in each zone (``None``: not both rated), in map order."""
    counts: dict[Zone | None, int] = {zone: 0 for zone in ZONE_ORDER}
    counts[None] = 0
    for zone in zones:
        counts[zone] += 1
    return counts


@dataclass(frozen=True)
class ZoneDropoutEffect:
    """Odds ratio of dropping out after a threat-zone session, from a discrete-time model."""

    odds_ratio: float
    ci_low: float
    ci_high: float
    n_sessions: int
    n_dropouts: int


def threat_zone_dropout_effect(frame: pd.DataFrame) -> ZoneDropoutEffect:
    """Estimate how much a threat-zone session raises the odds of not coming back.

    A discrete-time hazard model (Singer & Willett 1993): a logistic regression of
    ``dropped_out_after`` on an indicator of the threat zone, adjusted for the session number
    and, when present, the man's own rating of the alliance at that session (``client_alliance``
    and ``facilitator_alliance``), because felt safety travels with the alliance.  With a small
    per-session hazard the odds ratio approximates the hazard ratio.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per man-session with a zone: ``zone`` (a :class:`Zone` value),
        ``session_number``, ``dropped_out_after`` (bool), optional alliance columns.

    Raises
    ------
    ValueError
        If a column is missing, or there are no dropouts or no threat-zone sessions.

    References
    ----------
    .. [1] Singer, J. D., & Willett, J. B. (1993). It's about time: using discrete-time
       survival analysis to study duration and the timing of events. *J Educ Stat*, 18(2).
    """
    import statsmodels.api as sm

    for column in ("zone", "session_number", "dropped_out_after"):
        if column not in frame.columns:
            raise ValueError(f"the frame has no {column!r} column")
    rated = frame.dropna(subset=["zone"])
    covariates = [c for c in ("client_alliance", "facilitator_alliance") if c in rated.columns]
    rated = rated.dropna(subset=covariates)
    y = rated["dropped_out_after"].astype(np.float64).to_numpy()
    threat = (rated["zone"].astype(str) == Zone.THREAT.value).astype(np.float64).to_numpy()
    if y.sum() == 0:
        raise ValueError("no dropouts: the effect cannot be estimated")
    if threat.sum() == 0:
        raise ValueError("no threat-zone sessions: the effect cannot be estimated")
    x = np.column_stack(
        [
            np.ones_like(y),
            threat,
            rated["session_number"].astype(np.float64).to_numpy(),
            *[rated[c].astype(np.float64).to_numpy() for c in covariates],
        ]
    )
    fit = sm.Logit(y, x).fit(disp=0)
    beta = float(fit.params[1])
    se = float(fit.bse[1])
    return ZoneDropoutEffect(
        odds_ratio=math.exp(beta),
        ci_low=math.exp(beta - 1.959963984540054 * se),
        ci_high=math.exp(beta + 1.959963984540054 * se),
        n_sessions=int(y.shape[0]),
        n_dropouts=int(y.sum()),
    )
