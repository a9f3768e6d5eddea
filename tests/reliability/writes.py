"""What the group room writes while the tests back up or race: marks and check-outs.

Each write is one transaction, so between two writes the database is in a state a backup may
capture exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from django.db import transaction

from alliance.core.vocabulary import AttendanceMark
from alliance.measures.administration.services import (
    new_key,
    start_administration,
    submit_administration,
)
from alliance.measures.models import CHECKOUT, Channel, Occasion, Respondent
from alliance.measures.registry import definition_for
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, Session
from alliance.programs.services import record_attendance
from tests.factories import World

P, L = AttendanceMark.PRESENT, AttendanceMark.LATE


def submit_checkout(world: World, man: Enrollment, value: int = 7) -> None:
    """A man's whole kiosk check-out for today's session, as one transaction."""
    check_out(world.todays_session_a, man, value)


def check_out(session: Session, man: Enrollment, value: int) -> None:
    """A man's whole kiosk check-out for ``session``, as one transaction."""
    definition = definition_for(CHECKOUT)
    with transaction.atomic():
        administration = start_administration(
            actor=None,
            enrollment=man,
            definition=definition,
            respondent=Respondent.PARTICIPANT,
            channel=Channel.KIOSK,
            administered_on=session.held_on,
            idempotency_key=new_key(),
            session=session,
            occasion=Occasion.SESSION,
        )
        submit_administration(
            actor=None,
            administration=administration,
            answers={item.id: value for item in definition.items},
            submission_key=new_key(),
        )


def toggle_first_mark(world: World) -> None:
    """Alice corrects RIV-101's first mark (present ↔ late), based on the revision she saw."""
    session = world.sessions_a[0]
    seen = Attendance.objects.get(session=session, enrollment=world.good)
    new = L if seen.mark == P.value else P
    record_attendance(
        actor=world.alice,  # type: ignore[arg-type]
        session=session,
        enrollment=world.good,
        mark=new,
        minutes_late=5 if new is L else 0,
        expected_revision=seen.revision,
    )


def group_room(world: World, men: list[Enrollment]) -> Iterator[Callable[[], None]]:
    """Today's marks and check-outs for every man, then corrections without end."""
    session = world.todays_session_a
    for man in men:
        yield lambda man=man: record_attendance(  # type: ignore[misc]
            actor=world.alice,  # type: ignore[arg-type]
            session=session,
            enrollment=man,
            mark=P,
        )
        yield lambda man=man: submit_checkout(world, man)
    for _ in itertools.count():
        yield lambda: toggle_first_mark(world)


def mark_and_check_out(session_id: int, enrollment_ids: list[int], actor_id: int) -> None:
    """What one worker process does for its men: mark each present, then his check-out."""
    from django.contrib.auth import get_user_model

    session = Session.objects.select_related("group__program__site").get(pk=session_id)
    actor = get_user_model().objects.get(pk=actor_id)
    for enrollment in Enrollment.objects.filter(pk__in=enrollment_ids):
        record_attendance(actor=actor, session=session, enrollment=enrollment, mark=P)  # type: ignore[arg-type]
        check_out(session, enrollment, 6)
