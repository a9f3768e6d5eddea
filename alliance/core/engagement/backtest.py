"""Out-of-time backtest of the dropout hazard on a program's own history.

The model is fitted on men who **started before** a split date and scored on men who started
on or after it, so every figure is what the model would have done on men it had never seen,
later in time.  It is never an in-sample fit.

Two sources feed it: the person-session CSV format below (``alliance engagement evaluate
--sessions --intake``) and the organization's database (``--database``, and every
``alliance engagement fit``, which stores the result on the model card).

Person-session CSV (one row per man per session he was due at)
    ``man_id`` (any text, never a name); ``session_index`` (1, 2, ... within his
    enrollment); ``date`` (YYYY-MM-DD); ``attended`` (1/0, yes/no, true/false);
    ``minutes_late`` (0 or more, blank = 0); ``checkout_total`` (his check-out 0-10, blank
    if none); ``homework_done`` (1/0, blank when no homework was set at that session);
    ``dropped_out_after`` (1/0: he left the program after this session).  Optional:
    ``excused`` (1/0, an absence with a reason), ``facilitator_rating`` (0-10).
Intake CSV (one row per man)
    ``man_id`` and any of the model's baseline features: ``age``, ``employment``,
    ``relationship_status``, ``education``, ``income_band``, ``referral_source`` (Alliance's
    vocabulary strings, e.g. ``unemployed``, ``single``, ``court``), ``prior_offences``,
    ``substance_use_concern`` (1/0), ``risk_z``, ``readiness_z``, ``ace_total``,
    ``loneliness_total``.  A column left out or a blank cell is *missing*, never guessed.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.core.engagement.evaluate import _cold, _early_flag_recall
from alliance.core.engagement.features import person_session_frame
from alliance.core.engagement.model import evaluate, fit_with_validation

FloatArray = NDArray[np.float64]

SESSION_COLUMNS = (
    "man_id",
    "session_index",
    "date",
    "attended",
    "minutes_late",
    "checkout_total",
    "homework_done",
    "dropped_out_after",
)
OPTIONAL_SESSION_COLUMNS = ("excused", "facilitator_rating")
INTAKE_NUMERIC = (
    "age",
    "prior_offences",
    "substance_use_concern",
    "risk_z",
    "readiness_z",
    "ace_total",
    "loneliness_total",
)
INTAKE_TEXT = (
    "employment",
    "relationship_status",
    "education",
    "income_band",
    "referral_source",
)
#: Default split: men who started before the 70th percentile of start dates train the model.
DEFAULT_TRAIN_SHARE = 0.7
#: Too little to say anything: fewer men or dropouts than this on either side is refused.
MIN_TRAIN_MEN, MIN_TRAIN_DROPOUTS, MIN_TEST_MEN, MIN_TEST_DROPOUTS = 30, 5, 10, 2

_TRUE = {"1", "yes", "y", "true", "t"}
_FALSE = {"0", "no", "n", "false", "f"}


class BacktestError(ValueError):
    """A file or history that cannot be backtested; the message names the file, row, column."""


def read_person_sessions(
    sessions_csv: str, intake_csv: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Parse the two CSV files into the ``intake`` and ``sessions`` frames and start dates.

    Returns ``(intake, sessions, starts)``; ``starts`` maps the internal ``participant_id``
    to the date of his first session.  Raises :class:`BacktestError` naming every bad cell
    (up to 20).
    """
    raw = _read_csv(sessions_csv, "sessions")
    missing = [c for c in SESSION_COLUMNS if c not in raw.columns]
    if missing:
        raise BacktestError(f"sessions: missing column(s) {', '.join(missing)}")
    intake_raw = _read_csv(intake_csv, "intake")
    if "man_id" not in intake_raw.columns:
        raise BacktestError("intake: missing column man_id")
    problems: list[str] = []

    def cell(file: str, row: int, column: str, text: str, why: str) -> None:
        problems.append(f"{file} row {row + 2}, {column}: {why} (got {text!r})")

    ids = {m: i + 1 for i, m in enumerate(sorted(set(raw["man_id"].str.strip()) - {""}))}
    records = []
    for row, line in raw.iterrows():
        r = int(str(row))
        man = line["man_id"].strip()
        if not man:
            cell("sessions", r, "man_id", man, "is blank")
            continue
        rec: dict[str, Any] = {"participant_id": ids[man]}
        rec["session_number"] = _integer(
            line["session_index"],
            1,
            partial(cell, "sessions", r, "session_index", line["session_index"]),
        )
        try:
            rec["date"] = dt.date.fromisoformat(line["date"].strip())
        except ValueError:
            cell("sessions", r, "date", line["date"], "give a date as YYYY-MM-DD")
        attended = _flag(
            line["attended"], partial(cell, "sessions", r, "attended", line["attended"])
        )
        excused = (
            _flag(
                line["excused"],
                partial(cell, "sessions", r, "excused", line["excused"]),
                blank=False,
            )
            if "excused" in raw.columns
            else False
        )
        late = _number(
            line["minutes_late"],
            0,
            None,
            partial(cell, "sessions", r, "minutes_late", line["minutes_late"]),
            blank=0.0,
        )
        rec["minutes_late"] = 0 if late is None or np.isnan(late) else int(late)
        rec["mark"] = (
            ("late" if rec["minutes_late"] > 0 else "present")
            if attended
            else ("excused" if excused else "unexcused")
        )
        rec["checkout"] = _number(
            line["checkout_total"],
            0,
            10,
            partial(cell, "sessions", r, "checkout_total", line["checkout_total"]),
        )
        rec["rating"] = (
            _number(
                line["facilitator_rating"],
                0,
                10,
                partial(cell, "sessions", r, "facilitator_rating", line["facilitator_rating"]),
            )
            if "facilitator_rating" in raw.columns
            else np.nan
        )
        homework = line["homework_done"].strip()
        if homework:
            done = _flag(homework, partial(cell, "sessions", r, "homework_done", homework))
            rec["homework_set"], rec["homework_done"] = 1.0, 1.0 if done else 0.0
        else:
            rec["homework_set"], rec["homework_done"] = 0.0, 0.0
        rec["dropped_out_after"] = _flag(
            line["dropped_out_after"],
            partial(cell, "sessions", r, "dropped_out_after", line["dropped_out_after"]),
        )
        records.append(rec)
    intake_ids = intake_raw["man_id"].str.strip()
    unknown_intake = sorted(set(intake_ids) - set(ids) - {""})
    for man in sorted(set(ids) - set(intake_ids)):
        problems.append(f"intake: man_id {man!r} has sessions but no intake row")
    if intake_ids.duplicated().any():
        problems.append(f"intake: man_id {intake_ids[intake_ids.duplicated()].iloc[0]!r} twice")
    if problems:
        raise BacktestError(_listed(problems))
    sessions = pd.DataFrame.from_records(records)
    if sessions.empty:
        raise BacktestError("sessions: no rows")
    if sessions.duplicated(["participant_id", "session_number"]).any():
        dup = sessions[sessions.duplicated(["participant_id", "session_number"])].iloc[0]
        man = next(k for k, v in ids.items() if v == dup["participant_id"])
        raise BacktestError(
            f"sessions: man_id {man!r} has session_index {dup['session_number']} twice"
        )
    sessions = sessions.sort_values(["participant_id", "session_number"], kind="stable")
    after_drop = sessions.groupby("participant_id")["dropped_out_after"].transform(
        lambda s: s.cumsum().shift(fill_value=0) > 0
    )
    if after_drop.any():
        bad = sessions[after_drop].iloc[0]
        man = next(k for k, v in ids.items() if v == bad["participant_id"])
        raise BacktestError(
            f"sessions: man_id {man!r} has session {bad['session_number']} after the one he "
            "dropped out after"
        )
    origin = min(sessions["date"])
    sessions["day"] = [(d - origin).days for d in sessions["date"]]
    starts = sessions.groupby("participant_id")["date"].min()
    sessions = sessions.drop(columns=["date"]).reset_index(drop=True)
    intake_raw = intake_raw[~intake_ids.isin(unknown_intake) & (intake_ids != "")]
    intake = pd.DataFrame({"participant_id": intake_raw["man_id"].str.strip().map(ids)})
    for column in INTAKE_NUMERIC:
        values = []
        for row, text in zip(
            intake_raw.index, intake_raw.get(column, [""] * len(intake_raw)), strict=True
        ):
            values.append(
                _number(
                    text,
                    None,
                    None,
                    lambda w, r=row, t=text, c=column: cell("intake", int(r), c, t, w),
                )
            )
        intake[column] = np.asarray(values, dtype=np.float64)
    for column in INTAKE_TEXT:
        intake[column] = (
            intake_raw[column].str.strip().str.lower().to_numpy()
            if column in intake_raw.columns
            else ""
        )
    if problems:
        raise BacktestError(_listed(problems))
    return intake.reset_index(drop=True), sessions, starts


