"""Facilitators' before/after state ratings for the demo's last eight weeks of sessions.

Written through :func:`alliance.practice.states.record_facilitator_state`; each facilitator has
his own usual calm and connection, a little better after group than before, so the
self-practice page shows the supervision table with something to talk about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from alliance.practice.models import FacilitatorState, StateMoment
from alliance.practice.states import record_facilitator_state
from alliance.programs.models import Session, SessionStatus


@dataclass(frozen=True)
class DemoFacilitatorStates:
    facilitator_states: int


def _rating(value: float) -> int:
    return int(np.clip(np.rint(value), 0, 10))


def add_facilitator_states(seed: int, today: dt.date) -> DemoFacilitatorStates:
    if FacilitatorState.objects.exists():
        raise RuntimeError("The demo already has facilitator state ratings.")
    rng = np.random.default_rng([seed, 19, 3])
    sessions = list(
        Session.objects.filter(
            status=SessionStatus.HELD,
            held_on__lte=today,
            held_on__gt=today - dt.timedelta(weeks=8),
        )
        .prefetch_related("group__facilitators")
        .order_by("held_on", "pk")
    )
    usual: dict[int, tuple[float, float, float]] = {}
    now = timezone.now()
    written = 0
    for session in sessions:
        for facilitator in session.group.facilitators.all():
            if facilitator.pk not in usual:
                usual[facilitator.pk] = (
                    rng.normal(6.5, 1.0),
                    rng.normal(3.0, 1.0),
                    rng.normal(6.5, 1.0),
                )
            calm, threat, connection = usual[facilitator.pk]
            for moment, lift in ((StateMoment.BEFORE, 0.0), (StateMoment.AFTER, 0.7)):
                record_facilitator_state(
                    facilitator=facilitator,
                    session=session,
                    moment=moment,
                    calm=_rating(calm + lift + rng.normal(0, 1.2)),
                    threat=_rating(threat - lift + rng.normal(0, 1.2)),
                    connection=_rating(connection + lift + rng.normal(0, 1.2)),
                    now=now,
                )
                written += 1
    return DemoFacilitatorStates(facilitator_states=written)
