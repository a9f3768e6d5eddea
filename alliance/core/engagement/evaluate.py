"""Checks of the hazard pipeline against known truth: the simulator, and a public dataset.

:func:`evaluate_synthetic` runs the literature-parameterised simulator (which knows every
man's true per-session hazard), fits on the earlier 70% of men and scores the rest.
:func:`person_period` expands any time-to-event table into person-period rows, used to fit
the same discrete-time logistic model on Rossi et al.'s recidivism data and compare it with
a Cox model (``tests/core/engagement/test_rossi.py``).

References
----------
.. [1] Rossi, P. H., Berk, R. A., & Lenihan, K. J. (1980). *Money, Work and Crime: Some
   Experimental Results*. New York: Academic Press.  (``lifelines.datasets.load_rossi``)
.. [2] Allison, P. D. (1982). Discrete-time methods for the analysis of event histories.
   *Sociological Methodology*, 13, 61-98.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.metrics import roc_auc_score

from alliance.core.engagement.features import (
    CHECKOUT_REFERENCE,
    RATING_REFERENCE,
    person_session_frame,
)
from alliance.core.engagement.model import evaluate, fit_with_validation
from alliance.core.simulate import SimulatedProgram, SimulationParameters, simulate_program

FloatArray = NDArray[np.float64]
FALSE_ALARM_RATE = 0.20


def synthetic_frames(program: SimulatedProgram) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The simulator's men and sessions as the ``intake`` and ``sessions`` frames.

    Alliance z-scores become 0-10 check-outs and ratings through the reference centre and SD,
    so the synthetic run goes through exactly the path real data takes.  The simulator does
    not draw ACE or loneliness: those columns are missing, as in a program that does not
    measure them.
    """
    p = program.parameters
    men = program.participants
    intake = pd.DataFrame(
        {
            "participant_id": men["participant_id"].to_numpy(np.int64),
            "age": men["age"].to_numpy(np.float64),
            "employment": men["employment"].astype(str),
            "relationship_status": men["relationship_status"].astype(str),
            "education": men["education"].astype(str),
            "income_band": men["income_band"].astype(str),
            "referral_source": men["referral_source"].astype(str),
            "prior_offences": men["prior_offences"].to_numpy(np.float64),
            "substance_use_concern": men["substance_use_concern"].to_numpy(np.float64),
            "risk_z": (men["risk_score"].to_numpy(np.float64) - p.risk_score_reference_mean)
            / p.risk_score_reference_sd,
            "readiness_z": men["readiness"].to_numpy(np.float64),
            "ace_total": np.nan,
            "loneliness_total": np.nan,
        }
    )
    s = program.sessions
    sessions = pd.DataFrame(
        {
            "participant_id": s["participant_id"].to_numpy(np.int64),
            "session_number": s["session_number"].to_numpy(np.int64),
            "day": 7 * s["session_number"].to_numpy(np.int64),
            "mark": s["mark"].astype(str),
            "minutes_late": s["minutes_late"].to_numpy(np.int64),
            "checkout": CHECKOUT_REFERENCE[0]
            + CHECKOUT_REFERENCE[1] * s["client_alliance"].to_numpy(np.float64),
            "rating": RATING_REFERENCE[0]
            + RATING_REFERENCE[1] * s["facilitator_alliance"].to_numpy(np.float64),
            "dropped_out_after": s["dropped_out_after"].to_numpy(np.bool_),
        }
    )
    return intake, sessions


