"""Out-of-time backtest on the documented person-session CSV format (frozen seed)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from alliance.cli import main
from alliance.core.engagement.backtest import BacktestError, backtest, read_person_sessions
from alliance.core.simulate import simulate_program

SYNTHETIC_KEYS = {
    "participants",
    "seed",
    "train_men",
    "test_men",
    "test_rows",
    "model_auc",
    "oracle_auc",
    "model_to_oracle_auc",
    "brier",
    "oracle_brier",
    "calibration_slope",
    "calibration_intercept",
    "cv_auc",
    "cold_start_auc",
    "recall_at_fpr_20",
    "naive_rule_recall",
    "naive_rule_false_alarm_rate",
    "dropouts_in_test",
}


def _files(men: int = 400, seed: int = 11) -> tuple[str, str]:
    """The simulator's program written in the documented CSV format: man k starts k days
    after the first (so start order is id order), one session a week."""
    program = simulate_program(men, rng=np.random.default_rng(seed))
    last = program.parameters.n_sessions
    s = program.sessions[program.sessions["session_number"] < last]
    origin = dt.date(2024, 1, 1)
    absent = s["mark"].astype(str).isin(["excused", "unexcused"])
    sessions = pd.DataFrame(
        {
            "man_id": "M" + s["participant_id"].astype(str),
            "session_index": s["session_number"],
            "date": [
                (origin + dt.timedelta(days=int(p) + 7 * int(n))).isoformat()
                for p, n in zip(s["participant_id"], s["session_number"], strict=True)
            ],
            "attended": np.where(absent, "0", "1"),
            "minutes_late": s["minutes_late"],
            "checkout_total": np.where(
                absent, "", (7.5 + 1.5 * s["client_alliance"]).clip(0, 10).round(1).astype(str)
            ),
            "homework_done": "",
            "dropped_out_after": s["dropped_out_after"].astype(int),
        }
    )
    m = program.participants
    intake = pd.DataFrame(
        {
            "man_id": "M" + m["participant_id"].astype(str),
            "age": m["age"],
            "employment": m["employment"].astype(str),
            "referral_source": m["referral_source"].astype(str),
            "prior_offences": m["prior_offences"],
        }
    )
    return sessions.to_csv(index=False), intake.to_csv(index=False)


def test_backtest_trains_only_on_earlier_men_and_reports_the_synthetic_keys() -> None:
    sessions_csv, intake_csv = _files()
    intake, sessions, starts = read_person_sessions(sessions_csv, intake_csv)
    result = backtest(intake, sessions, starts)
    assert set(result) >= SYNTHETIC_KEYS
    assert result["oracle_auc"] is None
    assert result["seed"] is None
    split = dt.date.fromisoformat(result["split_date"])
    # Men with no outcome row are left out, never moved to the other side.
    assert result["train_men"] <= (starts < split).sum()
    assert result["test_men"] <= (starts >= split).sum()
    assert result["test_men"] > 0
    assert result["train_men"] > result["test_men"]
    assert 0.55 < result["model_auc"] < 0.95  # out of time: good, never the in-sample 0.99
    # The default split is the 70th percentile of start dates.
    ordinals = sorted(d.toordinal() for d in starts)
    assert abs(split.toordinal() - ordinals[int(0.7 * len(ordinals))]) <= 3


def test_an_explicit_split_date_moves_men_between_train_and_test() -> None:
    intake, sessions, starts = read_person_sessions(*_files())
    early = backtest(intake, sessions, starts, split=dt.date(2024, 8, 1))
    assert early["split_date"] == "2024-08-01"
    assert early["train_men"] < backtest(intake, sessions, starts)["train_men"]


def test_bad_cells_are_named_by_file_row_and_column() -> None:
    sessions_csv, intake_csv = _files(60)
    lines = sessions_csv.splitlines()
    cells = lines[1].split(",")
    cells[3] = "maybe"  # attended
    cells[5] = "12"  # checkout_total above 10
    lines[1] = ",".join(cells)
    with pytest.raises(BacktestError) as caught:
        read_person_sessions("\n".join(lines), intake_csv)
    assert "sessions row 2, attended: give 1 or 0" in str(caught.value)
    assert "sessions row 2, checkout_total: must be between 0 and 10" in str(caught.value)


def test_missing_columns_and_missing_intake_are_refused() -> None:
    sessions_csv, intake_csv = _files(60)
    with pytest.raises(BacktestError, match=r"missing column.*dropped_out_after"):
        read_person_sessions(sessions_csv.replace("dropped_out_after", "left"), intake_csv)
    with pytest.raises(BacktestError, match="has sessions but no intake row"):
        read_person_sessions(sessions_csv, "man_id,age\n")


def test_too_little_history_is_refused_not_guessed() -> None:
    intake, sessions, starts = read_person_sessions(*_files(60))
    with pytest.raises(BacktestError, match="too little history"):
        backtest(intake, sessions, starts, split=dt.date(2024, 1, 5))


def test_cli_prints_the_same_keys_as_synthetic(tmp_path, capsys) -> None:
    sessions_csv, intake_csv = _files()
    (tmp_path / "s.csv").write_text(sessions_csv)
    (tmp_path / "i.csv").write_text(intake_csv)
    args = ["engagement", "evaluate", "--sessions", str(tmp_path / "s.csv")]
    assert main([*args, "--intake", str(tmp_path / "i.csv"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= SYNTHETIC_KEYS
    assert main(args) == 2  # --sessions without --intake
    assert main([*args, "--intake", str(tmp_path / "i.csv"), "--synthetic"]) == 2
