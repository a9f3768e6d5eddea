"""De-identified research tables: one row per enrollment, and a long file of measure scores.

The web app hands in plain frames read from the database (with internal ids, real dates and
intake values); this module returns tables that carry none of the identifiers:

* a random **study id** replaces the participant (drawn afresh for every export, never
  stored, so two exports cannot be linked by it);
* no code, initials, name, contact detail, case reference, referral contact or free text is
  read in the first place, and birth year is turned into age at referral, top-coded at 90
  (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C));
* dates are either **shifted** by a random number of days per man (the same offset for all of
  his dates in one export, so intervals within a man are exact; the offsets are not returned)
  or **reduced to intervals** (days since that enrollment's referral; outcomes in days since
  exit), as the evaluator chooses.

Categorical values are coded as small integers with value labels; "unknown" is coded 99 and
declared a missing code. Blank (system-missing) means not recorded or not applicable.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import numpy as np
import pandas as pd

from alliance.core.enrollment import DischargeReason, EnrollmentStatus
from alliance.core.outcomes.followup import (
    OUTCOMES,
    ManAtRisk,
    OutcomeKind,
    Source,
    time_to_first_event,
)
from alliance.core.vocabulary import (
    MANDATED_SOURCES,
    Education,
    Employment,
    IncomeBand,
    ReferralSource,
    RelationshipStatus,
)

Kind = Literal["string", "integer", "number", "date"]
UNKNOWN_CODE = 99
AGE_TOP_CODE = 90
MAX_SHIFT_DAYS = 183
#: Variable names stay within every target's limit: Stata 32, SPSS 64, REDCap's advice 26.
MAX_NAME = 26
EXITED = frozenset(
    {EnrollmentStatus.COMPLETED, EnrollmentStatus.DROPPED_OUT, EnrollmentStatus.DISCHARGED}
)
OCCASIONS = ("intake", "session", "midpoint", "exit", "other")
YES_NO: tuple[tuple[int, str], ...] = ((0, "No"), (1, "Yes"))

#: Columns the caller must supply in ``ExportSource.enrollments``.
ENROLLMENT_COLUMNS = (
    "enrollment_id",
    "participant_id",
    "program",
    "referral_source",
    "status",
    "discharge_reason",
    "referred_on",
    "started_on",
    "ended_on",
    "reinstatements",
    "attended",
    "unexcused_absences",
    "birth_year",
    "relationship_status",
    "employment",
    "education",
    "income_band",
    "prior_offences",
    "prior_ipv_offences",
    "substance_use",
    "risk_score",
    "outreach_alerts",
)
SCORE_COLUMNS = ("enrollment_id", "instrument", "scale", "occasion", "administered_on", "value")


_Put = Callable[[pd.Series, "Variable"], None]


class DateMode(StrEnum):
    SHIFT = "shift"
    INTERVALS = "intervals"


class ResearchExportError(ValueError):
    """The source frames are not what the export needs (names the column)."""


@dataclass(frozen=True)
class Variable:
    """One column of an exported table, as the codebook describes it."""

    name: str
    label: str
    kind: Kind
    values: tuple[tuple[int, str], ...] = ()
    missing: tuple[tuple[int, str], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    frame: pd.DataFrame
    variables: tuple[Variable, ...]

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)


@dataclass(frozen=True)
class ExportSource:
    """What the database holds, as plain frames (internal ids and real dates)."""

    enrollments: pd.DataFrame
    scores: pd.DataFrame
    #: (instrument, scale) -> human title of the measure
    measure_titles: Mapping[tuple[str, str], str]
    followups: Sequence[tuple[int, Source, dt.date]] = ()
    events: Sequence[tuple[int, OutcomeKind, dt.date]] = ()


@dataclass(frozen=True)
class ResearchData:
    date_mode: DateMode
    enrollments: Table
    administrations: Table
    men: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def tables(self) -> tuple[Table, Table]:
        return (self.enrollments, self.administrations)


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _coding(enum: type[StrEnum]) -> tuple[dict[str, int], tuple[tuple[int, str], ...]]:
    codes: dict[str, int] = {}
    labels: list[tuple[int, str]] = []
    n = 0
    for member in enum:
        if member.value == "unknown":
            codes[member.value] = UNKNOWN_CODE
            continue
        n += 1
        codes[member.value] = n
        labels.append((n, _label(member.value)))
    if "unknown" in codes:
        labels.append((UNKNOWN_CODE, "Unknown"))
    return codes, tuple(labels)


def _categorical(
    frame: pd.DataFrame, column: str, enum: type[StrEnum], name: str, label: str, note: str = ""
) -> tuple[pd.Series, Variable]:
    codes, labels = _coding(enum)
    raw = frame[column].fillna("").astype(str)
    bad = sorted(set(raw) - set(codes) - {""})
    if bad:
        raise ResearchExportError(f"{column}: unknown value {bad[0]!r}")
    series = raw.map(lambda v: codes.get(v, np.nan)).astype("Float64")
    missing = ((UNKNOWN_CODE, "Unknown"),) if "unknown" in codes else ()
    return series, Variable(name, label, "integer", labels, missing, note)


def measure_variable_base(instrument: str, scale: str) -> str:
    """A short, safe variable stem for one measure scale (lower case, letters first)."""
    stem = re.sub(r"[^a-z0-9]+", "_", f"{instrument}_{scale}".lower()).strip("_")
    stem = stem.removeprefix("alliance_")
    if not stem or not stem[0].isalpha():
        stem = "m_" + stem
    return stem[: MAX_NAME - 5].rstrip("_")


def _unique_stems(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for key in keys:
        stem = measure_variable_base(*key)
        candidate, n = stem, 1
        while candidate in used:
            n += 1
            candidate = f"{stem[: MAX_NAME - 5 - len(str(n))]}{n}"
        used.add(candidate)
        out[key] = candidate
    return out


def _check_columns(frame: pd.DataFrame, required: Sequence[str], what: str) -> None:
    for column in required:
        if column not in frame.columns:
            raise ResearchExportError(f"{what}: missing column {column!r}")


def study_ids(participant_ids: Sequence[int], rng: np.random.Generator) -> dict[int, str]:
    """Random, unique study ids ("S" and digits) that say nothing about order or identity."""
    unique = sorted(set(int(p) for p in participant_ids))
    width = max(6, len(str(len(unique) * 100)))
    draws = rng.choice(10**width, size=len(unique), replace=False)
    return {p: f"S{int(d):0{width}d}" for p, d in zip(unique, draws, strict=True)}


def date_offsets(
    participant_ids: Sequence[int], rng: np.random.Generator, max_days: int = MAX_SHIFT_DAYS
) -> dict[int, int]:
    """One secret offset per man, uniform on ±``max_days`` but never zero."""
    unique = sorted(set(int(p) for p in participant_ids))
    magnitudes = rng.integers(1, max_days + 1, size=len(unique))
    signs = rng.choice(np.array([-1, 1]), size=len(unique))
    return {p: int(m * s) for p, m, s in zip(unique, magnitudes, signs, strict=True)}


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    a = pd.to_datetime(later)
    b = pd.to_datetime(earlier)
    return (a - b).dt.days.astype("Float64")


def _shift(dates: pd.Series, offsets: pd.Series) -> pd.Series:
    return pd.to_datetime(dates) + pd.to_timedelta(offsets, unit="D")


def _int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("Float64")


def _index_enrollments(frame: pd.DataFrame) -> pd.Series:
    """True on each man's latest enrollment that started and ended in an exit (the one the
    evaluation's survival analysis counts time from)."""
    exited = frame["status"].isin([str(s) for s in EXITED])
    eligible = frame[exited & frame["started_on"].notna() & frame["ended_on"].notna()]
    latest = eligible.sort_values(["participant_id", "ended_on", "enrollment_id"]).drop_duplicates(
        "participant_id", keep="last"
    )
    return frame["enrollment_id"].isin(latest["enrollment_id"])


