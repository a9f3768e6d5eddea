"""The demo's connection map: UCLA-3 answered at intake and exit, men's networks by role
reviewed over time, alumni mentors with matches and contacts, and a mentoring hold.

Written through the product's services (``alliance.connection.services``, the measures' bulk
path), so demo rows pass the same checks as rows a user enters. It runs
after the dropout model's demo step, so the demo's stored outlooks stay as they were; the next
refit learns from the isolation it adds (docs/connection.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils import timezone

from alliance.connection import services
from alliance.connection.models import Mentor, NetworkRole
from alliance.core.enrollment import EnrollmentStatus
from alliance.measures.administration.bulk import Form, record_administrations_bulk
from alliance.measures.models import Channel, Occasion, Respondent
from alliance.measures.registry import definition_for
from alliance.organizations.models import Membership, Role
from alliance.participants.models import Enrollment

UCLA3 = "ucla3"
ROLES = [r.value for r in NetworkRole if r != NetworkRole.OTHER]
OTHER_ROLES = ("cousin", "friend from the gym", "coach", "neighbour upstairs", "old school friend")


@dataclass(frozen=True)
class DemoConnection:
    loneliness_forms: int
    support_people: int
    support_reviews: int
    mentors: int
    mentorships: int
    mentor_contacts: int


def add_connection(seed: int, today: dt.date) -> DemoConnection:
    if Mentor.objects.exists():
        raise RuntimeError("The demo already has a connection map.")
    rng = np.random.default_rng([seed, 19, 2])
    now = timezone.now()
    # The UCLA-3 is answered at intake and exit but not added to the demo programs' schedules:
    # the demo keeps its own schedule, so the missed-measure sweep finds nothing due
    # (tests/demo/test_measures.py). A program schedules it on its measures page.
    started = list(
        Enrollment.objects.filter(started_on__isnull=False, started_on__lte=today)
        .select_related("participant")
        .order_by("pk")
    )
    lonely = {e.pk: float(rng.normal(0.0, 1.0)) for e in started}
    forms = _loneliness(rng, started, lonely, today=today, now=now)
    staff = {
        m.role: m.user
        for m in Membership.objects.filter(
            role__in=[Role.FACILITATOR, Role.SUPERVISOR, Role.PARTNER_SAFETY]
        ).select_related("user")
    }
    people, reviews = _networks(rng, started, lonely, staff.get(Role.FACILITATOR), today, now)
    mentors, matches, contacts = _mentoring(rng, started, staff.get(Role.SUPERVISOR), today, now)
    active = [e for e in started if e.status == EnrollmentStatus.ACTIVE]
    held = [e for e in active if not e.mentorships.exists()]
    if held and staff.get(Role.PARTNER_SAFETY) is not None:
        services.place_mentoring_hold(
            actor=staff[Role.PARTNER_SAFETY],
            participant=held[-1].participant,
            placed_on=today,
            today=today,
        )
    return DemoConnection(
        loneliness_forms=forms,
        support_people=people,
        support_reviews=reviews,
        mentors=mentors,
        mentorships=matches,
        mentor_contacts=contacts,
    )


def _loneliness(
    rng: np.random.Generator,
    started: list[Enrollment],
    lonely: dict[int, float],
    *,
    today: dt.date,
    now: dt.datetime,
) -> int:
    """UCLA-3 at intake for every man who started; at exit, a little less lonely, for completers."""
    definition = definition_for(UCLA3)
    written = 0
    for occasion, rows in (
        (Occasion.INTAKE, [(e, e.started_on, 0.0) for e in started]),
        (
            Occasion.EXIT,
            [(e, e.ended_on, -0.6) for e in started if e.status == "completed" and e.ended_on],
        ),
    ):
        if not rows:
            continue
        level = np.array([5.2 + 1.6 * (lonely[e.pk] + shift) for e, _, shift in rows]) / 3.0
        answers = np.clip(np.rint(level[:, None] + rng.normal(0, 0.5, (len(rows), 3))), 1, 3)
        record_administrations_bulk(
            actor=None,
            definition=definition,
            forms=[
                Form(
                    enrollment_id=e.pk,
                    administered_on=min(day or today, today),
                    key=f"demo-{UCLA3}-{occasion}-{e.pk}",
                )
                for e, day, _ in rows
            ],
            answers=pd.DataFrame(answers, columns=[i.id for i in definition.items]),
            respondent=Respondent.PAPER,
            channel=Channel.STAFF,
            occasion=occasion,
            now=now,
        )
        written += len(rows)
    return written


def _networks(
    rng: np.random.Generator,
    started: list[Enrollment],
    lonely: dict[int, float],
    facilitator: object,
    today: dt.date,
    now: dt.datetime,
) -> tuple[int, int]:
    """Two thirds of the men: 1-4 people by role at intake, reviewed eight weeks later."""
    people = reviews = 0
    seen: set[int] = set()
    for enrollment in started:
        if enrollment.participant_id in seen or rng.random() > 0.67:
            continue
        seen.add(enrollment.participant_id)
        start = enrollment.started_on or today
        count = int(np.clip(np.rint(2.5 - lonely[enrollment.pk]), 1, 4))
        for _ in range(count):
            other = rng.random() < 0.2
            role = NetworkRole.OTHER.value if other else str(rng.choice(ROLES))
            supportive = str(rng.choice(["yes", "mixed", "no", "unsure"], p=[0.55, 0.2, 0.1, 0.15]))
            person = services.add_support_person(
                actor=facilitator,  # type: ignore[arg-type]
                participant=enrollment.participant,
                role=role,
                role_detail=str(rng.choice(OTHER_ROLES)) if other else "",
                frequency=str(rng.choice(["daily", "weekly", "monthly", "rarely"])),
                supportive=supportive,
                recorded_on=start,
                today=today,
                now=now,
            )
            people += 1
            reviews += 1
            later = start + dt.timedelta(weeks=8)
            if later <= today and (enrollment.ended_on is None or later <= enrollment.ended_on):
                services.review_support_person(
                    actor=facilitator,  # type: ignore[arg-type]
                    person=person,
                    frequency=str(rng.choice(["daily", "weekly", "monthly"])),
                    supportive="yes" if rng.random() < 0.7 else supportive,
                    in_network=bool(rng.random() < 0.9),
                    recorded_on=later,
                    today=today,
                    now=now,
                )
                reviews += 1
    return people, reviews


def _mentoring(
    rng: np.random.Generator,
    started: list[Enrollment],
    supervisor: object,
    today: dt.date,
    now: dt.datetime,
) -> tuple[int, int, int]:
    """Three completers vetted; four active men matched; contacts logged; one match ended."""
    completers = [e for e in started if e.status == EnrollmentStatus.COMPLETED][:3]
    active = [e for e in started if e.status == EnrollmentStatus.ACTIVE]
    mentors = []
    for enrollment in completers:
        if Mentor.objects.filter(participant_id=enrollment.participant_id).exists():
            continue
        mentors.append(
            services.vet_mentor(
                actor=supervisor,  # type: ignore[arg-type]
                enrollment=enrollment,
                vetted_on=today - dt.timedelta(weeks=10),
                consented_on=today - dt.timedelta(weeks=10),
                capacity=2,
                notes="Completed the program; references checked; agreed the mentor guidelines.",
                today=today,
                now=now,
            )
        )
    matches = contacts = 0
    taken = {m.participant_id for m in mentors}
    mentees = [e for e in active if e.participant_id not in taken][:4]
    for k, mentee in enumerate(mentees):
        if not mentors:
            break
        matched_on = today - dt.timedelta(weeks=8 - k)
        match = services.match_mentee(
            actor=supervisor,  # type: ignore[arg-type]
            mentor=mentors[k % len(mentors)],
            mentee=mentee,
            mentee_consented_on=matched_on,
            mentor_consented_on=matched_on,
            matched_on=matched_on,
            today=today,
            now=now,
        )
        matches += 1
        day = matched_on
        while day <= today:
            services.log_mentor_contact(
                actor=supervisor,  # type: ignore[arg-type]
                mentorship=match,
                contact_on=day,
                mode=str(rng.choice(["in_person", "phone", "text"])),
                minutes=int(rng.integers(10, 60)),
                note="Coffee after group." if rng.random() < 0.3 else "",
                today=today,
                now=now,
            )
            contacts += 1
            day += dt.timedelta(days=int(rng.integers(7, 15)))
        if k == 0:
            services.end_mentorship(
                actor=supervisor,  # type: ignore[arg-type]
                mentorship=match,
                ended_on=today,
                reason="not_working",
                note="Work shifts clashed; both agreed to stop.",
                mentor_told_on=today,
                mentee_told_on=today,
                today=today,
            )
    return len(mentors), matches, contacts
