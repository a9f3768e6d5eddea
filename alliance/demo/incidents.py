"""Demo safety incidents (a demo step, ``alliance.demo.loader.DEMO_STEPS``).

The organization's duty-to-warn procedure, and five incidents about men in the facilitator
Alice's groups, one in each state a reviewer should see: a threat flagged an hour ago (open,
the clock running), a weapon disclosure with immediate risk and no response yet (overdue), a
disclosure of new violence with the partner warned (waiting for the supervisor to close), a
protective-order violation closed as reportable with the police report recorded as an outcome
event, and a suicide risk closed after a call to the crisis line. Every account is invented.
Written through the incidents services, as staff would; the handlers' e-mails go to the demo's
example.org addresses (printed by the console e-mail backend).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.incidents.models import Incident
from alliance.incidents.offences import record_new_offence
from alliance.incidents.services import (
    close_incident,
    flag_incident,
    record_action,
    save_procedure,
)
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment

PROCEDURE = """1. If anyone is in danger now, call the emergency number first.
2. Tell the partner-safety worker at once (the flag does this) and call her if it is urgent.
3. The partner-safety worker decides, with the supervisor, whether the partner is warned and
   how (her safe-contact rules apply).
4. Record every call and its outcome as an action on the incident.
5. The supervisor closes the incident and decides whether its kind and date are reported to
   the court."""

#: (kind, hours before now it was flagged, immediate risk, account, state)
INCIDENTS = [
    ("threat", 1, False, "Said in group that she 'will regret' going to court next week.", "open"),
    ("weapon", 30, True, "Mentioned that he keeps a hunting rifle at his brother's house.", "open"),
    (
        "new_violence",
        20,
        False,
        "Disclosed pushing his partner against a door on Saturday night.",
        "acted",
    ),
    (
        "order_violation",
        96,
        False,
        "Said he went to her workplace although the order forbids contact.",
        "reportable",
    ),
    (
        "suicide_risk",
        72,
        True,
        "Said he sees no point in going on since the separation.",
        "closed",
    ),
]


@dataclass(frozen=True)
class DemoIncidents:
    incidents_open: int
    incidents_closed: int


@transaction.atomic
def add_incidents(seed: int, today: dt.date) -> DemoIncidents:
    del seed  # the same five incidents every time
    if Incident.objects.exists():
        raise RuntimeError("The demo already has incidents.")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["facilitator", "safety", "supervisor", "admin"])
    }
    facilitator, worker, supervisor = users["facilitator"], users["safety"], users["supervisor"]
    organization = Organization.objects.get(memberships__user=facilitator)
    tz = zoneinfo.ZoneInfo(organization.time_zone)
    now = dt.datetime.combine(today, timezone.localtime(timezone.now(), tz).time(), tz)
    save_procedure(
        actor=users["admin"],
        organization=organization,
        program=None,
        text=PROCEDURE,
        respond_within_hours=24,
        immediate_within_hours=1,
        partner_notice_business_days=2,
    )
    men = list(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, group__facilitators=facilitator)
        .select_related("program")
        .order_by("pk")[: len(INCIDENTS)]
    )
    open_, closed = 0, 0
    for enrollment, (kind, hours, immediate, account, state) in zip(men, INCIDENTS, strict=False):
        flagged_at = now - dt.timedelta(hours=hours)
        incident = flag_incident(
            actor=facilitator,
            enrollment=enrollment,
            kind=kind,
            occurred_at=flagged_at - dt.timedelta(minutes=20),
            account=account,
            immediate_risk=immediate,
            now=flagged_at,
            link_base="http://127.0.0.1:8000/",
        )
        if state == "open":
            open_ += 1
            continue
        first = flagged_at + dt.timedelta(minutes=40)
        if state == "acted":
            record_action(
                actor=worker,
                incident=incident,
                kind="partner_contacted",
                taken_at=first,
                note="Reached her at work; safety plan reviewed, she is staying with her sister.",
                now=first,
            )
            open_ += 1
            continue
        if state == "reportable":
            record_action(
                actor=worker,
                incident=incident,
                kind="police_informed",
                taken_at=first,
                note="Reported to the local station; report number given by phone.",
                now=first,
            )
            record_new_offence(
                actor=worker,
                incident=incident,
                kind="ipv_police_report",
                occurred_on=timezone.localdate(first, timezone=tz),
                today=today,
            )
        else:
            record_action(
                actor=supervisor,
                incident=incident,
                kind="crisis_line",
                taken_at=first,
                note="Crisis team called him the same evening; follow-up with his doctor.",
                now=first,
            )
        close_incident(
            actor=supervisor,
            incident=incident,
            note="Procedure followed.",
            court_reportable=state == "reportable",
            now=first + dt.timedelta(hours=20),
        )
        closed += 1
    return DemoIncidents(incidents_open=open_, incidents_closed=closed)