def build_research_tables(
    source: ExportSource,
    *,
    date_mode: DateMode,
    rng: np.random.Generator,
    max_shift_days: int = MAX_SHIFT_DAYS,
) -> ResearchData:
    """Build the de-identified enrollment table and the long table of measure scores.

    Parameters
    ----------
    source
        Frames with ``ENROLLMENT_COLUMNS`` and ``SCORE_COLUMNS``, follow-up windows and events.
    date_mode
        ``SHIFT``: calendar dates moved by a secret per-man offset, plus intervals;
        ``INTERVALS``: days since referral (and since exit for outcomes) only.
    rng
        Source of the study ids and offsets; pass a fresh ``numpy.random.default_rng()``.
    """
    _check_columns(source.enrollments, ENROLLMENT_COLUMNS, "enrollments")
    _check_columns(source.scores, SCORE_COLUMNS, "scores")
    if max_shift_days < 1:
        raise ResearchExportError("max_shift_days: must be at least 1")
    frame = source.enrollments.sort_values(["participant_id", "referred_on", "enrollment_id"])
    frame = frame.reset_index(drop=True)
    ids = study_ids(list(frame["participant_id"]), rng)
    offsets = date_offsets(list(frame["participant_id"]), rng, max_shift_days)
    frame["study_id"] = frame["participant_id"].map(ids)
    frame["offset"] = frame["participant_id"].map(offsets)
    frame["enrollment_no"] = frame.groupby("participant_id").cumcount() + 1
    enrollments = _enrollment_table(frame, source, date_mode)
    administrations = _administration_table(frame, source, date_mode)
    return ResearchData(
        date_mode=date_mode,
        enrollments=enrollments,
        administrations=administrations,
        men=len(ids),
    )


