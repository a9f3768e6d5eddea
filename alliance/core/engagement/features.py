"""Person-session features for the dropout hazard (one row per man per session he was due at).

Row ``(i, s)`` describes man ``i`` as he is *after* session ``s`` of his own sequence and is
labelled 1 when he dropped out before session ``s + 1`` (Singer & Willett 1993).  A man with
no session yet gets one intake-only row with ``session_index = 0``.

Inputs are two plain frames (built from the database by ``alliance.engagement.selectors`` or
from the simulator), so this module never touches storage:

``intake``, one row per man
    ``participant_id``; ``age`` (years, NaN if unknown); ``employment``,
    ``relationship_status``, ``education``, ``income_band``, ``referral_source`` (the
    vocabulary strings); ``prior_offences`` (count, NaN if unknown);
    ``substance_use_concern`` (1/0, NaN if unknown); ``risk_z`` (external risk score in SDs of
    its tool's norms, NaN if none); ``readiness_z`` (URICA-DV readiness in SDs, NaN if not
    measured); ``ace_total`` (ACE-10, 0-10) and ``loneliness_total`` (UCLA-3, 3-9), NaN if
    not measured.
``sessions``, one row per man per session he was due at, in order
    ``participant_id``; ``session_number`` (1, 2, ... within his enrollment); ``day`` (days
    since any fixed origin, for "days since he last came"); ``mark`` (present / late /
    excused / unexcused); ``minutes_late``; ``checkout`` (his check-out, 0-10, NaN if none);
    ``rating`` (facilitator's rating of him, 0-10, NaN if none); optionally
    ``homework_set`` and ``homework_done`` (how many practices were handed out to him at
    that session, and how many of those he logged as done by their due date; both 0 or
    absent where no homework is recorded); optionally ``isolation`` (his isolation index
    on that session's date from ``alliance.core.connection.isolation_at``, NaN or absent where
    neither his UCLA-3 nor his network has been recorded); optionally ``dropped_out_after``
    (bool, the label).

References
----------
.. [1] Singer, J. D., & Willett, J. B. (1993). It's about time: using discrete-time survival
   analysis to study duration and the timing of events. *J Educ Stat*, 18(2), 155-195.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Reference centre and SD used to express 0-10 check-outs and ratings in SDs.  Assumption:
#: session rating scales in groups sit high with a ceiling (SRS-like; Duncan et al. 2003
#: report SRS means near 36/40).  A refit learns its own scale, so these only set units.
CHECKOUT_REFERENCE = (7.5, 1.5)
RATING_REFERENCE = (7.0, 1.5)
#: Reference centre and SD for ACE-10 and UCLA-3 totals (assumptions; units only).
ACE_REFERENCE = (3.0, 2.5)
#: URICA-DV readiness (range -2 to 14); assumption, units only.
READINESS_REFERENCE = (8.0, 3.0)
LONELINESS_REFERENCE = (5.0, 1.8)

_ABSENT = ("excused", "unexcused")


#: What kind of input a feature is; it decides where it may be shown.
#: ``TRAIT``: fixed at intake (age, employment, schooling, record, intake measures). In the
#: model and on the model card, never listed as a "reason" beside a man's code: nobody can act
#: on it, and listing it reads as a judgement of who he is.
#: ``SIGNAL``: changeable, something a facilitator can notice and respond to (absences,
#: lateness, check-outs, ratings, homework). Only these are said as reasons.
#: ``TIMING``: where he is in the program, and missing-data markers (book-keeping; never said).
TRAIT, SIGNAL, TIMING = "trait", "signal", "timing"


@dataclass(frozen=True)
class Feature:
    """One model input: its column name, its kind, and how to say it to people.

    ``title`` names the feature on the model card ("child protection involvement", never a
    column name); ``label`` says what it means when it raises risk.  Adding a feature (e.g.
    isolation) is one line here plus its column in ``_static_features`` or
    ``_dynamic_features`` (and, for a ``SIGNAL``, a sentence in ``outlook.describe``).
    """

    name: str
    label: str
    kind: str
    title: str


#: Every model input, in design-matrix order.  New features go at the END: a stored model
#: lists its features in order and gives any later one weight 0 until a refit.
FEATURES: tuple[Feature, ...] = (
    Feature("session_index", "early in the program", TIMING, "Sessions so far"),
    Feature("age_10", "younger than most men in the program", TRAIT, "Age (per 10 years)"),
    Feature("age_missing", "age not recorded", TIMING, "Age not recorded"),
    Feature("unemployed", "unemployed", TRAIT, "Unemployed at intake"),
    Feature("single", "single or separated", TRAIT, "Single or separated"),
    Feature("low_income", "low income", TRAIT, "Low income"),
    Feature("low_education", "did not finish high school", TRAIT, "Did not finish high school"),
    Feature("prior_record", "has a prior record", TRAIT, "Prior offences on record"),
    Feature("prior_missing", "prior record not recorded", TIMING, "Prior record not recorded"),
    Feature("substance", "substance-use concern at intake", TRAIT, "Substance-use concern"),
    Feature(
        "mandated",
        "mandated referral",
        TRAIT,
        "Mandated referral (court, probation or child protection involvement)",
    ),
    Feature("risk_z", "high external risk score", TRAIT, "External risk score (per SD)"),
    Feature("risk_missing", "no external risk score", TIMING, "No external risk score"),
    Feature(
        "readiness_z",
        "low readiness to change at intake",
        TRAIT,
        "Readiness to change at intake (per SD)",
    ),
    Feature("readiness_missing", "readiness not measured", TIMING, "Readiness not measured"),
    Feature(
        "ace_z",
        "many adverse childhood experiences",
        TRAIT,
        "Adverse childhood experiences (per SD)",
    ),
    Feature(
        "ace_missing",
        "childhood adversity not measured",
        TIMING,
        "Childhood adversity not measured",
    ),
    Feature("loneliness_z", "lonely at intake", TRAIT, "Loneliness at intake (per SD)"),
    Feature("loneliness_missing", "loneliness not measured", TIMING, "Loneliness not measured"),
    Feature("absence_rate", "misses many sessions", SIGNAL, "Share of sessions missed"),
    Feature(
        "consecutive_absences",
        "missed recent sessions in a row",
        SIGNAL,
        "Sessions missed in a row",
    ),
    Feature("absent_now", "missed the last session", SIGNAL, "Missed the last session"),
    Feature("late_now", "came late last time", SIGNAL, "Late to the last session"),
    Feature("weeks_since_attended", "has not come for weeks", SIGNAL, "Weeks since he last came"),
    Feature("checkout_z", "low check-out", SIGNAL, "His last check-out (per SD)"),
    Feature("checkout_missing", "no check-out yet", TIMING, "No check-out yet"),
    Feature("checkout_change_z", "check-out fell", SIGNAL, "Change from his previous check-out"),
    Feature("rating_z", "low facilitator rating", SIGNAL, "Facilitator's last rating (per SD)"),
    Feature("rating_missing", "no facilitator rating yet", TIMING, "No facilitator rating yet"),
    Feature(
        "missed_measures",
        "skips check-outs when present",
        SIGNAL,
        "Check-outs skipped while present",
    ),
    Feature("homework_undone", "leaves homework undone", SIGNAL, "Homework left undone"),
    # Time-varying isolation (docs/connection.md): his latest UCLA-3 and supportive contacts.
    Feature(
        "isolation_z",
        "more isolated lately (lonelier, fewer supportive people)",
        SIGNAL,
        "Isolation: loneliness and supportive contacts (per SD)",
    ),
    Feature("isolation_missing", "isolation not measured", TIMING, "Isolation not measured"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
#: The changeable signals: the only features ever said as a reason beside a man's code.
SIGNAL_NAMES: frozenset[str] = frozenset(f.name for f in FEATURES if f.kind == SIGNAL)

#: Columns kept next to the features for plain-language explanations and evaluation.
CONTEXT_COLUMNS = (
    "participant_id",
    "session_number",
    "consecutive_absences",
    "checkout_points",
    "checkout_change_points",
    "rating_points",
    "days_since_attended",
    "homework_set_before",
    "homework_done_before",
    "attended_count",
    "isolation_points",
)


def person_session_frame(intake: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Return the person-session design frame: one row per man per session due.

    Men in ``intake`` without any session row get a single intake-only row
    (``session_number = 0``).  The frame holds ``FEATURE_NAMES``, the context columns and,
    when ``sessions`` has it, ``dropped_out_after``.
    """
    static = _static_features(intake)
    dynamic = _dynamic_features(sessions)
    seen = np.isin(static["participant_id"].to_numpy(), dynamic["participant_id"].to_numpy())
    fresh = _fresh_rows(static.loc[~seen, ["participant_id"]])
    if "dropped_out_after" in dynamic.columns:
        fresh["dropped_out_after"] = False
    dynamic = pd.concat([dynamic, fresh], ignore_index=True) if len(fresh) else dynamic
    frame = dynamic.merge(static, on="participant_id", how="inner", validate="many_to_one")
    return frame.sort_values(["participant_id", "session_number"], kind="stable").reset_index(
        drop=True
    )


