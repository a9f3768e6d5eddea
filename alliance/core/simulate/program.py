"""Simulate one program's referred men, session by session, from intake to exit.

The order of random draws is fixed and does not depend on who is still enrolled: every
session draws marks, alliance ratings and a dropout uniform for *every* man, and only the
rows of men still enrolled are kept.  So a seed gives the same program, and changing an
odds ratio changes who drops out without reshuffling everything else (common random
numbers, which also makes calibration by bisection smooth).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.core.simulate.intake import categorical, draw_intake, static_dropout_logit
from alliance.core.simulate.parameters import SimulationParameters
from alliance.core.simulate.reoffence import draw_reoffences
from alliance.core.vocabulary import AttendanceMark
from alliance.core.zones import Zone, ZoneThresholds, classify_zone

FloatArray = NDArray[np.float64]

_MARKS = [str(m) for m in AttendanceMark]
_PRESENT = _MARKS.index(AttendanceMark.PRESENT)
_LATE = _MARKS.index(AttendanceMark.LATE)
_EXCUSED = _MARKS.index(AttendanceMark.EXCUSED)
_UNEXCUSED = _MARKS.index(AttendanceMark.UNEXCUSED)

# Gauss-Hermite (probabilists') nodes for averaging the hazard over session-level alliance
# noise; 24 nodes are exact to ~1e-10 for a logistic of a normal with SD < 1.
_GH_NODES, _GH_WEIGHTS = np.polynomial.hermite_e.hermegauss(24)
_GH_WEIGHTS = _GH_WEIGHTS / _GH_WEIGHTS.sum()


@dataclass(frozen=True)
class ZoneEffect:
    """A known effect of the "safe but not too safe" zone on dropout (``core/zones.py``).

    When given to :func:`simulate_program`, each attended session also draws his felt safety
    and the facilitator's rating of his accountability work (whole numbers 0-10), classifies
    the zone with ``thresholds``, and a threat-zone session multiplies the odds of dropping out
    after it by ``or_threat_zone``.  The size is an **assumption** (no study has measured it;
    bip_standards.md §4 idea 1 names only its direction: confrontation that feels unsafe
    predicts defensiveness and dropout, Taft & Murphy 2007); it exists so the analysis can be
    shown to recover a known effect.  Draws come from a generator spawned from ``rng``, so a
    seed gives the same men and marks with or without zones.

    Attributes
    ----------
    or_threat_zone : float
        Odds ratio of dropping out after a threat-zone session (> 0).  Default 2.0.
    thresholds : ZoneThresholds
        The cutoffs that classify each session.
    safety_mean, safety_sd : float
        Felt safety = mean + sd * (alliance_loading * client alliance z + noise), rounded, 0-10.
    safety_alliance_loading : float
        How much felt safety travels with his alliance rating (0-1).  Assumption: 0.6.
    challenge_mean, challenge_sd : float
        The facilitator's accountability rating, independent of safety, rounded, 0-10.
    """

    or_threat_zone: float = 2.0
    thresholds: ZoneThresholds = field(default_factory=ZoneThresholds)
    safety_mean: float = 6.5
    safety_sd: float = 2.0
    safety_alliance_loading: float = 0.6
    challenge_mean: float = 5.0
    challenge_sd: float = 2.5

    def validate(self) -> None:
        if not (np.isfinite(self.or_threat_zone) and self.or_threat_zone > 0):
            raise ValueError("or_threat_zone must be a positive number")
        if not 0.0 <= self.safety_alliance_loading <= 1.0:
            raise ValueError("safety_alliance_loading must be between 0 and 1")
        if self.safety_sd < 0 or self.challenge_sd < 0:
            raise ValueError("safety_sd and challenge_sd must not be negative")
        problems = self.thresholds.problems()
        if problems:
            raise ValueError("; ".join(problems))


@dataclass(frozen=True)
class IsolationEffect:
    """A known effect of his isolation on dropout (``alliance.core.connection``).

    When given to :func:`simulate_program`, each man has an isolation index (in standard
    units, the scale of ``isolation_at``) that is measured at session 1 and every
    ``every_sessions`` sessions after it (intake and every 8 sessions, as bip_standards.md §4
    idea 2 proposes) and stays as last measured in between. Between measurements it moves as
    an AR(1) process: ``z_new = persistence * z + sqrt(1 - persistence**2) * e``. Dropping
    out after session ``s`` has its odds multiplied by ``or_per_sd ** z(s)``.

    The size is an **assumption** (no study has measured it; the seed and the OQ finding that
    social support is the commonest problem of off-track clients give only the direction);
    it exists so a test can show the fitted model recovers a known direction. Draws come from
    a generator spawned from ``rng``, so everything else is the same with or without it.

    Attributes
    ----------
    or_per_sd : float
        Odds ratio of dropping out per SD of isolation (> 0). Default 1.5.
    every_sessions : int
        Sessions between measurements (>= 1). Default 8.
    persistence : float
        Correlation of one measurement with the next (0-1). Default 0.7.
    """

    or_per_sd: float = 1.5
    every_sessions: int = 8
    persistence: float = 0.7

    def validate(self) -> None:
        if not (np.isfinite(self.or_per_sd) and self.or_per_sd > 0):
            raise ValueError("or_per_sd must be a positive number")
        if self.every_sessions < 1:
            raise ValueError("every_sessions must be at least 1")
        if not 0.0 <= self.persistence <= 1.0:
            raise ValueError("persistence must be between 0 and 1")


@dataclass(frozen=True)
class SimulatedProgram:
    """A simulated program: the men, their session rows and the parameters used.

    Attributes
    ----------
    participants : pandas.DataFrame
        One row per referred man; see ``docs/simulator.md`` for every column.
    sessions : pandas.DataFrame
        One row per man per session he was enrolled for (men who showed only).
    parameters : SimulationParameters
        The parameters the program was drawn with.
    latent : pandas.DataFrame
        Latent traits per man (``latent_risk``, ``disadvantage``, ``readiness``,
        ``client_alliance_trait``, ``facilitator_alliance_trait``) for later modules.
    reoffences : pandas.DataFrame
        Official and partner-reported re-offence times with administrative censoring.
    """

    participants: pd.DataFrame
    sessions: pd.DataFrame
    parameters: SimulationParameters
    latent: pd.DataFrame
    reoffences: pd.DataFrame


def simulate_program(
    n_participants: int,
    *,
    rng: np.random.Generator,
    params: SimulationParameters | None = None,
    reference_year: int = 2026,
    zones: ZoneEffect | None = None,
    isolation: IsolationEffect | None = None,
) -> SimulatedProgram:
    """Simulate ``n_participants`` referred men going through one program.

    Recipe (domain_science.md §6): draw covariates and a shared latent risk; apply the
    pre-programme no-show; then, for sessions ``s = 1 .. n-1``, the probability that a man
    enrolled at session ``s`` drops out after it is

    .. math::

        \\operatorname{logit} h_i(s) = \\operatorname{logit}(h_1 r^{s-1}) + \\delta
            + \\sum_k \\beta_k (x_{ik} - \\bar x_k) + \\gamma L_i
            + \\beta_c c_i(s) + \\beta_f f_i(s)

    with ``beta = log(OR)``, ``L`` the latent risk, ``c`` and ``f`` the client and
    facilitator alliance z-scores rated at session ``s`` (so alliance acts one session
    ahead: it predicts not coming back to ``s + 1``) and ``delta`` the calibration shift.
    Nobody drops out after the last session.  Attendance marks are drawn for each enrolled
    session, with absences raised by the latent risk; they do not feed the hazard, so any
    link between absences and dropout runs through the latent risk, as in the data.

    Parameters
    ----------
    n_participants : int
        Number of referred men (>= 1).
    rng : numpy.random.Generator
        Source of all randomness; the same seed gives the same program.
    params : SimulationParameters, optional
        Defaults to ``SimulationParameters()``; validated here.
    reference_year : int
        Calendar year of intake, used to turn age into ``birth_year``.
    zones : ZoneEffect, optional
        Adds ``felt_safety``, ``challenge`` and ``zone`` columns to the session rows and a
        threat-zone term ``log(or_threat_zone) * threat_i(s)`` to the hazard.  Without it the
        program is exactly what it was before zones existed.
    isolation : IsolationEffect, optional
        Adds an ``isolation`` column (his isolation index as last measured, carried between
        measurements) and a term ``log(or_per_sd) * isolation_i(s)`` to the hazard.  Without
        it the program is exactly what it was before (``baseline_dropout_probability`` does
        not include the isolation term).

    Returns
    -------
    SimulatedProgram

    References
    ----------
    .. [1] Olver, M. E., Stockdale, K. C., & Wormith, J. S. (2011). A meta-analysis of
       predictors of offender treatment attrition. *JCCP*, 79(1), 6-21.
    .. [2] Sharf, J., Primavera, L. H., & Diener, M. J. (2010). Dropout and therapeutic
       alliance: a meta-analysis. *Psychotherapy*, 47(4), 637-645.
    .. [3] Singer, J. D., & Willett, J. B. (1993). It's about time: using discrete-time
       survival analysis to study duration and the timing of events. *J Educ Stat*, 18(2).
    """
    if isinstance(n_participants, bool) or not isinstance(n_participants, int | np.integer):
        raise ValueError("n_participants must be an integer")
    if n_participants < 1:
        raise ValueError("n_participants must be at least 1")
    p = params if params is not None else SimulationParameters()
    p.validate()
    if zones is not None:
        zones.validate()
    if isolation is not None:
        isolation.validate()
    n = int(n_participants)

    intake = draw_intake(n, rng, p, reference_year)
    participants = intake.participants
    latent = intake.latent
    eta_static = static_dropout_logit(participants, p)
    no_show = rng.random(n) < p.no_show_rate

    sessions, dropout_after, attended = _run_sessions(
        rng, p, latent, eta_static, no_show, zones, isolation
    )

    completed = ~no_show & (dropout_after == 0)
    outcome = np.where(no_show, "no_show", np.where(completed, "completed", "dropped_out"))
    participants = participants.assign(
        no_show=no_show,
        sessions_attended=attended,
        outcome=pd.Categorical(outcome, categories=["completed", "dropped_out", "no_show"]),
        dropout_after_session=pd.Series(dropout_after, dtype="Int64").mask(dropout_after == 0),
        baseline_dropout_probability=_baseline_dropout_probability(p, latent, eta_static),
    )
    reoffences = draw_reoffences(rng, p, participants["outcome"].to_numpy(), latent)
    return SimulatedProgram(
        participants=participants,
        sessions=sessions,
        parameters=p,
        latent=latent,
        reoffences=reoffences,
    )


def _alliance_coefficients(p: SimulationParameters) -> tuple[float, float]:
    return float(np.log(p.or_alliance_per_sd)), float(np.log(p.or_facilitator_alliance_per_sd))


def _run_sessions(
    rng: np.random.Generator,
    p: SimulationParameters,
    latent: pd.DataFrame,
    eta_static: FloatArray,
    no_show: NDArray[np.bool_],
    zones: ZoneEffect | None = None,
    isolation: IsolationEffect | None = None,
) -> tuple[pd.DataFrame, NDArray[np.int64], NDArray[np.int64]]:
    n = eta_static.shape[0]
    lr = latent["latent_risk"].to_numpy(np.float64)
    client_stable = np.sqrt(p.alliance_stability) * latent["client_alliance_trait"].to_numpy()
    facil_stable = np.sqrt(p.alliance_stability) * latent["facilitator_alliance_trait"].to_numpy()
    noise_sd = np.sqrt(1.0 - p.alliance_stability)
    rho = p.alliance_rater_correlation
    beta_c, beta_f = _alliance_coefficients(p)
    base_logit = _logit(p.baseline_hazard())

    p_excused = _expit(_logit(np.full(n, p.excused_absence_rate)) + p.excused_latent_loading * lr)
    p_unexcused = _expit(
        _logit(np.full(n, p.unexcused_absence_rate)) + p.unexcused_latent_loading * lr
    )
    geometric_p = 1.0 / p.minutes_late_mean

    # Spawning does not advance ``rng``: every other draw is the same with or without zones.
    zone_rng = rng.spawn(1)[0] if zones is not None else None
    isolation_rng = rng.spawn(1)[0] if isolation is not None else None
    isolated = np.zeros(n)
    enrolled = ~no_show
    dropout_after = np.zeros(n, dtype=np.int64)
    attended = np.zeros(n, dtype=np.int64)
    chunks: list[dict[str, NDArray[np.generic]]] = []
    for s in range(1, p.n_sessions + 1):
        u_mark = rng.random(n)
        late = rng.random(n) < p.late_rate
        minutes = np.minimum(rng.geometric(geometric_p, n), p.minutes_late_max)
        e_client = rng.standard_normal(n)
        e_facil = rho * e_client + np.sqrt(1.0 - rho * rho) * rng.standard_normal(n)
        u_drop = rng.random(n)

        mark = np.where(late, _LATE, _PRESENT)
        if s > 1:  # session 1 is attended by definition: not attending it is a no-show
            mark = np.where(u_mark < p_excused, _EXCUSED, mark)
            mark = np.where(
                (u_mark >= p_excused) & (u_mark < p_excused + p_unexcused), _UNEXCUSED, mark
            )
        present = (mark == _PRESENT) | (mark == _LATE)
        client = client_stable + noise_sd * e_client
        facil = facil_stable + noise_sd * e_facil
        zone_logit = np.zeros(n)
        if zones is not None and zone_rng is not None:
            safety, challenge, threat = _draw_zones(zone_rng, zones, client, present)
            zone_logit = np.log(zones.or_threat_zone) * threat
        isolation_logit = np.zeros(n)
        if isolation is not None and isolation_rng is not None:
            if (s - 1) % isolation.every_sessions == 0:
                step = isolation_rng.standard_normal(n)
                keep = isolation.persistence if s > 1 else 0.0
                isolated = keep * isolated + np.sqrt(1.0 - keep * keep) * step
            isolation_logit = np.log(isolation.or_per_sd) * isolated
        if s < p.n_sessions:
            hazard = _expit(
                base_logit[s - 1]
                + eta_static
                + beta_c * client
                + beta_f * facil
                + zone_logit
                + isolation_logit
            )
        else:
            hazard = np.zeros(n)
        drops = enrolled & (u_drop < hazard)

        rows = np.flatnonzero(enrolled)
        extra: dict[str, NDArray[np.generic]] = {}
        if zones is not None:
            extra = {"felt_safety": safety[rows], "challenge": challenge[rows]}
        if isolation is not None:
            extra["isolation"] = isolated[rows].copy()
        chunks.append(
            {
                **extra,
                "participant_id": rows,
                "session_number": np.full(rows.shape[0], s, dtype=np.int64),
                "mark": mark[rows],
                "minutes_late": np.where(mark[rows] == _LATE, minutes[rows], 0),
                "client_alliance": np.where(present[rows], client[rows], np.nan),
                "facilitator_alliance": np.where(present[rows], facil[rows], np.nan),
                "true_hazard": hazard[rows],
                "dropped_out_after": drops[rows],
            }
        )
        attended += enrolled & present
        dropout_after[drops] = s
        enrolled = enrolled & ~drops

    columns = {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]}
    sessions = pd.DataFrame(
        {
            "participant_id": columns["participant_id"].astype(np.int64),
            "session_number": columns["session_number"].astype(np.int64),
            "mark": categorical(columns["mark"].astype(np.int64), _MARKS),
            "minutes_late": columns["minutes_late"].astype(np.int64),
            "client_alliance": columns["client_alliance"].astype(np.float64),
            "facilitator_alliance": columns["facilitator_alliance"].astype(np.float64),
            "true_hazard": columns["true_hazard"].astype(np.float64),
            "dropped_out_after": columns["dropped_out_after"].astype(np.bool_),
        }
    )
    if zones is not None:
        safety_all = columns["felt_safety"].astype(np.float64)
        challenge_all = columns["challenge"].astype(np.float64)
        sessions = sessions.assign(
            felt_safety=safety_all,
            challenge=challenge_all,
            zone=pd.Series(
                [
                    _zone_value(a, b, zones.thresholds)
                    for a, b in zip(safety_all, challenge_all, strict=True)
                ],
                dtype=object,
            ),
        )
    if isolation is not None:
        sessions = sessions.assign(isolation=columns["isolation"].astype(np.float64))
    sessions = sessions.sort_values(["participant_id", "session_number"], kind="stable")
    return sessions.reset_index(drop=True), dropout_after, attended


def _draw_zones(
    rng: np.random.Generator,
    zones: ZoneEffect,
    client: FloatArray,
    present: NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Felt safety, accountability rating (NaN when absent) and the threat indicator."""
    n = client.shape[0]
    loading = zones.safety_alliance_loading
    z_safety = loading * client + np.sqrt(1.0 - loading * loading) * rng.standard_normal(n)
    safety = np.clip(np.rint(zones.safety_mean + zones.safety_sd * z_safety), 0.0, 10.0)
    challenge = np.clip(
        np.rint(zones.challenge_mean + zones.challenge_sd * rng.standard_normal(n)), 0.0, 10.0
    )
    threat = (
        present
        & (safety < zones.thresholds.safety_cutoff)
        & (challenge >= zones.thresholds.challenge_cutoff)
    ).astype(np.float64)
    safety = np.where(present, safety, np.nan)
    challenge = np.where(present, challenge, np.nan)
    return safety, challenge, threat


