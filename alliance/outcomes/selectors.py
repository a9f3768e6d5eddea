"""Reads for the program evaluation: aggregate, de-identified figures and analysis frames.

Nothing here returns a participant code or any per-man row to a template: the frames built
for ``alliance.core.outcomes`` are used for the analysis and discarded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Count, QuerySet

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.outcomes import (
    OUTCOMES,
    AdjustedComparison,
    ManAtRisk,
    OutcomeDefinition,
    OutcomeKind,
    Source,
    compare_completers,
    time_to_first_event,
)
from alliance.core.outcomes.survival import OutcomeDataError
from alliance.core.vocabulary import MANDATED_SOURCES
from alliance.outcomes.models import FollowUp, OutcomeEvent
from alliance.participants.models import Enrollment
from alliance.programs.models import Program

EXITED = (EnrollmentStatus.COMPLETED, EnrollmentStatus.DROPPED_OUT, EnrollmentStatus.DISCHARGED)
DEFAULT_OUTCOMES = ("ipv_official", "any_official", "partner_any")
#: Fewer than this many men or events in an arm and the comparison is not shown: weights and
#: hazard ratios from a handful of men mislead, and tiny cells can identify a man.
MIN_ARM = 10
MIN_EVENTS = 5
COVARIATE_LABELS = {
    "age": "Age at referral",
    "prior_offences": "Prior offences",
    "unemployed": "Unemployed",
    "single": "Single or separated",
    "substance_use": "Substance-use concern",
    "mandated": "Court or agency mandate",
    "risk_score": "External risk score",
}


@dataclass(frozen=True)
class Flow:
    """CONSORT-style counts: referred, started, and how those who started left."""

    referred: int
    never_started: int
    waiting: int
    started: int
    active: int
    completed: int
    dropped_out: int
    discharged: int
    transferred: int
    exited: int
    official_follow_up: int
    partner_follow_up: int

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.exited if self.exited else None


@dataclass(frozen=True)
class Attendance:
    completers_mean: float | None
    non_completers_mean: float | None


@dataclass(frozen=True)
class OutcomePanel:
    outcome: OutcomeDefinition
    men: int
    events: int
    comparison: AdjustedComparison | None
    covariates: tuple[str, ...]
    not_shown_because: str | None


@dataclass(frozen=True)
class EvaluationReport:
    flow: Flow
    attendance: Attendance
    panels: tuple[OutcomePanel, ...]


def _flow(enrollments: QuerySet[Enrollment], exited_ids: Sequence[int]) -> Flow:
    by_status = Counter(enrollments.values_list("status", flat=True))
    started = enrollments.filter(started_on__isnull=False)
    started_by_status = Counter(started.values_list("status", flat=True))
    never = sum(
        n for s, n in by_status.items() if s in EXITED or s == EnrollmentStatus.TRANSFERRED
    ) - sum(n for s, n in started_by_status.items() if s in EXITED or s == "transferred")
    waiting = by_status[EnrollmentStatus.REFERRED] + by_status[EnrollmentStatus.INTAKE]
    participants = enrollments.filter(pk__in=exited_ids).values("participant_id")
    sources = dict(
        FollowUp.objects.filter(participant_id__in=participants)
        .values_list("source")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    )
    return Flow(
        referred=sum(by_status.values()),
        never_started=never,
        waiting=waiting,
        started=sum(started_by_status.values()),
        active=started_by_status[EnrollmentStatus.ACTIVE],
        completed=started_by_status[EnrollmentStatus.COMPLETED],
        dropped_out=started_by_status[EnrollmentStatus.DROPPED_OUT],
        discharged=started_by_status[EnrollmentStatus.DISCHARGED],
        transferred=started_by_status[EnrollmentStatus.TRANSFERRED],
        exited=len(exited_ids),
        official_follow_up=sources.get(Source.OFFICIAL_RECORD, 0),
        partner_follow_up=sources.get(Source.PARTNER_REPORT, 0),
    )


def _cohort(enrollments: QuerySet[Enrollment]) -> pd.DataFrame:
    """One row per man who started and has left (his latest such enrollment)."""
    rows = list(
        enrollments.filter(status__in=EXITED, started_on__isnull=False, ended_on__isnull=False)
        .order_by("participant_id", "ended_on")
        .values_list(
            "pk",
            "participant_id",
            "status",
            "ended_on",
            "referred_on",
            "referral_source",
            "attended_count",
            "participant__birth_year",
            "participant__prior_offences",
            "participant__employment",
            "participant__relationship_status",
            "participant__substance_use_concern",
            "participant__risk_score",
        )
    )
    columns = [
        "enrollment_id",
        "participant_id",
        "status",
        "exit_on",
        "referred_on",
        "referral_source",
        "attended",
        "birth_year",
        "prior_offences",
        "employment",
        "relationship",
        "substance_use",
        "risk_score",
    ]
    frame = pd.DataFrame(rows, columns=columns).drop_duplicates("participant_id", keep="last")
    frame["completed"] = (frame["status"] == EnrollmentStatus.COMPLETED).astype(int)
    frame["age"] = [
        r.year - b if b is not None else np.nan
        for r, b in zip(frame["referred_on"], frame["birth_year"], strict=True)
    ]
    frame["unemployed"] = (frame["employment"] == "unemployed").astype(float)
    frame["single"] = frame["relationship"].isin(["single", "separated"]).astype(float)
    frame["substance_use"] = frame["substance_use"].map({True: 1.0, False: 0.0})
    frame["mandated"] = (
        frame["referral_source"].isin([str(s) for s in MANDATED_SOURCES]).astype(float)
    )
    frame["prior_offences"] = pd.to_numeric(frame["prior_offences"], errors="coerce")
    frame["risk_score"] = pd.to_numeric(frame["risk_score"], errors="coerce")
    return frame.reset_index(drop=True)


def _usable_covariates(frame: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """Median-impute missing intake values; drop covariates nobody or everybody has."""
    out = frame.copy()
    used = []
    for name in COVARIATE_LABELS:
        column = pd.to_numeric(out[name], errors="coerce").astype(float)
        if column.notna().sum() == 0:
            continue
        column = column.fillna(column.median())
        if column.nunique() < 2:
            continue
        out[name] = column
        used.append(name)
    return used, out


def _panel(
    cohort: pd.DataFrame,
    outcome: OutcomeDefinition,
    followups: list[tuple[int, Source, dt.date]],
    events: list[tuple[int, OutcomeKind, dt.date]],
) -> OutcomePanel:
    men = [
        ManAtRisk(int(p), e)
        for p, e in zip(cohort["participant_id"], cohort["exit_on"], strict=True)
    ]
    times = time_to_first_event(men, followups, events, outcome)
    data = times.merge(cohort, on="participant_id")
    n, n_events = len(data), int(data["event"].sum()) if len(data) else 0
    arms = data["completed"].value_counts() if n else pd.Series(dtype=int)
    covariates: list[str] = []
    if n == 0:
        reason = "no man has follow-up from this source yet"
    elif min(arms.get(0, 0), arms.get(1, 0)) < MIN_ARM:
        reason = f"fewer than {MIN_ARM} men followed up among completers or non-completers"
    elif n_events < MIN_EVENTS:
        reason = f"fewer than {MIN_EVENTS} events so far"
    else:
        reason = None
    comparison = None
    if reason is None:
        covariates, data = _usable_covariates(data)
        try:
            comparison = compare_completers(
                data,
                duration="duration_days",
                event="event",
                completed="completed",
                covariates=covariates,
            )
        except (OutcomeDataError, np.linalg.LinAlgError, ValueError) as exc:
            reason = f"the model could not be fitted ({exc})"
    return OutcomePanel(outcome, n, n_events, comparison, tuple(covariates), reason)


def evaluation_report(
    programs: QuerySet[Program], *, outcomes: Sequence[str] = DEFAULT_OUTCOMES
) -> EvaluationReport:
    enrollments = Enrollment.objects.filter(program__in=programs)
    cohort = _cohort(enrollments)
    flow = _flow(enrollments, list(cohort["enrollment_id"]))
    attended: dict[int, float] = (
        {int(str(k)): float(v) for k, v in cohort.groupby("completed")["attended"].mean().items()}
        if len(cohort)
        else {}
    )
    attendance = Attendance(completers_mean=attended.get(1), non_completers_mean=attended.get(0))
    ids = list(cohort["participant_id"])
    followups = [
        (p, Source(s), end)
        for p, s, end in FollowUp.objects.filter(participant_id__in=ids).values_list(
            "participant_id", "source", "window_end"
        )
    ]
    events = [
        (p, OutcomeKind(k), on)
        for p, k, on in OutcomeEvent.objects.filter(participant_id__in=ids).values_list(
            "participant_id", "kind", "occurred_on"
        )
    ]
    panels = tuple(_panel(cohort, OUTCOMES[key], followups, events) for key in outcomes)
    return EvaluationReport(flow=flow, attendance=attendance, panels=panels)
