"""Fixtures for the pillars tests: the web personas and helpers that record zone ratings."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.measures.administration.services import (
    new_key,
    start_administration,
    submit_administration,
)
from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Channel, Occasion, Respondent
from alliance.measures.registry import definition_for
from alliance.participants.models import Enrollment
from alliance.programs.models import Session
from tests.factories import World
from tests.web import conftest as web

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
world = web.world
as_user = web.as_user

NOW = dt.datetime(2025, 3, 10, 9, 45, tzinfo=dt.UTC)


def record_zone(
    world: World,
    enrollment: Enrollment,
    session: Session,
    *,
    safety: float | None,
    challenge: float | None,
) -> None:
    """His check-out (felt safety on the honesty item) and the facilitator's rating."""
    if safety is not None:
        form = start_administration(
            actor=None,
            enrollment=enrollment,
            definition=definition_for(CHECKOUT),
            respondent=Respondent.PARTICIPANT,
            channel=Channel.KIOSK,
            administered_on=session.held_on,
            idempotency_key=new_key(),
            session=session,
            occasion=Occasion.SESSION,
        )
        submit_administration(
            actor=None,
            administration=form,
            answers={
                "checkout_respected": 7,
                "checkout_matters": 7,
                "checkout_honest": safety,
                "checkout_challenged": 6,
            },
            submission_key=new_key(),
            now=NOW,
        )
    if challenge is not None:
        form = start_administration(
            actor=world.alice,
            enrollment=enrollment,
            definition=definition_for(FACILITATOR_RATING),
            respondent=Respondent.FACILITATOR,
            channel=Channel.STAFF,
            administered_on=session.held_on,
            idempotency_key=new_key(),
            session=session,
            occasion=Occasion.SESSION,
        )
        submit_administration(
            actor=world.alice,
            administration=form,
            answers={
                "rating_participation": 6,
                "rating_openness": 6,
                "rating_alliance": 6,
                "rating_accountability": challenge,
            },
            submission_key=new_key(),
            now=NOW,
        )


@pytest.fixture
def zoned(world: World) -> World:
    """Group A's past sessions rated: ``good`` sits in the threat zone at the last two,
    ``at_limit`` in comfort at four running, ``breach`` in growth throughout."""
    past = world.sessions_a[:-1]
    for session in past[-4:]:
        record_zone(world, world.at_limit, session, safety=9, challenge=2)
        record_zone(world, world.breach, session, safety=8, challenge=7)
    record_zone(world, world.good, past[-4], safety=8, challenge=6)
    record_zone(world, world.good, past[-3], safety=8, challenge=6)
    record_zone(world, world.good, past[-2], safety=3, challenge=7)
    record_zone(world, world.good, past[-1], safety=4, challenge=8)
    return world
