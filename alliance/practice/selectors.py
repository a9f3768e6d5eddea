"""Reads for practice and accountability: what a man has due, his logs, his tallies.

Nothing here is reportable. :func:`reportable_practice` is the one door any outside-facing
report (court, probation, funder) would use, and it is shut by design: practice and
accountability work are therapeutic, so no release opens it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from alliance.participants.models import Enrollment
from alliance.practice.models import AccountabilityLog, Assignment, PlanGoal, PracticeLog

#: Homework stays on his phone page this many days after it was due.
DUE_GRACE = dt.timedelta(days=7)


def assignments_for(enrollment: Enrollment) -> QuerySet[Assignment]:
    """Everything assigned to him: to him by name, or to his current group."""
    mine = Q(enrollment=enrollment)
    if enrollment.group_id is not None:
        mine |= Q(group_id=enrollment.group_id)
    return Assignment.objects.filter(mine).select_related("practice", "session")


@dataclass(frozen=True)
class DueItem:
    assignment: Assignment
    done_count: int


def due_homework(enrollment: Enrollment, *, today: dt.date) -> list[DueItem]:
    """Homework due from today back to :data:`DUE_GRACE` ago, or due later; two queries."""
    assignments = list(assignments_for(enrollment).filter(due_on__gte=today - DUE_GRACE))
    done: dict[int, int] = {}
    for assignment_id in PracticeLog.objects.filter(
        enrollment=enrollment, assignment__in=assignments, done=True
    ).values_list("assignment_id", flat=True):
        done[assignment_id] = done.get(assignment_id, 0) + 1
    return [DueItem(a, done.get(a.pk, 0)) for a in assignments]


def practice_logs(enrollment_ids: list[int]) -> QuerySet[PracticeLog]:
    return PracticeLog.objects.filter(enrollment_id__in=enrollment_ids).select_related("practice")


@dataclass(frozen=True)
class Tally:
    logs: int
    minimising: int
    denying: int
    blaming: int


@dataclass(frozen=True)
class TallyMonth:
    month: dt.date
    tally: Tally


def self_check_tallies(logs: list[AccountabilityLog]) -> tuple[Tally, list[TallyMonth]]:
    """Minimising / denying / blaming self-checks: overall and by calendar month."""
    by_month: dict[dt.date, list[AccountabilityLog]] = {}
    for log in logs:
        by_month.setdefault(log.written_on.replace(day=1), []).append(log)

    def tally(rows: list[AccountabilityLog]) -> Tally:
        return Tally(
            logs=len(rows),
            minimising=sum(r.minimising for r in rows),
            denying=sum(r.denying for r in rows),
            blaming=sum(r.blaming for r in rows),
        )

    months = [TallyMonth(m, tally(rows)) for m, rows in sorted(by_month.items())]
    return tally(logs), months


def accountability_logs(enrollment_ids: list[int]) -> QuerySet[AccountabilityLog]:
    return AccountabilityLog.objects.filter(enrollment_id__in=enrollment_ids).prefetch_related(
        "feedback__author"
    )


def plan_goals(enrollment_ids: list[int]) -> QuerySet[PlanGoal]:
    """His plan goals, each with its status history (``changes``, oldest first, with authors)."""
    return PlanGoal.objects.filter(enrollment_id__in=enrollment_ids).prefetch_related(
        "changes__changed_by"
    )


def reportable_practice(enrollment: Enrollment) -> dict[str, list[object]]:
    """What an outside-facing report may include from this app: nothing, whatever releases
    he has signed. Practice, homework and accountability work are therapeutic material; a man
    writes honestly only if it never reaches a court. Any report builder must call this."""
    return {"practice_logs": [], "accountability_logs": [], "plan_goals": []}


@dataclass(frozen=True)
class FacilitatorFigures:
    facilitator_id: int
    name: str
    sessions_practised: int
    minutes_practised: int
    men: int
    dropped_out: int

    @property
    def retention(self) -> float | None:
        return None if self.men == 0 else 1 - self.dropped_out / self.men


def facilitator_figures(ids: set[int], *, today: dt.date) -> list[FacilitatorFigures]:
    """Self-practice in the last 90 days next to the retention of the men in their groups.

    Three queries whatever the number of facilitators.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Sum

    from alliance.core.enrollment import EnrollmentStatus
    from alliance.practice.models import SelfPractice

    since = today - dt.timedelta(days=90)
    practice: dict[int, tuple[int, int]] = {
        row["facilitator_id"]: (row["n"], row["minutes"] or 0)
        for row in SelfPractice.objects.filter(facilitator_id__in=ids, practised_on__gte=since)
        .values("facilitator_id")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
    }
    men: dict[int, tuple[int, int]] = {}
    for row in (
        Enrollment.objects.filter(group__facilitators__in=ids)
        .values("group__facilitators")
        .annotate(
            n=Count("pk", distinct=True),
            dropped=Count("pk", filter=Q(status=EnrollmentStatus.DROPPED_OUT), distinct=True),
        )
    ):
        men[row["group__facilitators"]] = (row["n"], row["dropped"])
    users = get_user_model().objects.filter(pk__in=ids).order_by("username")
    return [
        FacilitatorFigures(
            facilitator_id=u.pk,
            name=u.get_full_name() or u.get_username(),
            sessions_practised=practice.get(u.pk, (0, 0))[0],
            minutes_practised=practice.get(u.pk, (0, 0))[1],
            men=men.get(u.pk, (0, 0))[0],
            dropped_out=men.get(u.pk, (0, 0))[1],
        )
        for u in users
    ]
