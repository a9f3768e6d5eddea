"""The monthly report by referral source: counts only, no man is named or coded.

State standards (Texas's Monthly Activity Report, for one) ask programs for monthly counts
broken down by referral source. Every figure here is a count or a rate over a program's
enrollments; nothing identifies a man and nothing therapeutic is read.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from alliance.core.compliance import ATTENDED_OUTCOMES, Counted, counted_at_session
from alliance.core.enrollment import EnrollmentStatus
from alliance.core.vocabulary import AttendanceMark, ReferralSource
from alliance.organizations.letterhead import Letterhead, letterhead
from alliance.participants.models import Enrollment, EnrollmentEvent
from alliance.programs.models import Attendance, Program, SessionStatus

S = EnrollmentStatus
OPEN = (S.REFERRED, S.INTAKE, S.ACTIVE)
ENDED = (S.COMPLETED, S.DISCHARGED, S.DROPPED_OUT, S.TRANSFERRED)


@dataclass(frozen=True)
class SourceRow:
    source: str
    label: str
    referred_in_month: int
    at_month_end: dict[str, int]
    ended_in_month: dict[str, int]
    marks: int
    attended: int

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.marks if self.marks else None

    @property
    def completions(self) -> int:
        return self.ended_in_month[S.COMPLETED]

    @property
    def terminations(self) -> int:
        return self.ended_in_month[S.DISCHARGED] + self.ended_in_month[S.DROPPED_OUT]


@dataclass(frozen=True)
class MonthlyAggregate:
    program: Program
    month_start: dt.date
    month_end: dt.date
    rows: list[SourceRow]
    total: SourceRow
    #: The sending organization's name, address, phone, logo and signature block.
    letterhead: Letterhead


class MonthError(ValueError):
    pass


def parse_month(raw: str, *, today: dt.date) -> dt.date:
    """``YYYY-MM`` → the first day of that month; a month not yet ended is refused."""
    try:
        first = dt.datetime.strptime(raw.strip(), "%Y-%m").date()
    except ValueError:
        raise MonthError(f"month: write the month as YYYY-MM, got {raw!r}.") from None
    if first > today:
        raise MonthError("month: that month has not started yet.")
    return first


def monthly_aggregate(program: Program, month_start: dt.date) -> MonthlyAggregate:
    last_day = calendar.monthrange(month_start.year, month_start.month)[1]
    month_end = month_start.replace(day=last_day)
    source_of = dict(
        Enrollment.objects.filter(program=program).values_list("pk", "referral_source")
    )
    # Status at the month's end is the last status change on or before it.
    status_at_end: dict[int, str] = {}
    ended: dict[str, Counter[str]] = defaultdict(Counter)
    referred: Counter[str] = Counter()
    events = (
        EnrollmentEvent.objects.filter(enrollment__program=program, effective_on__lte=month_end)
        .order_by("effective_on", "created_at", "pk")
        .values_list("enrollment_id", "from_status", "to_status", "effective_on")
    )
    for enrollment_id, from_status, to_status, effective_on in events:
        status_at_end[enrollment_id] = to_status
        if effective_on < month_start:
            continue
        source = source_of[enrollment_id]
        if not from_status:
            referred[source] += 1
        if to_status in ENDED:
            ended[source][to_status] += 1
    at_end: dict[str, Counter[str]] = defaultdict(Counter)
    for enrollment_id, status in status_at_end.items():
        if status in OPEN:
            at_end[source_of[enrollment_id]][status] += 1
    marks: Counter[str] = Counter()
    attended: Counter[str] = Counter()
    # Each mark counts as the compliance engine counts it at its session: late by the
    # program's late-as-absence minutes or more is not attended; cancelled sessions count
    # for nothing.
    policy = program.attendance_policy(frozenset())
    tallies = (
        Attendance.objects.filter(
            session__group__program=program,
            session__held_on__range=(month_start, month_end),
        )
        .values_list("enrollment__referral_source", "mark", "minutes_late", "session__status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for source, mark, minutes_late, status, n in tallies:
        outcome = counted_at_session(
            AttendanceMark(mark),
            minutes_late,
            policy,
            cancelled=status == SessionStatus.CANCELLED,
        )
        if outcome is Counted.CANCELLED:
            continue
        marks[source] += n
        if outcome in ATTENDED_OUTCOMES:
            attended[source] += n

    def row(source: str, label: str, sources: list[str]) -> SourceRow:
        return SourceRow(
            source=source,
            label=label,
            referred_in_month=sum(referred[s] for s in sources),
            at_month_end={st: sum(at_end[s][st] for s in sources) for st in OPEN},
            ended_in_month={st: sum(ended[s][st] for s in sources) for st in ENDED},
            marks=sum(marks[s] for s in sources),
            attended=sum(attended[s] for s in sources),
        )

    present = set(source_of.values())
    rows = [
        row(s.value, s.value.replace("_", " ").capitalize(), [s.value])
        for s in ReferralSource
        if s.value in present
    ]
    total = row("all", "All referral sources", [s.value for s in ReferralSource])
    return MonthlyAggregate(
        program=program,
        month_start=month_start,
        month_end=month_end,
        rows=rows,
        total=total,
        letterhead=letterhead(program.organization),
    )
