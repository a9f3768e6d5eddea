"""Connection-map rows for the shared test worlds (every_table, the authorization matrix)."""

from __future__ import annotations

import datetime as dt

from alliance.connection import services
from alliance.connection.models import Mentor, Mentorship
from alliance.core.enrollment import EnrollmentStatus
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Program
from tests.factories import World, enroll, make_participant


def completed(participant: Participant, program: Program, *, today: dt.date) -> Enrollment:
    """An enrollment of ``participant`` that ended as completed four weeks ago."""
    enrollment = enroll(
        participant,
        program,
        referred_on=today - dt.timedelta(weeks=40),
        status=EnrollmentStatus.INTAKE,
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.COMPLETED,
        started_on=today - dt.timedelta(weeks=36),
        ended_on=today - dt.timedelta(weeks=4),
    )
    enrollment.refresh_from_db()
    return enrollment


def alumnus_mentor(
    world: World, code: str = "RIV-900", *, program: Program | None = None
) -> Mentor:
    """A man who completed the program at North, vetted by Bob."""
    man = make_participant(world.riverside, code, birth_year=1980, primary_language="en")
    enrollment = completed(man, program or world.program, today=world.today)
    return services.vet_mentor(
        actor=world.bob,
        enrollment=enrollment,
        vetted_on=world.today - dt.timedelta(days=20),
        consented_on=world.today - dt.timedelta(days=20),
        capacity=3,
        notes="Steady; two years since completion.",
        today=world.today,
        now=dt.datetime.now(dt.UTC),
    )


def matched(world: World, mentor: Mentor, mentee: Enrollment) -> Mentorship:
    return services.match_mentee(
        actor=world.bob,
        mentor=mentor,
        mentee=mentee,
        mentee_consented_on=world.today - dt.timedelta(days=10),
        mentor_consented_on=world.today - dt.timedelta(days=10),
        matched_on=world.today - dt.timedelta(days=10),
        today=world.today,
        now=dt.datetime.now(dt.UTC),
    )


def network_of(world: World, participant: Participant):  # type: ignore[no-untyped-def]
    """Two people in his network, one reviewed a second time."""
    now = dt.datetime.now(dt.UTC)
    brother = services.add_support_person(
        actor=world.alice,
        participant=participant,
        role="brother",
        role_detail="",
        frequency="weekly",
        supportive="yes",
        recorded_on=world.today - dt.timedelta(days=30),
        today=world.today,
        now=now,
    )
    services.add_support_person(
        actor=world.alice,
        participant=participant,
        role="other",
        role_detail="friend from the gym",
        frequency="monthly",
        supportive="mixed",
        recorded_on=world.today - dt.timedelta(days=30),
        today=world.today,
        now=now,
    )
    services.review_support_person(
        actor=world.alice,
        person=brother,
        frequency="daily",
        supportive="yes",
        in_network=True,
        recorded_on=world.today,
        today=world.today,
        now=now,
    )
    return brother
