"""Demo competencies, a leave of absence and a man sent home (a demo step,
``alliance.demo.loader.DEMO_STEPS``).

The first demo program lists the starting competencies and requires all of them for
completion (as Washington and Colorado programs do; ``bip_standards.md`` gap 7). Some of its
active men have competencies signed off by a facilitator: most approved by the supervisor,
one returned, some awaiting approval. One man has an approved leave of absence over his
recent sessions, and one man was sent home from his latest session. Everything goes through
the services, as staff would write it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.enrollment import EnrollmentStatus
from alliance.core.vocabulary import AttendanceMark, Departure
from alliance.participants.competencies import (
    approve_competency,
    record_leave,
    return_competency,
    sign_off_competency,
)
from alliance.participants.models import CompetencySignOff, Enrollment
from alliance.participants.services import refresh_standing
from alliance.programs.competencies import add_preset_competencies
from alliance.programs.models import Attendance, CompetencyRule, Program
from alliance.programs.session_facts import record_attendance_details

SEED_OFFSET = 23
EVIDENCE = [
    "Named three ways he checked up on her, in his own words, without excuses.",
    "Read out his written plan in group and said who he would call.",
    "Reported two time-outs this month and what he did during them.",
    "Kept every commitment in his plan since the last review.",
    "Said how shouting in front of the children frightened them.",
]


@dataclass(frozen=True)
class DemoCompetencies:
    competencies_defined: int
    competencies_approved: int
    competencies_awaiting_approval: int
    leaves_of_absence: int
    men_sent_home: int


@transaction.atomic
def add_competencies(*, seed: int, today: dt.date) -> DemoCompetencies:
    if CompetencySignOff.objects.exists():
        raise RuntimeError("The demo already has competency sign-offs.")
    rng = np.random.default_rng(seed + SEED_OFFSET)
    manager = User.objects.get(username="manager")
    supervisor = User.objects.get(username="supervisor")
    facilitator = User.objects.get(username="facilitator")
    program = Program.objects.order_by("pk").first()
    if program is None:
        return DemoCompetencies(0, 0, 0, 0, 0)
    defined = add_preset_competencies(actor=manager, program=program)
    Program.objects.filter(pk=program.pk).update(competencies_required=CompetencyRule.ALL)
    program.refresh_from_db()
    competencies = list(program.competencies.order_by("order"))
    active = list(
        Enrollment.objects.filter(program=program, status=EnrollmentStatus.ACTIVE)
        .select_related("program__site")
        .order_by("pk")
    )
    approved = awaiting = 0
    for index, enrollment in enumerate(active[:8]):
        shown = int(rng.integers(1, len(competencies) + 1))
        for position, competency in enumerate(competencies[:shown]):
            sign_off = sign_off_competency(
                actor=facilitator,
                enrollment=enrollment,
                competency=competency,
                evidence_note=EVIDENCE[position % len(EVIDENCE)],
                today=today,
            )
            if index == 1 and position == 0:
                return_competency(
                    actor=supervisor,
                    sign_off=sign_off,
                    reason="Ask him for a second example before signing off.",
                    today=today,
                )
            elif position < shown - 1 or index % 3 == 0:
                approve_competency(actor=supervisor, sign_off=sign_off, today=today)
                approved += 1
            else:
                awaiting += 1
    leaves = sent_home = 0
    on_leave = next((e for e in active[8:] if e.started_on and e.started_on < today), None)
    if on_leave is not None and on_leave.started_on is not None:
        starts = max(on_leave.started_on, today - dt.timedelta(days=20))
        record_leave(
            actor=supervisor,
            enrollment=on_leave,
            starts_on=starts,
            ends_on=today - dt.timedelta(days=6),
            reason="Surgery and recovery; doctor's note on file.",
        )
        leaves = 1
    attendance = (
        Attendance.objects.filter(
            enrollment__in=active[9:],
            mark=AttendanceMark.PRESENT,
            session__held_on__lte=today,
        )
        .order_by("-session__held_on", "pk")
        .first()
    )
    if attendance is not None:
        record_attendance_details(
            actor=facilitator,
            attendance=attendance,
            arrived_at=None,
            left_at=None,
            departure=Departure.SENT_HOME,
            departure_reason="Smelled of alcohol and was slurring; asked to leave and come back "
            "sober next week.",
            by_video=False,
            identity_confirmed=False,
            expected_revision=attendance.revision,
        )
        sent_home = 1
    # The program now requires competencies: every active man's stored standing follows.
    for enrollment in active:
        refresh_standing(enrollment, today=today)
    return DemoCompetencies(defined, approved, awaiting, leaves, sent_home)