def backtest(
    intake: pd.DataFrame,
    sessions: pd.DataFrame,
    starts: pd.Series,
    *,
    split: dt.date | None = None,
) -> dict[str, Any]:
    """Fit on men who started before ``split``, score men who started on or after it.

    ``starts`` maps ``participant_id`` to his start date; ``split`` defaults to the 70th
    percentile of start dates.  Returns the keys of
    :func:`~alliance.core.engagement.evaluate.evaluate_synthetic` (the oracle figures are
    ``None``: real history has no known true hazard) plus ``split_date``,
    ``train_dropouts`` and ``source``.
    """
    starts = pd.Series(pd.to_datetime(starts).dt.date, index=starts.index).dropna()
    if starts.empty:
        raise BacktestError("no man has a start date")
    if split is None:
        ordinals = np.sort([d.toordinal() for d in starts])
        split = dt.date.fromordinal(
            int(np.quantile(ordinals, DEFAULT_TRAIN_SHARE, method="higher"))
        )
    sessions = sessions[sessions["participant_id"].isin(starts.index)]
    frame = person_session_frame(intake[intake["participant_id"].isin(starts.index)], sessions)
    frame = frame[frame["session_number"] > 0]  # intake-only rows carry no outcome
    early = set(starts.index[starts < split])
    train = frame[frame["participant_id"].isin(early)]
    test = frame[~frame["participant_id"].isin(early)].reset_index(drop=True)
    train_men, test_men = (
        int(train["participant_id"].nunique()),
        int(test["participant_id"].nunique()),
    )
    train_drops = int(train["dropped_out_after"].sum())
    test_drops = int(test["dropped_out_after"].sum())
    if train_men < MIN_TRAIN_MEN or train_drops < MIN_TRAIN_DROPOUTS:
        raise BacktestError(
            f"too little history before {split.isoformat()} to train on ({train_men} men, "
            f"{train_drops} dropouts; need {MIN_TRAIN_MEN} and {MIN_TRAIN_DROPOUTS})"
        )
    if test_men < MIN_TEST_MEN or test_drops < MIN_TEST_DROPOUTS or test_drops == len(test):
        raise BacktestError(
            f"too few men started on or after {split.isoformat()} to test on ({test_men} men, "
            f"{test_drops} dropouts; need {MIN_TEST_MEN} and {MIN_TEST_DROPOUTS}, and stayers)"
        )
    order = pd.Series(
        [starts[i].toordinal() for i in sorted(early)], index=sorted(early), dtype=np.int64
    )
    model, cv = fit_with_validation(train, order)
    predicted = model.hazard(test)
    y = test["dropped_out_after"].to_numpy(np.bool_)
    held_out = evaluate(y, predicted)
    flags = _early_flag_recall(test, predicted)
    return {
        "participants": int(frame["participant_id"].nunique()),
        "seed": None,
        "train_men": train_men,
        "test_men": test_men,
        "test_rows": len(test),
        "model_auc": held_out["auc"],
        "oracle_auc": None,
        "model_to_oracle_auc": None,
        "brier": held_out["brier"],
        "oracle_brier": None,
        "calibration_slope": held_out["calibration_slope"],
        "calibration_intercept": held_out["calibration_intercept"],
        "cv_auc": cv.refit["auc"],
        "cold_start_auc": evaluate(y, _cold(test))["auc"],
        **flags,
        "split_date": split.isoformat(),
        "train_dropouts": train_drops,
        "source": "out_of_time",
    }


def _read_csv(text: str, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        raise BacktestError(f"{name}: not a readable CSV ({exc})") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _flag(text: str, bad: Any, *, blank: bool | None = None) -> bool:
    t = str(text).strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    if not t and blank is not None:
        return blank
    bad("give 1 or 0 (yes or no)")
    return False


def _integer(text: str, low: int, bad: Any) -> int:
    t = str(text).strip()
    try:
        value = int(t)
    except ValueError:
        bad("give a whole number")
        return low
    if value < low:
        bad(f"must be {low} or more")
    return value


def _number(
    text: str, low: float | None, high: float | None, bad: Any, *, blank: float = np.nan
) -> float:
    t = str(text).strip()
    if not t:
        return blank
    try:
        value = float(t)
    except ValueError:
        bad("give a number")
        return np.nan
    if not np.isfinite(value):
        bad("give a number")
        return np.nan
    if (low is not None and value < low) or (high is not None and value > high):
        bad(
            f"must be between {low:g} and {high:g}"
            if high is not None
            else f"must be {low:g} or more"
        )
        return np.nan
    return value


def _listed(problems: list[str]) -> str:
    shown = problems[:20]
    more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
    return "; ".join(shown) + more
