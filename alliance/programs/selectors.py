"""Reads for the session page, the group roster and the facilitator home.

Each function issues a fixed number of queries whatever the number of men (checked by tests
at two sizes), so pages stay fast as groups grow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from alliance.core.compliance import COUNTED_LABELS, ComplianceAssessment, Counted, Standing
from alliance.core.enrollment import EnrollmentStatus
from alliance.organizations.models import Membership, Organization
from alliance.participants.models import Enrollment, GroupAssignment
from alliance.participants.services import assess_enrollments
from alliance.programs.models import (
    Attendance,
    CurriculumSession,
    Group,
    Program,
    Session,
    SessionStatus,
)
from alliance.programs.permissions import visible_groups

MARK_LABELS = {"present": "Present", "late": "Late", "excused": "Excused", "unexcused": "Absent"}
MARK_SYMBOLS = {"present": "P", "late": "L", "excused": "E", "unexcused": "A"}


@dataclass
class SessionRow:
    enrollment: Enrollment
    attendance: Attendance | None
    is_makeup: bool = False


def session_rows(session: Session) -> list[SessionRow]:
    """Men expected at this session (assigned to the group that day), plus make-up visitors."""
    day = session.held_on
    assignments = (
        GroupAssignment.objects.filter(group_id=session.group_id, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("enrollment__participant")
        .order_by("enrollment__participant__code")
    )
    marks = {
        a.enrollment_id: a
        for a in Attendance.objects.filter(session=session).select_related(
            "enrollment__participant"
        )
    }
    rows = [SessionRow(a.enrollment, marks.pop(a.enrollment_id, None)) for a in assignments]
    rows += [SessionRow(a.enrollment, a, is_makeup=True) for a in marks.values()]
    return rows


@dataclass(frozen=True)
class RosterCell:
    """The mark a facilitator recorded, and what the compliance engine counts it as."""

    mark: str
    counted: Counted

    @property
    def counted_label(self) -> str:
        return COUNTED_LABELS[self.counted]


@dataclass
class RosterRow:
    enrollment: Enrollment
    cells: list[RosterCell | None] = field(default_factory=list)
    #: His figures over the whole enrollment, from the engine (None before he starts).
    counts: ComplianceAssessment | None = None


@dataclass
class Roster:
    group: Group
    sessions: list[Session]
    rows: list[RosterRow]


def group_roster(group: Group, *, today: dt.date, last: int = 26) -> Roster:
    """Men × sessions grid for the last ``last`` sessions of a group up to next week.

    Men still in the group come first; men who have left stay listed below them so that
    their attendance remains visible.
    """
    sessions = list(
        Session.objects.filter(group=group, held_on__lte=today + dt.timedelta(days=7))
        .select_related("curriculum_session")
        .order_by("-held_on")[:last]
    )
    sessions.reverse()
    enrollments = (
        Enrollment.objects.filter(assignments__group=group)
        .select_related("participant")
        .distinct()
        .order_by("participant__code")
    )
    marks: dict[tuple[int, int], str] = {
        (enrollment_id, session_id): mark
        for enrollment_id, session_id, mark in Attendance.objects.filter(
            session__in=[s.pk for s in sessions]
        ).values_list("enrollment_id", "session_id", "mark")
    }
    # What each mark counts as, and his totals, come from the compliance engine, so the
    # roster agrees with his standing and with what a court is told.
    assessed = assess_enrollments(enrollments, today=today)

    def cell(enrollment_id: int, session_id: int) -> RosterCell | None:
        mark = marks.get((enrollment_id, session_id))
        if mark is None:
            return None
        found = assessed.get(enrollment_id)
        counted = found.by_session.get(session_id) if found else None
        return RosterCell(mark, counted or Counted.AFTER_TODAY)

    rows = [
        RosterRow(
            e,
            [cell(e.pk, s.pk) for s in sessions],
            assessed[e.pk].assessment if e.pk in assessed else None,
        )
        for e in enrollments
    ]
    rows.sort(key=lambda row: row.enrollment.status != EnrollmentStatus.ACTIVE)
    return Roster(group=group, sessions=sessions, rows=rows)


ATTENTION = [Standing.AT_LIMIT.value, Standing.IN_BREACH.value]


def men_needing_attention(groups: QuerySet[Group]) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE,
            assignments__group__in=groups,
            assignments__ends_on__isnull=True,
        )
        .filter(Q(standing__in=ATTENTION) | Q(standing=Standing.COMPLETED.value))
        .select_related("participant", "program")
        .distinct()
        .order_by("-standing", "participant__code")
    )


@dataclass
class FacilitatorHome:
    today: dt.date
    todays_sessions: list[Session]
    upcoming_sessions: list[Session]
    groups: Sequence[Group]
    attention: list[Enrollment]


def facilitator_home(membership: Membership, *, today: dt.date) -> FacilitatorHome:
    groups = visible_groups(membership).filter(is_active=True)
    sessions = Session.objects.filter(group__in=groups).select_related(
        "group", "curriculum_session"
    )
    group_list = list(
        groups.select_related("program").annotate(
            active_men=Count(
                "assignments",
                filter=Q(assignments__ends_on__isnull=True)
                & Q(assignments__enrollment__status=EnrollmentStatus.ACTIVE),
                distinct=True,
            )
        )
    )
    return FacilitatorHome(
        today=today,
        todays_sessions=list(
            sessions.filter(held_on=today).exclude(status=SessionStatus.CANCELLED)
        ),
        upcoming_sessions=list(
            sessions.filter(held_on__gt=today, held_on__lte=today + dt.timedelta(days=7)).order_by(
                "held_on"
            )
        ),
        groups=group_list,
        attention=list(men_needing_attention(groups)[:50]),
    )


def setup_progress(organization: Organization) -> dict[str, bool]:
    """Which program set-up steps an organization has done (read by the set-up checklist).

    ``programs``: at least one program. ``curriculum``: every program has at least one session
    in its current curriculum. ``groups``: at least one active group. ``sessions``: every
    active group has at least one session scheduled.
    """
    programs = Program.objects.filter(organization=organization)
    groups = Group.objects.filter(program__organization=organization, is_active=True)
    has_programs = programs.exists()
    has_groups = groups.exists()
    without_curriculum = programs.exclude(
        Exists(
            CurriculumSession.objects.filter(
                program=OuterRef("pk"), version=OuterRef("curriculum_version")
            )
        )
    )
    without_sessions = groups.exclude(Exists(Session.objects.filter(group=OuterRef("pk"))))
    return {
        "programs": has_programs,
        "curriculum": has_programs and not without_curriculum.exists(),
        "groups": has_groups,
        "sessions": has_groups and not without_sessions.exists(),
    }