def latest_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The last row of each man: where he stands now."""
    last = frame.groupby("participant_id", sort=False)["session_number"].transform("max")
    return frame.loc[frame["session_number"] == last].reset_index(drop=True)


def design_matrix(frame: pd.DataFrame) -> FloatArray:
    """The feature columns of ``frame`` as a float matrix, in ``FEATURE_NAMES`` order."""
    return np.asarray(frame.loc[:, list(FEATURE_NAMES)].to_numpy(np.float64), dtype=np.float64)


def _z(values: pd.Series, reference: tuple[float, float]) -> pd.Series:
    return (values.astype(np.float64) - reference[0]) / reference[1]


def _static_features(intake: pd.DataFrame) -> pd.DataFrame:
    def flag(column: str, *wanted: str) -> FloatArray:
        return np.asarray(intake[column].astype(str).isin(wanted).to_numpy(np.float64))

    def measured(values: pd.Series) -> tuple[FloatArray, FloatArray]:
        v = values.astype(np.float64).to_numpy()
        missing = np.isnan(v)
        return np.where(missing, 0.0, v), missing.astype(np.float64)

    age, age_missing = measured((intake["age"].astype(np.float64) - 35.0) / 10.0)
    prior = intake["prior_offences"].astype(np.float64).to_numpy()
    substance = intake["substance_use_concern"].astype(np.float64).to_numpy()
    risk, risk_missing = measured(intake["risk_z"])
    readiness, readiness_missing = measured(intake["readiness_z"])
    ace, ace_missing = measured(_z(intake["ace_total"], ACE_REFERENCE))
    lonely, lonely_missing = measured(_z(intake["loneliness_total"], LONELINESS_REFERENCE))
    return pd.DataFrame(
        {
            "participant_id": intake["participant_id"].to_numpy(np.int64),
            "age_10": age,
            "age_missing": age_missing,
            "unemployed": flag("employment", "unemployed"),
            "single": flag("relationship_status", "single", "separated"),
            "low_income": flag("income_band", "low"),
            "low_education": flag("education", "less_than_high_school"),
            "prior_record": np.where(np.isnan(prior), 0.0, (prior > 0).astype(np.float64)),
            "prior_missing": np.isnan(prior).astype(np.float64),
            "substance": np.where(np.isnan(substance), 0.0, substance),
            "mandated": flag("referral_source", "court", "probation", "child_protection"),
            "risk_z": risk,
            "risk_missing": risk_missing,
            "readiness_z": readiness,
            "readiness_missing": readiness_missing,
            "ace_z": ace,
            "ace_missing": ace_missing,
            "loneliness_z": lonely,
            "loneliness_missing": lonely_missing,
        }
    )


def _fresh_rows(ids: pd.DataFrame) -> pd.DataFrame:
    """Intake-only rows: nothing attended, nothing measured yet."""
    n = len(ids)
    zeros = np.zeros(n)
    return pd.DataFrame(
        {
            "participant_id": ids["participant_id"].to_numpy(np.int64),
            "session_number": np.zeros(n, dtype=np.int64),
            "session_index": zeros,
            "absence_rate": zeros,
            "consecutive_absences": zeros,
            "absent_now": zeros,
            "late_now": zeros,
            "weeks_since_attended": zeros,
            "checkout_z": zeros,
            "checkout_missing": np.ones(n),
            "checkout_change_z": zeros,
            "rating_z": zeros,
            "rating_missing": np.ones(n),
            "missed_measures": zeros,
            "homework_undone": zeros,
            "checkout_points": np.full(n, np.nan),
            "checkout_change_points": np.full(n, np.nan),
            "rating_points": np.full(n, np.nan),
            "days_since_attended": np.full(n, np.nan),
            "homework_set_before": zeros,
            "homework_done_before": zeros,
            "attended_count": zeros,
            "isolation_z": zeros,
            "isolation_missing": np.ones(n),
            "isolation_points": np.full(n, np.nan),
        }
    )


def _dynamic_features(sessions: pd.DataFrame) -> pd.DataFrame:
    s = sessions.sort_values(["participant_id", "session_number"], kind="stable")
    pid = s["participant_id"].to_numpy(np.int64)
    number = s["session_number"].to_numpy(np.int64)
    mark = s["mark"].astype(str).to_numpy()
    absent = np.isin(mark, _ABSENT)
    present = ~absent
    late = present & (s["minutes_late"].to_numpy(np.float64) > 0)
    day = s["day"].to_numpy(np.float64)
    checkout = s["checkout"].to_numpy(np.float64)
    rating = s["rating"].to_numpy(np.float64)

    starts = np.r_[True, pid[1:] != pid[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(pid.size), 0))
    position = np.arange(pid.size) - group_start + 1  # rows so far, this row included

    absences = _group_cumsum(absent.astype(np.float64), starts)
    # Consecutive absences ending here: rows since his last attended row (or his first row).
    last_present = np.where(present, np.arange(pid.size), -1)
    last_present = np.maximum.accumulate(np.maximum(last_present, group_start - 1))
    consecutive = np.arange(pid.size) - last_present
    has_attended = last_present >= group_start
    last_day = np.where(has_attended, day[np.clip(last_present, 0, None)], np.nan)
    days_since = day - last_day

    measured_checkout = present & ~np.isnan(checkout)
    last_checkout = _group_ffill(checkout, starts)
    previous = _previous_observed(checkout, starts)
    change = np.where(measured_checkout & ~np.isnan(previous), checkout - previous, np.nan)
    change = _group_ffill(change, starts)
    last_rating = _group_ffill(rating, starts)
    missed = _group_cumsum((present & np.isnan(checkout)).astype(np.float64), starts)
    attended = position - absences
    set_before, done_before = _homework_before(s, starts)
    isolation = _group_ffill(
        s["isolation"].to_numpy(np.float64)
        if "isolation" in s.columns
        else np.full(pid.size, np.nan),
        starts,
    )

    frame = pd.DataFrame(
        {
            "participant_id": pid,
            "session_number": number,
            "session_index": (number - 1).astype(np.float64),
            "absence_rate": absences / position,
            "consecutive_absences": consecutive.astype(np.float64),
            "absent_now": absent.astype(np.float64),
            "late_now": late.astype(np.float64),
            "weeks_since_attended": np.where(np.isnan(days_since), position, days_since / 7.0),
            "checkout_z": np.nan_to_num(
                (last_checkout - CHECKOUT_REFERENCE[0]) / CHECKOUT_REFERENCE[1]
            ),
            "checkout_missing": np.isnan(last_checkout).astype(np.float64),
            "checkout_change_z": np.nan_to_num(change / CHECKOUT_REFERENCE[1]),
            "rating_z": np.nan_to_num((last_rating - RATING_REFERENCE[0]) / RATING_REFERENCE[1]),
            "rating_missing": np.isnan(last_rating).astype(np.float64),
            "missed_measures": np.where(attended > 0, missed / np.maximum(attended, 1), 0.0),
            "checkout_points": last_checkout,
            "checkout_change_points": change,
            "rating_points": last_rating,
            "days_since_attended": days_since,
            "homework_undone": np.where(
                set_before > 0, (set_before - done_before) / np.maximum(set_before, 1), 0.0
            ),
            "homework_set_before": set_before,
            "homework_done_before": done_before,
            "attended_count": attended.astype(np.float64),
            "isolation_z": np.nan_to_num(isolation),
            "isolation_missing": np.isnan(isolation).astype(np.float64),
            "isolation_points": isolation,
        }
    )
    if "dropped_out_after" in s.columns:
        frame["dropped_out_after"] = s["dropped_out_after"].to_numpy(np.bool_)
    return frame


def _homework_before(s: pd.DataFrame, starts: NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
    """Homework handed out at his *earlier* sessions, and how much of it he did on time.

    Homework given at session ``s`` is due before the next one, so row ``s`` (he as he is
    after session ``s``) counts only what was handed out before it: no peeking ahead.
    """
    if "homework_set" not in s.columns:
        zeros = np.zeros(len(s))
        return zeros, zeros
    handed = np.nan_to_num(s["homework_set"].to_numpy(np.float64))
    done = np.nan_to_num(s.get("homework_done", pd.Series(0.0, index=s.index)).to_numpy(np.float64))
    done = np.minimum(done, handed)
    return _group_cumsum(handed, starts) - handed, _group_cumsum(done, starts) - done


def _group_cumsum(values: FloatArray, starts: NDArray[np.bool_]) -> FloatArray:
    total = np.cumsum(values)
    before = np.where(starts, total - values, np.nan)
    offset = pd.Series(before).ffill().to_numpy(np.float64)
    return np.asarray(total - offset, dtype=np.float64)


def _group_ffill(values: FloatArray, starts: NDArray[np.bool_]) -> FloatArray:
    """Carry the last non-NaN value forward, never across men."""
    index = np.where(~np.isnan(values), np.arange(values.size), -1)
    group_start = np.maximum.accumulate(np.where(starts, np.arange(values.size), 0))
    last = np.maximum.accumulate(index)
    valid = last >= group_start
    return np.where(valid, values[np.clip(last, 0, None)], np.nan)


def _previous_observed(values: FloatArray, starts: NDArray[np.bool_]) -> FloatArray:
    """For each row, his last non-NaN value strictly before it (NaN if none)."""
    shifted = np.r_[np.nan, values[:-1]]
    shifted_starts = starts.copy()
    shifted[starts] = np.nan
    return _group_ffill(shifted, shifted_starts)