def _zone_value(safety: float, challenge: float, thresholds: ZoneThresholds) -> str | None:
    if np.isnan(safety) or np.isnan(challenge):
        return None
    zone: Zone | None = classify_zone(float(safety), float(challenge), thresholds)
    return None if zone is None else zone.value


def _baseline_dropout_probability(
    p: SimulationParameters, latent: pd.DataFrame, eta_static: FloatArray
) -> FloatArray:
    """P(drop out before completing | he starts, and all his person-level traits).

    The session-to-session part of the alliance is independent across sessions, so the
    survival factorises: ``1 - prod_s E[1 - h_i(s)]``, each expectation taken over the
    normal session noise by Gauss-Hermite quadrature.  The man's stable alliance traits and
    latent risk are conditioned on, like his covariates: this is the oracle a fitted model
    can approach but not beat.
    """
    beta_c, beta_f = _alliance_coefficients(p)
    stable = np.sqrt(p.alliance_stability) * (
        beta_c * latent["client_alliance_trait"].to_numpy()
        + beta_f * latent["facilitator_alliance_trait"].to_numpy()
    )
    rho = p.alliance_rater_correlation
    noise_var = (1.0 - p.alliance_stability) * (beta_c**2 + beta_f**2 + 2.0 * rho * beta_c * beta_f)
    offsets = np.sqrt(noise_var) * _GH_NODES
    eta = eta_static + stable
    log_survival = np.zeros(eta.shape[0])
    for base in _logit(p.baseline_hazard()):
        hazard = _expit(base + eta[:, None] + offsets[None, :]) @ _GH_WEIGHTS
        log_survival += np.log1p(-hazard)
    return np.asarray(-np.expm1(log_survival), dtype=np.float64)


def _logit(x: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):  # a rate of 0 gives -inf, and expit(-inf) == 0
        return np.asarray(np.log(x) - np.log1p(-x), dtype=np.float64)


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float64)
