"""Facilitators' own state before and after group: the writes and the supervision rows.

Each rating is 0-10 (calm, threat, connection), project-authored and not externally validated.
Only the facilitator himself and the supervisors who supervise him (``Supervision``) read them;
a program manager reads them only where he is that facilitator's supervisor. They are staff
records, not a man's: no research export, court document or dashboard carries them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Avg, Q

from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Score, Status
from alliance.practice.models import FacilitatorState, StateMoment
from alliance.practice.services import PracticeError
from alliance.programs.models import Session, SessionStatus

STATE_FIELDS = ("calm", "threat", "connection")


def sessions_he_runs(user: User, *, today: dt.date, days: int = 14) -> list[Session]:
    """His sessions of the last ``days`` days and today, newest first (the form's choices)."""
    return list(
        Session.objects.filter(
            Q(facilitators=user) | Q(group__facilitators=user),
            held_on__lte=today,
            held_on__gte=today - dt.timedelta(days=days),
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("group")
        .distinct()
        .order_by("-held_on", "-pk")
    )


@transaction.atomic
def record_facilitator_state(
    *,
    facilitator: User,
    session: Session,
    moment: StateMoment,
    calm: int,
    threat: int,
    connection: int,
    now: dt.datetime,
) -> FacilitatorState:
    """Keep his rating for this session and moment (a second entry corrects the first)."""
    runs = (
        Session.objects.filter(pk=session.pk)
        .filter(Q(facilitators=facilitator) | Q(group__facilitators=facilitator))
        .exists()
    )
    if not runs:
        raise PracticeError("session: you can rate only a session you facilitate.")
    problems = [
        f"{name}: give a whole number from 0 to 10 (got {value})"
        for name, value in (("calm", calm), ("threat", threat), ("connection", connection))
        if not 0 <= value <= 10
    ]
    if problems:
        raise PracticeError("; ".join(problems))
    state, _ = FacilitatorState.objects.update_or_create(
        facilitator=facilitator,
        session=session,
        moment=moment,
        defaults={"calm": calm, "threat": threat, "connection": connection, "recorded_at": now},
    )
    return state


@dataclass(frozen=True)
class StateRow:
    """One session of one facilitator: his before/after ratings beside his group's figures."""

    facilitator: str
    session: Session
    before: FacilitatorState | None
    after: FacilitatorState | None
    group_checkout: float | None  # the men's mean check-out at that session
    his_rating: float | None  # his mean rating of the men at that session


def state_rows(ids: set[int], *, limit: int = 60) -> list[StateRow]:
    """The facilitators' recent rated sessions, newest first (for reflective supervision)."""
    states = list(
        FacilitatorState.objects.filter(facilitator_id__in=ids)
        .select_related("facilitator", "session__group")
        .order_by("-session__held_on", "-session_id")[: limit * 2]
    )
    by_key: dict[tuple[int, int], dict[str, FacilitatorState]] = {}
    for state in states:
        by_key.setdefault((state.facilitator_id, state.session_id), {})[state.moment] = state
    session_ids = {s for _, s in by_key}
    checkout = _means(session_ids, CHECKOUT, None)
    rows = []
    for (facilitator_id, session_id), moments in by_key.items():
        one = next(iter(moments.values()))
        rating = _means({session_id}, FACILITATOR_RATING, facilitator_id)
        rows.append(
            StateRow(
                facilitator=one.facilitator.get_full_name() or one.facilitator.get_username(),
                session=one.session,
                before=moments.get(StateMoment.BEFORE),
                after=moments.get(StateMoment.AFTER),
                group_checkout=checkout.get(session_id),
                his_rating=rating.get(session_id),
            )
        )
    return rows[:limit]


def _means(session_ids: set[int], instrument_id: str, rater_id: int | None) -> dict[int, float]:
    scores = Score.objects.filter(
        instrument_id=instrument_id,
        scale_id="total",
        value__isnull=False,
        administration__session_id__in=session_ids,
        administration__status=Status.COMPLETE,
    )
    if rater_id is not None:
        scores = scores.filter(administration__created_by_id=rater_id)
    return {
        row["administration__session_id"]: float(row["mean"])
        for row in scores.values("administration__session_id").annotate(mean=Avg("value"))
    }
