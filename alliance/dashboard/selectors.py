"""Reads for the program dashboard: aggregate figures for the programs a user may see.

All figures come from a handful of GROUP BY queries whose number does not depend on the
number of men, and whose rows come per group or per distinct value rather than per man (the
page must stay fast at 10,000 men: see docs/benchmarks.md); the compliance standing is read
from the value stored on each enrollment.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, QuerySet, Sum

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.retention import RetentionCurve, retention_curve
from alliance.participants.models import Enrollment
from alliance.programs.models import Group, Program, Session, SessionStatus

CLOSED_FOR_COMPLETION = [
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.DROPPED_OUT,
    EnrollmentStatus.DISCHARGED,
]


@dataclass
class Rates:
    label: str
    men: int = 0
    completed: int = 0
    closed: int = 0
    marks: int = 0
    attended: int = 0
    #: Men still enrolled (active): why a new group's completion rate is not yet a rate.
    in_progress: int = 0

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.closed if self.closed else None

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marks if self.marks else None


@dataclass
class Dashboard:
    programs: list[Program]
    status_counts: list[tuple[str, str, int]]
    total: int
    retention: RetentionCurve
    by_group: list[Rates]
    by_facilitator: list[Rates]
    actions_by_kind: list[tuple[str, int]]
    actions: list[Enrollment] = field(default_factory=list)
    #: Men who dropped out before their first session: in the status table, not in the
    #: retention curve (which counts sessions attended, so begins with the men who started).
    dropped_before_start: int = 0


ACTIONS_LISTED = 100
STATUS_LABELS = {s.value: s.value.replace("_", " ").capitalize() for s in EnrollmentStatus}


def program_dashboard(programs: QuerySet[Program], *, with_names: bool) -> Dashboard:
    enrollments = Enrollment.objects.filter(program__in=programs)
    counts = dict(enrollments.values_list("status").annotate(n=Count("id")))
    status_counts = [
        (s.value, STATUS_LABELS[s.value], counts.get(s.value, 0)) for s in EnrollmentStatus
    ]
    retention = _retention(enrollments)

    groups = {
        g.pk: Rates(label=f"{g.name} ({g.program.name})")
        for g in Group.objects.filter(program__in=programs).select_related("program")
    }
    for group_id, status, n in _men_by_last_group(programs):
        rates = groups[group_id]
        rates.men += n
        if status == EnrollmentStatus.ACTIVE:
            rates.in_progress += n
        if status in CLOSED_FOR_COMPLETION:
            rates.closed += n
            rates.completed += n if status == EnrollmentStatus.COMPLETED else 0
    for group_id, total, attended in (
        Session.objects.filter(group__program__in=programs)
        .values_list("group_id")
        .annotate(total=Sum("marks_total"), attended=Sum("marks_attended"))
        .order_by()
    ):
        groups[group_id].marks += total
        groups[group_id].attended += attended

    facilitators: dict[int, Rates] = {}
    for group_id, user_id, username, first, last in Group.facilitators.through.objects.filter(
        group_id__in=list(groups)
    ).values_list("group_id", "user_id", "user__username", "user__first_name", "user__last_name"):
        name = f"{first} {last}".strip() or username
        rates = facilitators.setdefault(user_id, Rates(label=name))
        source = groups[group_id]
        rates.men += source.men
        rates.completed += source.completed
        rates.closed += source.closed
        rates.marks += source.marks
        rates.attended += source.attended
        rates.in_progress += source.in_progress

    open_with_actions = enrollments.filter(status=EnrollmentStatus.ACTIVE).exclude(actions_due=[])
    # Only the kinds are counted over every man; whole rows are read for the 100 listed.
    kinds: Counter[str] = Counter(
        action["label"]
        for actions_due in open_with_actions.values_list("actions_due", flat=True)
        for action in actions_due
    )
    action_rows = (
        list(
            open_with_actions.select_related("participant", "program").order_by(
                "participant__code"
            )[:ACTIONS_LISTED]
        )
        if with_names
        else []
    )
    return Dashboard(
        programs=list(programs),
        status_counts=status_counts,
        total=sum(counts.values()),
        retention=retention,
        by_group=sorted(groups.values(), key=lambda r: r.label),
        by_facilitator=sorted(facilitators.values(), key=lambda r: r.label),
        actions_by_kind=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        actions=action_rows,
        dropped_before_start=enrollments.filter(
            status=EnrollmentStatus.DROPPED_OUT, started_on__isnull=True
        ).count(),
    )


def _retention(enrollments: QuerySet[Enrollment]) -> RetentionCurve:
    """Kaplan–Meier curve of the men who started, from one row per (sessions, dropped out)."""
    grouped = (
        enrollments.filter(started_on__isnull=False)
        .values_list("attended_count", "status")
        .annotate(n=Count("id"))
    )
    durations, events, men = [], [], []
    for attended, status, n in grouped:
        durations.append(attended)
        events.append(status == EnrollmentStatus.DROPPED_OUT)
        men.append(n)
    # The estimator wants one entry per man; rebuilding them from the counts is cheap next to
    # reading every man's row from the database.
    return retention_curve(np.repeat(durations, men), np.repeat(events, men).astype(bool))


def _men_by_last_group(programs: QuerySet[Program]) -> list[tuple[int, str, int]]:
    """(group, enrollment status, men): each man counts in the group he attends or last attended."""
    return list(
        Enrollment.objects.filter(program__in=programs, group__isnull=False)
        .values_list("group_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


@dataclass(frozen=True)
class Tiles:
    """The figures at the top of the dashboard. Each is one aggregate query, whatever the
    number of men; the rates are None where there is nothing to divide by."""

    active_men: int
    sessions_this_week: int
    week_start: dt.date
    marks: int
    attended: int
    checkouts: int
    documents_due: int
    open_alerts: int

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marks if self.marks else None


def tiles(programs: QuerySet[Program], *, start: dt.date, end: dt.date, today: dt.date) -> Tiles:
    from alliance.core.engagement.outreach import OutreachStatus
    from alliance.engagement.models import OutreachAlert
    from alliance.measures.models import CHECKOUT, Administration, Alert, Status

    enrollments = Enrollment.objects.filter(program__in=programs)
    week_start = today - dt.timedelta(days=today.weekday())
    sessions = Session.objects.filter(group__program__in=programs)
    marked = sessions.filter(held_on__gte=start, held_on__lte=end).aggregate(
        total=Sum("marks_total"), attended=Sum("marks_attended")
    )
    return Tiles(
        active_men=enrollments.filter(status=EnrollmentStatus.ACTIVE).count(),
        sessions_this_week=sessions.filter(
            held_on__gte=week_start, held_on__lte=week_start + dt.timedelta(days=6)
        )
        .exclude(status=SessionStatus.CANCELLED)
        .count(),
        week_start=week_start,
        marks=marked["total"] or 0,
        attended=marked["attended"] or 0,
        checkouts=Administration.objects.filter(
            enrollment__program__in=programs,
            instrument_id=CHECKOUT,
            status=Status.COMPLETE,
            administered_on__gte=start,
            administered_on__lte=end,
        ).count(),
        documents_due=enrollments.filter(status=EnrollmentStatus.ACTIVE)
        .exclude(actions_due=[])
        .count(),
        open_alerts=Alert.objects.filter(
            enrollment__program__in=programs, acknowledged_at__isnull=True
        ).count()
        + OutreachAlert.objects.filter(
            enrollment__program__in=programs, status=OutreachStatus.OPEN
        ).count(),
    )
