"""Person-session features built from plain frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliance.core.engagement.features import FEATURE_NAMES, latest_rows, person_session_frame


def intake(*ids: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "participant_id": list(ids),
            "age": [25.0] * len(ids),
            "employment": ["unemployed"] * len(ids),
            "relationship_status": ["married"] * len(ids),
            "education": ["unknown"] * len(ids),
            "income_band": ["low"] * len(ids),
            "referral_source": ["court"] * len(ids),
            "prior_offences": [np.nan] * len(ids),
            "substance_use_concern": [1.0] * len(ids),
            "risk_z": [np.nan] * len(ids),
            "readiness_z": [0.5] * len(ids),
            "ace_total": [np.nan] * len(ids),
            "loneliness_total": [np.nan] * len(ids),
        }
    )


def sessions(pid: int, marks: list[str], checkouts: list[float]) -> pd.DataFrame:
    n = len(marks)
    return pd.DataFrame(
        {
            "participant_id": [pid] * n,
            "session_number": list(range(1, n + 1)),
            "day": [7 * k for k in range(1, n + 1)],
            "mark": marks,
            "minutes_late": [10 if m == "late" else 0 for m in marks],
            "checkout": checkouts,
            "rating": [np.nan] * n,
            "dropped_out_after": [False] * (n - 1) + [True],
        }
    )


def test_a_man_with_no_history_gets_one_intake_row() -> None:
    frame = person_session_frame(intake(1, 2), sessions(2, ["present"], [8.0]))
    fresh = frame[frame["participant_id"] == 1]
    assert len(fresh) == 1
    row = fresh.iloc[0]
    assert row["session_number"] == 0
    assert row["checkout_missing"] == 1.0
    assert row["rating_missing"] == 1.0
    assert row["absence_rate"] == 0.0
    assert row["consecutive_absences"] == 0.0
    assert not row["dropped_out_after"]
    assert not frame.loc[:, list(FEATURE_NAMES)].isna().any().any()


def test_dynamic_signals_follow_his_own_history() -> None:
    marks = ["present", "late", "present", "unexcused", "excused"]
    checkouts = [9.0, 8.0, 5.0, np.nan, np.nan]
    frame = person_session_frame(intake(7), sessions(7, marks, checkouts))
    assert frame["consecutive_absences"].tolist() == [0, 0, 0, 1, 2]
    assert frame["absence_rate"].tolist() == [0, 0, 0, 0.25, 0.4]
    assert frame["late_now"].tolist() == [0, 1, 0, 0, 0]
    assert frame["weeks_since_attended"].tolist() == [0, 0, 0, 1, 2]
    # Check-out carried forward; change is from his own previous check-out (8 -> 5).
    assert frame["checkout_points"].tolist() == [9, 8, 5, 5, 5]
    assert np.isnan(frame["checkout_change_points"].iloc[0])
    assert frame["checkout_change_points"].tolist()[1:] == [-1, -3, -3, -3]
    now = latest_rows(frame).iloc[0]
    assert now["session_number"] == 5
    # Intake: missing prior record gets the indicator, not a guess.
    assert now["prior_missing"] == 1.0
    assert now["prior_record"] == 0.0
    assert now["unemployed"] == 1.0
    assert now["mandated"] == 1.0
    assert now["age_10"] == -1.0


def test_signals_never_leak_across_men() -> None:
    both = pd.concat(
        [sessions(1, ["present", "unexcused"], [9.0, np.nan]), sessions(2, ["present"], [np.nan])]
    )
    frame = person_session_frame(intake(1, 2), both)
    second = frame[frame["participant_id"] == 2].iloc[0]
    assert second["consecutive_absences"] == 0
    assert second["checkout_missing"] == 1.0
    assert second["missed_measures"] == 1.0