def _enrollment_table(frame: pd.DataFrame, source: ExportSource, mode: DateMode) -> Table:
    out: dict[str, pd.Series] = {}
    variables: list[Variable] = []

    def put(series: pd.Series, variable: Variable) -> None:
        out[variable.name] = series.reset_index(drop=True)
        variables.append(variable)

    put(frame["study_id"], Variable("study_id", "Study id (random, this export only)", "string"))
    put(
        frame["enrollment_no"].astype("Float64"),
        Variable("enrollment_no", "The man's nth referral (1 = first)", "integer"),
    )
    programs = sorted(set(frame["program"].astype(str)))
    program_codes = {p: i for i, p in enumerate(programs, start=1)}
    put(
        frame["program"].astype(str).map(program_codes).astype("Float64"),
        Variable("program", "Program", "integer", tuple((i, p) for p, i in program_codes.items())),
    )
    put(*_categorical(frame, "referral_source", ReferralSource, "referral_source", "Referred by"))
    mandated = frame["referral_source"].isin([str(s) for s in MANDATED_SOURCES]).astype(int)
    put(
        mandated.astype("Float64"),
        Variable("mandated", "Court, probation or child-protection mandate", "integer", YES_NO),
    )
    referred_year = pd.to_datetime(frame["referred_on"]).dt.year
    age = (referred_year - _int(frame["birth_year"])).clip(upper=AGE_TOP_CODE)
    put(
        age.astype("Float64"),
        Variable(
            "age",
            "Age at referral (years)",
            "integer",
            note=f"Referral year minus birth year; {AGE_TOP_CODE} means {AGE_TOP_CODE} or older.",
        ),
    )
    for column, enum, label in (
        ("relationship_status", RelationshipStatus, "Relationship status at intake"),
        ("employment", Employment, "Employment at intake"),
        ("education", Education, "Education at intake"),
        ("income_band", IncomeBand, "Income band at intake"),
    ):
        put(*_categorical(frame, column, enum, column, label))
    put(_int(frame["prior_offences"]), Variable("prior_offences", "Prior offences", "integer"))
    put(
        _int(frame["prior_ipv_offences"]),
        Variable("prior_ipv_offences", "Prior IPV offences", "integer"),
    )
    substance = frame["substance_use"].map({True: 1, False: 0}).astype("Float64")
    put(substance, Variable("substance_use", "Substance-use concern at intake", "integer", YES_NO))
    put(
        pd.to_numeric(frame["risk_score"], errors="coerce").astype("Float64"),
        Variable(
            "risk_score",
            "External risk score",
            "number",
            note="As recorded by a trained assessor with the program's licensed tool.",
        ),
    )
    put(*_categorical(frame, "status", EnrollmentStatus, "status", "Status at export"))
    put(
        *_categorical(
            frame,
            "discharge_reason",
            DischargeReason,
            "discharge_reason",
            "Discharge reason",
            note="Blank unless discharged.",
        )
    )
    completed = (frame["status"] == str(EnrollmentStatus.COMPLETED)).astype(int)
    put(
        completed.astype("Float64"),
        Variable("completed", "Completed the program", "integer", YES_NO),
    )
    put(_int(frame["reinstatements"]), Variable("reinstatements", "Reinstatements", "integer"))
    put(_int(frame["attended"]), Variable("sessions_attended", "Sessions attended", "integer"))
    put(
        _int(frame["unexcused_absences"]),
        Variable("unexcused_absences", "Unexcused absences", "integer"),
    )
    put(
        _int(frame["outreach_alerts"]),
        Variable("outreach_alerts", "Dropout-risk outreach alerts raised", "integer"),
    )
    if mode is DateMode.SHIFT:
        for column, name, label in (
            ("referred_on", "referred_date", "Referral date (shifted)"),
            ("started_on", "start_date", "First day active (shifted)"),
            ("ended_on", "end_date", "Exit date (shifted)"),
        ):
            put(
                _shift(frame[column], frame["offset"]),
                Variable(
                    name,
                    label,
                    "date",
                    note="Moved by a secret random number of days, the same for all of a "
                    "man's dates in this export.",
                ),
            )
    put(
        _days(frame["started_on"], frame["referred_on"]),
        Variable("days_to_start", "Days from referral to first day active", "integer"),
    )
    put(
        _days(frame["ended_on"], frame["referred_on"]),
        Variable("days_to_end", "Days from referral to exit", "integer"),
    )
    _put_measures(frame, source, put)
    _put_outcomes(frame, source, put)
    table = pd.DataFrame(out)
    table = table.sort_values(["study_id", "enrollment_no"]).reset_index(drop=True)
    return Table("enrollments", "One row per enrollment", table, tuple(variables))