def evaluate_synthetic(
    participants: int,
    *,
    seed: int,
    params: SimulationParameters | None = None,
    train_share: float = 0.7,
) -> dict[str, Any]:
    """Fit on the first ``train_share`` of simulated men, score the rest against the truth.

    ``model_auc`` and ``oracle_auc`` are per person-session AUCs on the same held-out rows
    (the oracle scores each row by the simulator's true hazard).  ``recall_at_fpr_20`` is the
    share of held-out dropouts flagged at some session *before* the one after which they
    left, with the threshold set so that 20% of held-out men who did not drop out are ever
    flagged; ``naive_rule_recall`` is the same recall for "two consecutive absences", whose
    own false-alarm rate is reported as ``naive_rule_false_alarm_rate``.
    """
    program = simulate_program(participants, rng=np.random.default_rng(seed), params=params)
    n_sessions = program.parameters.n_sessions
    intake, sessions = synthetic_frames(program)
    sessions = sessions[sessions["session_number"] < n_sessions]  # nobody leaves after the last
    truth = program.sessions.loc[
        program.sessions["session_number"] < n_sessions,
        ["participant_id", "session_number", "true_hazard"],
    ]
    frame = person_session_frame(
        intake[intake["participant_id"].isin(sessions["participant_id"])], sessions
    )
    frame = frame.merge(truth, on=["participant_id", "session_number"], how="left")
    ids = np.sort(frame["participant_id"].unique())
    cut = ids[int(len(ids) * train_share)]
    train = frame[frame["participant_id"] < cut]
    test = frame[frame["participant_id"] >= cut].reset_index(drop=True)
    order = pd.Series(np.unique(train["participant_id"]), index=np.unique(train["participant_id"]))
    model, cv = fit_with_validation(train, order)
    predicted = model.hazard(test)
    y = test["dropped_out_after"].to_numpy(np.bool_)
    held_out = evaluate(y, predicted)
    flags = _early_flag_recall(test, predicted)
    return {
        "participants": participants,
        "seed": seed,
        "train_men": int(train["participant_id"].nunique()),
        "test_men": int(test["participant_id"].nunique()),
        "test_rows": len(test),
        "model_auc": held_out["auc"],
        "oracle_auc": float(roc_auc_score(y, test["true_hazard"].to_numpy(np.float64))),
        "brier": held_out["brier"],
        "oracle_brier": float(np.mean((test["true_hazard"].to_numpy(np.float64) - y) ** 2)),
        "calibration_slope": held_out["calibration_slope"],
        "calibration_intercept": held_out["calibration_intercept"],
        "cv_auc": cv.refit["auc"],
        "cold_start_auc": evaluate(y, _cold(test))["auc"],
        **flags,
    }


def _cold(test: pd.DataFrame) -> FloatArray:
    from alliance.core.engagement.model import cold_start_model

    return cold_start_model().hazard(test)


def _early_flag_recall(test: pd.DataFrame, score: FloatArray) -> dict[str, float]:
    frame = test.assign(score=score)
    last = frame.groupby("participant_id")["session_number"].transform("max")
    dropout = frame.groupby("participant_id")["dropped_out_after"].transform("any")
    # A dropout must be flagged at a session before the one after which he left.
    eligible = ~dropout | (frame["session_number"] < last)
    flagged_naive = frame["consecutive_absences"] >= 2
    per_man = (
        frame.assign(
            eligible_score=np.where(eligible, frame["score"], -np.inf),
            naive=eligible & flagged_naive,
            dropout=dropout,
        )
        .groupby("participant_id")
        .agg(top=("eligible_score", "max"), naive=("naive", "any"), dropout=("dropout", "first"))
    )
    stayers = per_man.loc[~per_man["dropout"]]
    leavers = per_man.loc[per_man["dropout"]]
    threshold = float(np.quantile(stayers["top"], 1.0 - FALSE_ALARM_RATE))
    return {
        "recall_at_fpr_20": float((leavers["top"] > threshold).mean()),
        "naive_rule_recall": float(leavers["naive"].mean()),
        "naive_rule_false_alarm_rate": float(stayers["naive"].mean()),
        "dropouts_in_test": len(leavers),
    }


def person_period(
    durations: Sequence[int] | NDArray[np.int64],
    events: Sequence[bool] | NDArray[np.bool_],
) -> pd.DataFrame:
    """Expand subjects to one row per period at risk (Allison 1982).

    Subject ``i`` observed for ``durations[i]`` periods gets rows ``t = 1 .. durations[i]``;
    the last row carries ``event = events[i]``, the others 0.  Returns ``subject`` (row
    position in the input), ``period`` and ``event``.
    """
    d = np.asarray(durations, dtype=np.int64)
    e = np.asarray(events, dtype=np.bool_)
    if d.ndim != 1 or d.shape != e.shape:
        raise ValueError("durations and events must be 1-D and the same length")
    if (d < 1).any():
        raise ValueError("every duration must be at least 1 period")
    subject = np.repeat(np.arange(d.size), d)
    starts = np.cumsum(d) - d
    period = np.arange(subject.size) - np.repeat(starts, d) + 1
    event = (period == d[subject]) & e[subject]
    return pd.DataFrame({"subject": subject, "period": period, "event": event})
