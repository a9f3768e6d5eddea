"""His agreement to texts, sending one within the day's limit, and what the provider reports.

A text goes only to a man who agreed to texts at the number now in his identity (a changed
number needs his agreement again), at most ``SMS_DAILY_LIMIT`` a day, with a body from
:mod:`alliance.sms.messages`. Each attempt leaves a :class:`TextMessage` row (kind, status,
the provider's id); the number and the body stay out of it and out of the logs.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.crypto import salted_hmac

from alliance.history import set_history_user
from alliance.identity.models import ParticipantIdentity
from alliance.identity.validation import can_receive_texts
from alliance.languages import ENGLISH, language_of
from alliance.participants.models import Enrollment, Participant
from alliance.sms import messages
from alliance.sms.backends import SmsSendError, Text, get_backend
from alliance.sms.models import TextConsent, TextKind, TextMessage

log = logging.getLogger(__name__)

#: Replies that stop texts (the carriers' standard words, and Spanish and French ones).
STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT", "ALTO", "PARAR"}
)
START_WORDS = frozenset({"START", "UNSTOP", "YES", "SI", "SÍ", "OUI"})
HELP_WORDS = frozenset({"HELP", "INFO", "AIDE", "AYUDA"})

#: Twilio's delivery states and ours.
PROVIDER_STATUS = {
    "delivered": TextMessage.Status.DELIVERED,
    "undelivered": TextMessage.Status.UNDELIVERED,
    "failed": TextMessage.Status.FAILED,
    "sent": TextMessage.Status.SENT,
}


class TextRefused(Exception):
    """Why no text was sent, in words for staff (never the number)."""


def phone_digest(number: str) -> str:
    return salted_hmac("alliance.sms.phone", number, algorithm="sha256").hexdigest()


def his_number(participant: Participant) -> str:
    identity = ParticipantIdentity.objects.filter(participant=participant).first()
    return identity.phone if identity is not None else ""


def consent_state(participant: Participant) -> tuple[TextConsent | None, str]:
    """His consent row and, when texts cannot go to him now, why (else "")."""
    consent = TextConsent.objects.filter(participant=participant).first()
    number = his_number(participant)
    if consent is None:
        return None, "He has not agreed to texts."
    if consent.status == TextConsent.Status.STOPPED:
        return consent, "He stopped texts."
    if not number:
        return consent, "His identity has no phone number."
    if consent.phone_digest != phone_digest(number):
        return consent, "His number changed since he agreed: ask him again."
    if not can_receive_texts(number):
        return consent, "His number on file cannot receive texts: check it."
    return consent, ""


@transaction.atomic
def record_agreement(
    *, actor: AbstractBaseUser | None, participant: Participant, now: dt.datetime
) -> TextConsent:
    """He agreed (in person, to staff) to texts at the number in his identity; a text confirms
    it and tells him how to stop."""
    number = his_number(participant)
    if not number:
        raise TextRefused("Add his phone number to his identity first.")
    if not can_receive_texts(number):
        raise TextRefused("His number on file cannot receive texts: check it in his identity.")
    consent = TextConsent.objects.select_for_update().filter(participant=participant).first()
    if consent is None:
        consent = TextConsent(participant=participant, organization_id=participant.organization_id)
    consent.status = TextConsent.Status.AGREED
    consent.phone_digest = phone_digest(number)
    consent.agreed_at = now
    consent.recorded_by_id = actor.pk if actor is not None else None
    consent.stopped_at = None
    consent.stopped_via = ""
    set_history_user(consent, actor)
    consent.save()
    send_text(
        participant=participant, kind=TextKind.CONFIRMATION, body=messages.confirmation, now=now
    )
    return consent


@transaction.atomic
def record_stop(
    *,
    actor: AbstractBaseUser | None,
    participant: Participant,
    now: dt.datetime,
    via: TextConsent.StoppedVia = TextConsent.StoppedVia.STAFF,
) -> TextConsent | None:
    consent = TextConsent.objects.select_for_update().filter(participant=participant).first()
    if consent is None or consent.status == TextConsent.Status.STOPPED:
        return consent
    consent.status = TextConsent.Status.STOPPED
    consent.stopped_at = now
    consent.stopped_via = via
    set_history_user(consent, actor)
    consent.save()
    return consent


def _day_start(participant: Participant, now: dt.datetime) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(participant.organization.time_zone)
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def his_language(participant: Participant) -> str:
    """The language his texts are written in (alliance.languages): his own, else the group's
    of his current enrollment, else English."""
    enrollment = (
        Enrollment.objects.filter(participant=participant, group__isnull=False)
        .select_related("group")
        .order_by("-referred_on", "-pk")
        .first()
    )
    return language_of(
        primary_language=participant.primary_language,
        group_language=enrollment.group.language if enrollment and enrollment.group else None,
    )


def send_text(
    *,
    participant: Participant,
    kind: TextKind,
    body: Callable[[], str],
    now: dt.datetime,
    status_callback: str = "",
) -> TextMessage:
    """Send one text to him, or raise :class:`TextRefused` saying why not. ``body`` words the
    text (a function of :mod:`alliance.sms.messages`); it runs in his language.

    A provider failure is not raised: it is stored as a failed text with its reason, so the
    page and the delivery log show it.
    """
    _, problem = consent_state(participant)
    if problem:
        raise TextRefused(problem)
    sent_today = TextMessage.objects.filter(
        participant=participant, sent_at__gte=_day_start(participant, now)
    ).count()
    if sent_today >= settings.SMS_DAILY_LIMIT:
        raise TextRefused(
            f"He has had {sent_today} texts today, the most a day "
            f"(SMS_DAILY_LIMIT = {settings.SMS_DAILY_LIMIT})."
        )
    with translation.override(his_language(participant)):
        words = body()
    if len(words) > 320:
        raise ValueError("A text is at most 320 characters (two segments).")
    row = TextMessage(
        organization_id=participant.organization_id,
        participant=participant,
        kind=kind,
        sent_at=now,
        status_at=now,
    )
    try:
        row.provider_id = get_backend().send(
            Text(to=his_number(participant), body=words, status_callback=status_callback)
        )
        row.status = TextMessage.Status.SENT
    except SmsSendError as exc:
        row.status = TextMessage.Status.FAILED
        row.error = str(exc)[:200]
        log.warning("A text (kind %s) to participant %s failed: %s", kind, participant.pk, exc)
    row.save()
    return row


def record_delivery(*, provider_id: str, status: str, error_code: str, now: dt.datetime) -> int:
    """Store what the provider reported for one text; the number of rows updated (0 or 1)."""
    ours = PROVIDER_STATUS.get(status)
    if ours is None or not provider_id:
        return 0
    error = f"provider error {error_code}" if error_code else ""
    return TextMessage.objects.filter(provider_id=provider_id).update(
        status=ours, status_at=now, error=error
    )


@transaction.atomic
def stop_by_reply(*, number: str, now: dt.datetime) -> int:
    """He replied STOP: every agreement at that number ends. The number of men stopped."""
    stopped = 0
    for consent in TextConsent.objects.select_for_update().filter(
        phone_digest=phone_digest(number), status=TextConsent.Status.AGREED
    ):
        consent.status = TextConsent.Status.STOPPED
        consent.stopped_at = now
        consent.stopped_via = TextConsent.StoppedVia.REPLY
        set_history_user(consent, None)
        consent.save()
        stopped += 1
    return stopped


@transaction.atomic
def start_by_reply(*, number: str, now: dt.datetime) -> int:
    """He replied START after a STOP of his own: texts resume. A stop he asked staff for, or a
    number that changed, needs his agreement again in person."""
    started = 0
    for consent in TextConsent.objects.select_for_update().filter(
        phone_digest=phone_digest(number),
        status=TextConsent.Status.STOPPED,
        stopped_via=TextConsent.StoppedVia.REPLY,
    ):
        consent.status = TextConsent.Status.AGREED
        consent.stopped_at = None
        consent.stopped_via = ""
        set_history_user(consent, None)
        consent.save()
        started += 1
    return started


def language_at(number: str) -> str:
    """The language of the man who agreed to texts at this number (English if none did)."""
    consent = (
        TextConsent.objects.filter(phone_digest=phone_digest(number))
        .select_related("participant")
        .order_by("-agreed_at")
        .first()
    )
    return his_language(consent.participant) if consent is not None else ENGLISH


def keyword(body: str) -> str:
    """STOP, START, HELP or "" for a reply's first word (case and punctuation ignored)."""
    words = body.strip().upper().split()
    first = words[0].strip(".!") if words else ""
    if first in STOP_WORDS:
        return "STOP"
    if first in START_WORDS:
        return "START"
    if first in HELP_WORDS:
        return "HELP"
    return ""
