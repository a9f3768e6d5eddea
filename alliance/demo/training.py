"""The training register and fidelity observations in the demo, at every state.

Written through :mod:`alliance.training.services`. Program requirements: Harbour takes the
California preset, Foundations the Washington preset, Open Door custom figures. Then:

- Bob (supervisor) and Dana (Harbour) are **compliant**;
- Alice is **missing** core hours (a trainee part-way through) and her 6-monthly observation is
  **due soon**;
- Carlos is **overdue**: last year's continuing education fell short, his observation is past
  due and his CPR certificate **expired** ten days ago;
- Ines's first-aid certificate expires in 45 days (**due soon**, with its 60-day alert).

The daily credential job runs at the end, so the alerts are on the landing pages.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q

from alliance.core import fidelity
from alliance.core import training as rules
from alliance.organizations.models import Membership, Organization
from alliance.organizations.twofactor import DEMO_SLUG
from alliance.programs.models import Program, Session, SessionStatus
from alliance.training.models import Kind, Preset, TrainingEntry
from alliance.training.services import (
    acknowledge_observation,
    raise_credential_alerts,
    record_credential,
    record_observation,
    record_training_entry,
    set_training_requirement,
)


@dataclass(frozen=True)
class DemoTraining:
    training_entries: int
    observations: int
    credential_alerts: int


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def add_training(seed: int, today: dt.date) -> DemoTraining:
    del seed  # the states are fixed, not drawn
    if TrainingEntry.objects.exists():
        raise RuntimeError("The demo already has training records.")
    organization = Organization.objects.get(slug=DEMO_SLUG)
    tz = zoneinfo.ZoneInfo(organization.time_zone)
    # Noon of the demo's today: "not in the future" is judged against the demo's date.
    now = dt.datetime.combine(today, dt.time(12), tzinfo=tz)
    users = {u.username: u for u in get_user_model().objects.all()}
    programs = {p.name.split(" ")[0]: p for p in Program.objects.filter(organization=organization)}
    mona, bob = users["manager"], users["supervisor"]
    alice, carlos, dana = users["facilitator"], users["facilitator2"], users["facilitator3"]
    # When each joined (the register dates the first observation and continuing education
    # from it): Alice is a trainee of this year, the others have been here for years.
    joined = {alice: _days(today, 200), bob: _days(today, 1600), carlos: _days(today, 1600)}
    joined[dana] = _days(today, 1200)
    for user, day in joined.items():
        get_user_model().objects.filter(pk=user.pk).update(
            date_joined=dt.datetime.combine(day, dt.time(9), tzinfo=tz)
        )
        user.refresh_from_db()

    set_training_requirement(
        actor=mona, program=programs["Harbour"], preset=Preset.CALIFORNIA, now=now
    )
    set_training_requirement(
        actor=mona, program=programs["Foundations"], preset=Preset.WASHINGTON, now=now
    )
    set_training_requirement(
        actor=mona,
        program=programs["Open"],
        preset=Preset.CUSTOM,
        figures=rules.Requirement(
            core_hours=Decimal(24), ce_hours_per_year=Decimal(12), observation_every_months=12
        ),
        now=now,
    )

    entries = 0

    def hours(person: User, kind: str, topic: str, day: dt.date, n: float, by: User) -> None:
        nonlocal entries
        record_training_entry(
            actor=by,
            person=Membership.objects.get(user=person),
            kind=kind,
            topic=topic,
            provider="Riverbend training team",
            completed_on=day,
            hours=Decimal(str(n)),
            evidence_note="Attendance sheet in the staff file.",
            now=now,
        )
        entries += 1

    this_year = dt.date(today.year, 1, 2)
    last_year = dt.date(today.year - 1, 6, 15)
    core_topics = (
        "Domestic violence knowledge",
        "Diversity and cultural responsiveness",
        "Substance abuse",
        "Intake and assessment",
        "Group content and facilitation",
    )
    # Compliant with every program: Bob (supervisor at both sites) and Dana (Harbour).
    for person in (bob, dana):
        for i, topic in enumerate(core_topics):
            hours(person, Kind.CORE, topic, _days(today, 1100 + i), 8, mona)
        for i in range(14):
            hours(person, Kind.TRAINEE, "Co-facilitated group", _days(today, 1000 - 7 * i), 8, bob)
        for day in (last_year, last_year + dt.timedelta(days=30), last_year + dt.timedelta(60)):
            hours(person, Kind.CONTINUING, "Motivational interviewing refresher", day, 8, person)
        for i in range(3):
            hours(
                person,
                Kind.CONTINUING,
                "Compassion-focused practice",
                min(this_year + dt.timedelta(days=20 * i), today),
                8,
                person,
            )
    # Alice: part-way through core training (missing), co-facilitating as a trainee.
    for i, topic in enumerate(core_topics[:2]):
        hours(alice, Kind.CORE, topic, _days(today, 120 - 14 * i), 8, mona)
    for i in range(6):
        hours(alice, Kind.TRAINEE, "Co-facilitated Foundations", _days(today, 7 * (i + 1)), 2, bob)
    # Carlos: trained long ago, 10 of 20 continuing-education hours last year (overdue).
    for i, topic in enumerate(core_topics):
        hours(carlos, Kind.CORE, topic, _days(today, 1500 + i), 8, mona)
    hours(carlos, Kind.CONTINUING, "Risk assessment update", last_year, 6, carlos)
    hours(carlos, Kind.CONTINUING, "Trauma-informed groups", last_year + dt.timedelta(9), 4, carlos)
    hours(carlos, Kind.CONTINUING, "Law and ethics", min(this_year, today), 8, carlos)

    def credential(person: User, name: str, issued: dt.date, expires: dt.date | None) -> None:
        record_credential(
            actor=person,
            person=Membership.objects.get(user=person),
            name=name,
            issuer="State licensing board" if "licence" in name else "Red Cross",
            issued_on=issued,
            expires_on=expires,
            now=now,
        )

    credential(bob, "LCSW licence", _days(today, 400), today + dt.timedelta(days=330))
    credential(dana, "LMFT licence", _days(today, 200), today + dt.timedelta(days=530))
    credential(alice, "MSW degree", _days(today, 900), None)
    credential(carlos, "CPR certificate", _days(today, 740), _days(today, 10))
    credential(
        users["intake"], "First-aid certificate", _days(today, 685), today + dt.timedelta(45)
    )

    observations = 0

    def observe(person: User, by: User, days_ago: int, scores: dict[str, int], ack: bool) -> None:
        nonlocal observations
        session = (
            Session.objects.filter(
                Q(group__facilitators=person) | Q(facilitators=person),
                status=SessionStatus.HELD,
                held_on__lte=_days(today, days_ago),
            )
            .select_related("group__program")
            .order_by("-held_on")
            .first()
        )
        record = record_observation(
            actor=by,
            organization=organization,
            facilitator=person,
            session=session,
            observed_on=session.held_on if session else _days(today, days_ago),
            scores=scores,
            strengths="Opened with a warm check-in and invited each man to name his week.",
            feedback="When a man minimised, the challenge came quickly; try a reflection first.",
            follow_up="Practise a slower challenge in supervision; observe again in six months.",
            now=now,
        )
        if ack:
            acknowledge_observation(
                observation=record, comment="Thank you, this is useful.", now=now
            )
        observations += 1

    items = [item.id for item in fidelity.DEFAULT.items]
    observe(alice, bob, 165, {i: 1 + (n % 2) for n, i in enumerate(items)}, True)
    observe(carlos, bob, 240, {i: n % 3 for n, i in enumerate(items)}, False)
    observe(dana, bob, 90, dict.fromkeys(items, 2), True)
    observe(bob, mona, 60, {i: 2 - (n % 2) for n, i in enumerate(items)}, True)

    alerts = raise_credential_alerts(now=now)
    return DemoTraining(
        training_entries=entries,
        observations=observations,
        credential_alerts=len(alerts.raised),
    )
