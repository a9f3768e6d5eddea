"""Reads for the program dashboard: aggregate figures for the programs a user may see.

All figures come from a handful of GROUP BY queries whose number does not depend on the
number of men; the compliance standing is read from the value stored on each enrollment.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.retention import RetentionCurve, retention_curve
from alliance.participants.models import Enrollment, GroupAssignment
from alliance.programs.models import Attendance, Group, Program

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


STATUS_LABELS = {s.value: s.value.replace("_", " ").capitalize() for s in EnrollmentStatus}


def program_dashboard(programs: QuerySet[Program], *, with_names: bool) -> Dashboard:
    enrollments = Enrollment.objects.filter(program__in=programs)
    counts = dict(enrollments.values_list("status").annotate(n=Count("id")))
    status_counts = [
        (s.value, STATUS_LABELS[s.value], counts.get(s.value, 0)) for s in EnrollmentStatus
    ]

    started = enrollments.filter(started_on__isnull=False).values_list("attended_count", "status")
    durations, events = [], []
    for attended, status in started:
        durations.append(attended)
        events.append(status == EnrollmentStatus.DROPPED_OUT)
    retention = retention_curve(durations, events)

    groups = {
        g.pk: Rates(label=f"{g.name} ({g.program.name})")
        for g in Group.objects.filter(program__in=programs).select_related("program")
    }
    # A man counts for the group he was last assigned to.
    last_group: dict[int, int] = {}
    for enrollment_id, group_id in (
        GroupAssignment.objects.filter(group__program__in=programs)
        .order_by("enrollment_id", "starts_on", "id")
        .values_list("enrollment_id", "group_id")
    ):
        last_group[enrollment_id] = group_id
    status_of = dict(enrollments.filter(pk__in=list(last_group)).values_list("id", "status"))
    for enrollment_id, group_id in last_group.items():
        rates = groups[group_id]
        status = status_of.get(enrollment_id, "")
        rates.men += 1
        if status in CLOSED_FOR_COMPLETION:
            rates.closed += 1
            rates.completed += status == EnrollmentStatus.COMPLETED
    for group_id, total, attended in (
        Attendance.objects.filter(session__group__program__in=programs)
        .values_list("session__group_id")
        .annotate(total=Count("id"), attended=Count("id", filter=Q(mark__in=["present", "late"])))
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

    open_with_actions = enrollments.filter(status=EnrollmentStatus.ACTIVE).exclude(actions_due=[])
    kinds: Counter[str] = Counter()
    action_rows = list(
        open_with_actions.select_related("participant", "program").order_by("participant__code")
    )
    for enrollment in action_rows:
        for action in enrollment.actions_due:
            kinds[action["label"]] += 1
    return Dashboard(
        programs=list(programs),
        status_counts=status_counts,
        total=sum(counts.values()),
        retention=retention,
        by_group=sorted(groups.values(), key=lambda r: r.label),
        by_facilitator=sorted(facilitators.values(), key=lambda r: r.label),
        actions_by_kind=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        actions=action_rows[:100] if with_names else [],
    )
