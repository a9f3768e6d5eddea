"""Writes: "due" and "missed scheduled measure" alerts, and the daily sweep that raises them.

``alliance.core.instruments.schedule`` decides from plain data; this module reads the data,
applies the decision and keeps one alert per man, kind and scheduled occasion, so running the
sweep twice raises nothing twice. An alert whose measure has since been done (or whose entry was
taken off the schedule) is resolved: acknowledged with no one named.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.core.enrollment import EnrollmentStatus
from alliance.core.instruments import schedule as plan
from alliance.measures.alerts.services import flag_missed_checkouts
from alliance.measures.configuration.selectors import schedule_for
from alliance.measures.models import CHECKOUT, Administration, Alert, AlertKind, Status, When
from alliance.measures.registry import definition_for
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, Program, Session, SessionStatus

#: A man who completed longer ago than this is no longer asked for anything.
COMPLETED_LOOKBACK = dt.timedelta(days=90)
#: How far back the sweep looks for held sessions without check-outs.
CHECKOUT_LOOKBACK = dt.timedelta(days=28)

SCHEDULED_KINDS = (AlertKind.MEASURE_DUE, AlertKind.MISSED_SCHEDULED)


def program_schedule(program: Program) -> list[plan.Entry]:
    """The program's schedule as plain entries, without the every-session check-out, which
    ``flag_missed_checkouts`` already watches session by session."""
    return [
        plan.Entry(e.instrument_id, plan.WhenKind(e.when), e.session_number)
        for e in schedule_for(program)
        if not (e.instrument_id == CHECKOUT and e.when == When.EVERY_SESSION)
    ]


def _title(instrument_id: str) -> str:
    try:
        return definition_for(instrument_id).title
    except LookupError:
        return instrument_id


@transaction.atomic
def flag_scheduled_measures(
    *, program: Program, today: dt.date, now: dt.datetime | None = None
) -> list[Alert]:
    """Raise (or keep) a due or missed alert for every scheduled measure a man has not done;
    resolve the open ones that no longer apply. Returns the alerts that apply today."""
    now = now or timezone.now()
    entries = program_schedule(program)
    men = Enrollment.objects.filter(
        program=program,
        started_on__isnull=False,
        status__in=[EnrollmentStatus.ACTIVE.value, EnrollmentStatus.COMPLETED.value],
    ).exclude(status=EnrollmentStatus.COMPLETED.value, ended_on__lt=today - COMPLETED_LOOKBACK)
    men_by_id = {e.pk: e for e in men}
    attended: dict[int, list[plan.AttendedSession]] = defaultdict(list)
    for enrollment_id, session_id, held_on in Attendance.objects.filter(
        enrollment_id__in=men_by_id,
        session__status=SessionStatus.HELD,
        mark__in=IN_THE_ROOM,
    ).values_list("enrollment_id", "session_id", "session__held_on"):
        attended[enrollment_id].append(plan.AttendedSession(session_id, held_on))
    done: dict[int, list[plan.Done]] = defaultdict(list)
    for enrollment_id, instrument_id, occasion, on, session_id in Administration.objects.filter(
        enrollment_id__in=men_by_id,
        status=Status.COMPLETE,
        instrument_id__in={e.instrument_id for e in entries},
    ).values_list("enrollment_id", "instrument_id", "occasion", "administered_on", "session_id"):
        done[enrollment_id].append(plan.Done(instrument_id, occasion, on, session_id))

    raised: list[Alert] = []
    applies: set[tuple[int, str, str]] = set()
    for enrollment in men_by_id.values():
        man = plan.Man(
            enrollment_id=enrollment.pk,
            status=enrollment.status,
            started_on=enrollment.started_on,
            ended_on=enrollment.ended_on,
            attended=attended[enrollment.pk],
            required_sessions=program.min_attended_sessions,
        )
        for finding in plan.scheduled_findings(man, entries, done[enrollment.pk], today=today):
            kind = (
                AlertKind.MISSED_SCHEDULED
                if finding.state is plan.State.MISSED
                else AlertKind.MEASURE_DUE
            )
            applies.add((enrollment.pk, kind.value, finding.key))
            alert, _ = Alert.objects.get_or_create(
                enrollment=enrollment,
                kind=kind,
                schedule_key=finding.key,
                defaults={
                    "detail": plan.describe(finding, _title(finding.instrument_id)),
                    "session_id": finding.session_id,
                    "created_at": now,
                },
            )
            raised.append(alert)
    stale = [
        a.pk
        for a in Alert.objects.filter(
            enrollment__program=program,
            kind__in=SCHEDULED_KINDS,
            acknowledged_at__isnull=True,
        ).exclude(schedule_key="")
        if (a.enrollment_id, a.kind, a.schedule_key) not in applies
    ]
    Alert.objects.filter(pk__in=stale).update(acknowledged_at=now)
    return raised


@dataclass
class SweepResult:
    programs: int = 0
    sessions: int = 0
    alerts_open: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def sweep_missed_measures(*, now: dt.datetime | None = None) -> SweepResult:
    """The daily job: scheduled measures of every program, and check-outs of the held sessions
    of the last four weeks (before today, in each program's time zone)."""
    now = now or timezone.now()
    result = SweepResult()
    counts: dict[str, int] = defaultdict(int)
    for program in Program.objects.all():
        today = timezone.localdate(now, timezone=program.tzinfo)
        for alert in flag_scheduled_measures(program=program, today=today, now=now):
            if alert.acknowledged_at is None:
                counts[alert.kind] += 1
        sessions = Session.objects.filter(
            group__program=program,
            status=SessionStatus.HELD,
            held_on__lt=today,
            held_on__gte=today - CHECKOUT_LOOKBACK,
        )
        for session in sessions:
            for alert in flag_missed_checkouts(session=session, now=now):
                if alert.acknowledged_at is None:
                    counts[alert.kind] += 1
            result.sessions += 1
        result.programs += 1
    result.by_kind = dict(counts)
    result.alerts_open = sum(counts.values())
    return result
