"""Texts to the group when a coming session is cancelled, back on, or moved."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from alliance.core.enrollment import EnrollmentStatus
from alliance.participants.models import Enrollment
from alliance.programs.models import Session
from alliance.programs.signals import session_changed
from alliance.sms import messages as texts
from alliance.sms.models import TextConsent, TextKind
from alliance.sms.services import TextRefused, send_text

log = logging.getLogger(__name__)

KINDS = {
    "cancelled": TextKind.SESSION_CANCELLED,
    "restored": TextKind.SESSION_RESTORED,
    "moved": TextKind.SESSION_MOVED,
}


@receiver(session_changed)
def text_the_group(
    sender: Any, *, session: Session, change: str, previous_start: dt.datetime | None, **_: Any
) -> None:
    """After the change is committed (a rolled-back change texts nobody)."""
    if change in KINDS:
        transaction.on_commit(lambda: send_session_texts(session.pk, change, previous_start))


def send_session_texts(session_id: int, change: str, previous_start: dt.datetime | None) -> int:
    """Text each active man of the group who agreed to texts; the number of texts sent."""
    session = Session.objects.select_related("group__program__site").get(pk=session_id)
    now = timezone.now()
    zone = session.group.program.tzinfo
    start = session.starts_at.astimezone(zone)
    if change == "moved" and previous_start is not None:
        if max(start, previous_start) < now:
            return 0
        before = previous_start.astimezone(zone)

        def body() -> str:
            return texts.session_moved(before, start)

    elif start < now:
        return 0
    elif change == "cancelled":

        def body() -> str:
            return texts.session_cancelled(start)

    else:

        def body() -> str:
            return texts.session_restored(start)

    men = Enrollment.objects.filter(
        group=session.group,
        status=EnrollmentStatus.ACTIVE,
        participant__text_consent__status=TextConsent.Status.AGREED,
    ).select_related("participant__organization")
    sent = 0
    for enrollment in men:
        try:
            send_text(participant=enrollment.participant, kind=KINDS[change], body=body, now=now)
        except TextRefused as exc:
            log.info("No session text to participant %s: %s", enrollment.participant_id, exc)
        else:
            sent += 1
    return sent
