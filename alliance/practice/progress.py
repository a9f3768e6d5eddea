"""His own progress page, on his phone link or his practice session (``access_his_practice``).

Only what he gave or was told himself: his own check-out answers (the four 0–10 questions he
answered at the end of each session), the days he logged a practice this month, the
competencies his program approved, and his next session. Never partner data, risk or dropout
scores, facilitator ratings, staff notes or any score he has not seen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alliance.core.practice.progress import CalendarDay, Direction, checkout_direction, month_weeks
from alliance.measures.models import CHECKOUT, Administration, Status
from alliance.participants.models import CompetencySignOff, Enrollment, SignOffStatus
from alliance.participants.services import program_today
from alliance.practice.models import PracticeLog
from alliance.practice.phone import access_his_practice
from alliance.programs.models import Session, SessionStatus

#: His last check-outs shown, newest first.
SHOWN_CHECKOUTS = 8
#: The check-out's questions, in the order he answered them.
CHECKOUT_ITEMS = (
    "checkout_respected",
    "checkout_matters",
    "checkout_honest",
    "checkout_challenged",
)


@dataclass(frozen=True)
class CheckoutRow:
    day: dt.date
    answers: list[int | None]


@dataclass(frozen=True)
class Progress:
    checkouts: list[CheckoutRow]
    direction: Direction | None
    month: dt.date
    weeks: list[list[CalendarDay | None]]
    practice_days: int
    competencies: list[CompetencySignOff]
    next_session: dt.datetime | None


def _checkouts(enrollment: Enrollment) -> tuple[list[CheckoutRow], Direction | None]:
    administrations = list(
        Administration.objects.filter(
            enrollment=enrollment, instrument_id=CHECKOUT, status=Status.COMPLETE
        )
        .order_by("-administered_on", "-pk")
        .prefetch_related("responses")[:SHOWN_CHECKOUTS]
    )
    rows, totals = [], []
    for administration in administrations:
        values = {r.item_id: r.value for r in administration.responses.all()}
        answers = [None if values.get(i) is None else round(values[i] or 0) for i in CHECKOUT_ITEMS]
        rows.append(CheckoutRow(administration.administered_on, answers))
        answered = [a for a in answers if a is not None]
        if answered:
            totals.append(sum(answered) / len(answered))
    return rows, checkout_direction(list(reversed(totals)))


def _next_session(enrollment: Enrollment, now: dt.datetime) -> dt.datetime | None:
    if enrollment.group_id is None:
        return None
    starts_at = (
        Session.objects.filter(group_id=enrollment.group_id, starts_at__gte=now)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return None if starts_at is None else timezone.localtime(starts_at, enrollment.program.tzinfo)


def his_progress(enrollment: Enrollment, *, now: dt.datetime) -> Progress:
    today = program_today(enrollment)
    month = today.replace(day=1)
    practised = set(
        PracticeLog.objects.filter(
            enrollment=enrollment, done=True, logged_on__gte=month, logged_on__lte=today
        ).values_list("logged_on", flat=True)
    )
    checkouts, direction = _checkouts(enrollment)
    return Progress(
        checkouts=checkouts,
        direction=direction,
        month=month,
        weeks=month_weeks(month.year, month.month, practised, today=today),
        practice_days=len(practised),
        competencies=list(
            CompetencySignOff.objects.filter(enrollment=enrollment, status=SignOffStatus.APPROVED)
            .select_related("competency")
            .order_by("competency__order", "competency_id")
        ),
        next_session=_next_session(enrollment, now),
    )


@never_cache
@require_http_methods(["GET"])
def progress(request: HttpRequest, token: str | None = None) -> HttpResponse:
    enrollment = access_his_practice(request, token)
    if isinstance(enrollment, HttpResponse):
        return enrollment
    data = his_progress(enrollment, now=timezone.now())
    return render(request, "practice/phone_progress.html", {"token": token, "data": data})
