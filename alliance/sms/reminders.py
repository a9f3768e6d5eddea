"""Reminders by text for men who agreed to texts; the rest by e-mail (practice.reminders).

A man who turned reminders off on his phone page gets none by either way; one reminder a day
at most, whichever way it goes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from alliance.participants.models import Participant
from alliance.practice.models import ReminderSettings
from alliance.practice.reminders import ReminderRun, due_enrollments, send_due_reminders
from alliance.sms import messages as texts
from alliance.sms.models import TextConsent, TextKind, TextMessage
from alliance.sms.services import TextRefused, send_text


@dataclass(frozen=True)
class RemindersRun:
    texted: int
    not_texted: int
    emailed: ReminderRun


def send_text_reminders(*, today: dt.date, now: dt.datetime) -> tuple[set[int], int]:
    """Text each man with something waiting who agreed to texts; (enrollment ids texted, number
    of men a text could not reach)."""
    waiting = due_enrollments(today=today, now=now)
    opted_out = set(
        ReminderSettings.objects.filter(
            enrollment__in=[e.pk for e in waiting], opted_out=True
        ).values_list("enrollment_id", flat=True)
    )
    agreed = set(
        TextConsent.objects.filter(
            participant__in=[e.participant_id for e in waiting],
            status=TextConsent.Status.AGREED,
        ).values_list("participant_id", flat=True)
    )
    texted: set[int] = set()
    reminded_today: set[int] = set()
    failed = 0
    for enrollment in waiting:
        participant = enrollment.participant
        if enrollment.pk in opted_out or participant.pk not in agreed:
            continue
        if participant.pk in reminded_today or _reminded_today(participant, now):
            texted.add(enrollment.pk)
            continue
        try:
            row = send_text(
                participant=participant, kind=TextKind.REMINDER, body=texts.reminder, now=now
            )
        except TextRefused:
            failed += 1
            continue
        if row.status == TextMessage.Status.FAILED:
            failed += 1
            continue
        texted.add(enrollment.pk)
        reminded_today.add(participant.pk)
    return texted, failed


def _reminded_today(participant: Participant, now: dt.datetime) -> bool:
    zone = zoneinfo.ZoneInfo(participant.organization.time_zone)
    start = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return TextMessage.objects.filter(
        participant=participant,
        kind=TextKind.REMINDER,
        sent_at__gte=start,
        status__in=[TextMessage.Status.SENT, TextMessage.Status.DELIVERED],
    ).exists()


def send_reminders(*, today: dt.date, sender: str, now: dt.datetime | None = None) -> RemindersRun:
    """Texts first, then e-mail to the men not reminded by text."""
    now = now or timezone.now()
    texted, failed = send_text_reminders(today=today, now=now)
    emailed = send_due_reminders(
        today=today, sender=sender, now=now, reminded_otherwise=frozenset(texted)
    )
    return RemindersRun(texted=len(texted), not_texted=failed, emailed=emailed)