def _put_measures(frame: pd.DataFrame, source: ExportSource, put: _Put) -> None:
    scores = source.scores.dropna(subset=["value"])
    if scores.empty:
        return
    ordered = scores.sort_values(["administered_on"], kind="stable")
    ends = (
        ordered.groupby(["instrument", "scale", "enrollment_id"], sort=True)
        .agg(pre=("value", "first"), post=("value", "last"), n=("value", "size"))
        .reset_index()
    )
    parts = {
        (str(i), str(s)): part for (i, s), part in ends.groupby(["instrument", "scale"], sort=True)
    }
    stems = _unique_stems(sorted(parts))
    for key in sorted(parts):
        part = parts[key]
        title = source.measure_titles.get(key, f"{key[0]} {key[1]}")
        by_enrollment = part.set_index("enrollment_id")
        pre = frame["enrollment_id"].map(by_enrollment["pre"]).astype("Float64")
        post = frame["enrollment_id"].map(by_enrollment["post"])
        post = post.where(frame["enrollment_id"].map(by_enrollment["n"]) > 1).astype("Float64")
        put(pre, Variable(f"{stems[key]}_pre", f"{title}: first score", "number"))
        put(
            post,
            Variable(
                f"{stems[key]}_post",
                f"{title}: last score",
                "number",
                note="Blank when he has only one score.",
            ),
        )


def _put_outcomes(frame: pd.DataFrame, source: ExportSource, put: _Put) -> None:
    index = _index_enrollments(frame)
    put(
        index.astype(int).astype("Float64"),
        Variable(
            "index_enrollment",
            "The enrollment whose exit starts follow-up",
            "integer",
            YES_NO,
            note="His latest enrollment that started and ended in completion, dropout or "
            "discharge; outcome variables are filled on this row only.",
        ),
    )
    men = [
        ManAtRisk(int(p), e)
        for p, e in zip(
            frame.loc[index, "participant_id"], frame.loc[index, "ended_on"], strict=True
        )
    ]
    for key, outcome in OUTCOMES.items():
        times = time_to_first_event(men, source.followups, source.events, outcome).set_index(
            "participant_id"
        )
        pid = frame["participant_id"].where(index)
        followed = pid.isin(times.index).astype(int).astype("Float64").where(index)
        event = pid.map(times["event"]).astype("Float64")
        days = pid.map(times["duration_days"]).astype("Float64")
        src = "official records" if outcome.source is Source.OFFICIAL_RECORD else "partner reports"
        put(
            followed,
            Variable(f"{key}_fu", f"Followed up by {src}", "integer", YES_NO),
        )
        put(event, Variable(f"{key}_event", f"{outcome.label}: event", "integer", YES_NO))
        put(
            days,
            Variable(
                f"{key}_days",
                f"{outcome.label}: days from exit to first event or censoring",
                "number",
                note="Censored at the end of his last follow-up from this source; an event on "
                "the day of exit counts as 0.5 days.",
            ),
        )


def _administration_table(frame: pd.DataFrame, source: ExportSource, mode: DateMode) -> Table:
    scores = source.scores.dropna(subset=["value"])
    scores = scores[scores["enrollment_id"].isin(frame["enrollment_id"])]
    pairs = [(str(i), str(s)) for i, s in zip(scores["instrument"], scores["scale"], strict=True)]
    keys = sorted(set(pairs))
    measure_codes = {k: n for n, k in enumerate(keys, start=1)}
    by_enrollment = frame.set_index("enrollment_id")
    enrollment = scores["enrollment_id"]
    occasion_codes = {o: n for n, o in enumerate(OCCASIONS, start=1)}
    referred = enrollment.map(by_enrollment["referred_on"])
    columns: dict[str, pd.Series] = {
        "study_id": enrollment.map(by_enrollment["study_id"]),
        "enrollment_no": enrollment.map(by_enrollment["enrollment_no"]).astype("Float64"),
        "measure": pd.Series(
            [measure_codes[pair] for pair in pairs],
            index=scores.index,
            dtype="Float64",
        ),
        "occasion": scores["occasion"].map(occasion_codes).astype("Float64"),
        "day": _days(scores["administered_on"], referred),
    }
    variables = [
        Variable("study_id", "Study id (random, this export only)", "string"),
        Variable("enrollment_no", "The man's nth referral (1 = first)", "integer"),
        Variable(
            "measure",
            "Measure and scale",
            "integer",
            tuple((n, source.measure_titles.get(k, " ".join(k))) for k, n in measure_codes.items()),
        ),
        Variable(
            "occasion",
            "Occasion",
            "integer",
            tuple((n, _label(o)) for o, n in occasion_codes.items()),
        ),
        Variable("day", "Days from referral to this score", "integer"),
    ]
    if mode is DateMode.SHIFT:
        columns["date"] = _shift(scores["administered_on"], enrollment.map(by_enrollment["offset"]))
        variables.append(
            Variable("date", "Date of the score (shifted with the man's offset)", "date")
        )
    columns["score"] = pd.to_numeric(scores["value"]).astype("Float64")
    variables.append(Variable("score", "Scale score", "number"))
    table = pd.DataFrame({k: v.reset_index(drop=True) for k, v in columns.items()})
    if len(table):
        table = table.sort_values(["study_id", "enrollment_no", "day", "measure"], kind="stable")
    return Table(
        "administrations",
        "One row per scale score (long format)",
        table.reset_index(drop=True),
        tuple(variables),
    )
