"""One-time links, group-room kiosks and kiosk PINs.

Tokens follow ``alliance.organizations.participant_tokens``: random, stored only as their
SHA-256 (a copy of the database opens nothing), and guessing is limited per address. A link
serves one administration and dies when that administration is complete or after
:data:`LINK_LIFETIME`; a kiosk serves one session and dies at the end of that day in the
program's time zone, or when the facilitator closes it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from alliance.core.instruments import InstrumentDefinition
from alliance.measures.administration.services import new_key, start_administration
from alliance.measures.alerts.services import flag_missed_checkouts
from alliance.measures.errors import MeasureError
from alliance.measures.models import (
    CHECKOUT,
    Administration,
    Channel,
    Kiosk,
    KioskAttempt,
    KioskPin,
    Occasion,
    ParticipantLink,
    Respondent,
)
from alliance.measures.registry import definition_for
from alliance.organizations.participant_tokens import (
    TooManyGuesses,
    client_of,
    hash_token,
    new_token,
    record_failed_lookup,
    refuse_if_guessing,
)
from alliance.participants.models import Enrollment
from alliance.pin_hash import check_pin, hash_pin
from alliance.programs.models import Session, SessionStatus

T = TypeVar("T")
__all__ = ["hash_token"]  # re-exported: tests and callers import it from here

LINK_LIFETIME = dt.timedelta(hours=72)
#: Wrong PINs for one man at one kiosk in the window.
KIOSK_MAX_FAILURES = 5
#: Wrong PINs for everyone together at one kiosk in the window: a cap on guessing, high enough
#: that one person's wrong PINs for a few men do not shut the tablet for the group.
KIOSK_MAX_FAILURES_PER_KIOSK = 25
KIOSK_FAILURE_WINDOW = dt.timedelta(minutes=10)


class TokenUnavailable(Exception):
    """A real token that can no longer be used; ``reason`` is shown to the man."""

    status = 410

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class GuessingRefused(TokenUnavailable):
    """Too many unknown tokens from this address (see ``participant_tokens``)."""

    status = 429


def guarded(request: HttpRequest, resolve: Callable[[], T]) -> T:
    """Run ``resolve`` (a look-up by token) under the shared limit on guessing.

    An unknown token (``Http404``) is counted against the client's address; past the limit
    unknown tokens from that address are refused with :class:`GuessingRefused`. A valid token
    always resolves, so guessing from a shared address cannot lock its holder out.
    """
    try:
        return resolve()
    except Http404:
        client, now = client_of(request), timezone.now()
        try:
            refuse_if_guessing(client=client, now=now)
        except TooManyGuesses as exc:
            raise GuessingRefused(exc.reason) from None
        record_failed_lookup(client=client, now=now)
        raise


class KioskLocked(Exception):
    """Too many wrong PINs at this kiosk in the window; wait or ask the facilitator."""


class WrongPin(Exception):
    pass


# --- one-time links ------------------------------------------------------------------------


@transaction.atomic
def create_participant_link(
    *,
    actor: User | None,
    enrollment: Enrollment,
    definition: InstrumentDefinition,
    administered_on: dt.date,
    occasion: Occasion = Occasion.OTHER,
    session: Session | None = None,
    now: dt.datetime | None = None,
) -> tuple[ParticipantLink, str]:
    """A link for the man to fill in ``definition`` on his phone; returns it and the token.

    The token is returned once and never stored: show it, then it is gone.
    """
    if definition.respondent.value != "participant":
        raise MeasureError(f"instrument: {definition.title} is not a self-report form.")
    now = now or timezone.now()
    administration = start_administration(
        actor=actor,
        enrollment=enrollment,
        definition=definition,
        respondent=Respondent.PARTICIPANT,
        channel=Channel.LINK,
        administered_on=administered_on,
        idempotency_key=new_key(),
        session=session,
        occasion=occasion,
    )
    if administration.is_complete:
        raise MeasureError("instrument: he has already completed this measure for this session.")
    token = new_token()
    ParticipantLink.objects.filter(administration=administration).delete()
    link = ParticipantLink.objects.create(
        administration=administration,
        token_hash=hash_token(token),
        expires_at=now + LINK_LIFETIME,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return link, token


def resolve_link(
    token: str, *, now: dt.datetime, submission_key: str | None = None
) -> ParticipantLink:
    """The link this token opens.

    Raises ``Http404`` for a token that never existed, :class:`TokenUnavailable` for a used or
    expired one. A retry of the submission that completed it (same ``submission_key``) still
    resolves, so a man whose connection dropped sees his thank-you page, not an error.
    """
    link = (
        ParticipantLink.objects.select_related("administration__enrollment__program")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise Http404("No such link.")
    administration = link.administration
    if administration.is_complete:
        if submission_key and administration.submission_key == submission_key:
            return link
        raise TokenUnavailable(
            gettext("This link has already been used. Thank you for your answers.")
        )
    if now >= link.expires_at:
        raise TokenUnavailable(
            gettext("This link has expired. Ask your facilitator for a new one; nothing was lost.")
        )
    return link


# --- kiosks --------------------------------------------------------------------------------


def end_of_session_day(session: Session) -> dt.datetime:
    tz = session.group.program.tzinfo
    return dt.datetime.combine(session.held_on + dt.timedelta(days=1), dt.time(0), tzinfo=tz)


@transaction.atomic
def open_kiosk(
    *, actor: User, session: Session, now: dt.datetime | None = None
) -> tuple[Kiosk, str]:
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise MeasureError("This session was cancelled; no kiosk can be opened for it.")
    expires = end_of_session_day(session)
    if now >= expires:
        raise MeasureError("This session's day is over; open a kiosk on the day of the session.")
    token = new_token()
    kiosk = Kiosk.objects.create(
        session=session,
        token_hash=hash_token(token),
        expires_at=expires,
        opened_by=actor,
        opened_at=now,
    )
    return kiosk, token


@transaction.atomic
def close_kiosk(*, actor: User, kiosk: Kiosk, now: dt.datetime | None = None) -> Kiosk:
    """Close the kiosk and flag every man who attended without a check-out."""
    now = now or timezone.now()
    if kiosk.closed_at is None:
        kiosk.closed_at = now
        kiosk.save(update_fields=["closed_at"])
    session = Session.objects.select_related("group__program").get(pk=kiosk.session_id)
    flag_missed_checkouts(session=session, now=now)
    return kiosk


def resolve_kiosk(token: str, *, now: dt.datetime) -> Kiosk:
    kiosk = (
        Kiosk.objects.select_related("session__group__program__site")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if kiosk is None:
        raise Http404("No such kiosk.")
    if kiosk.closed_at is not None:
        raise TokenUnavailable(gettext("The facilitator has closed this kiosk."))
    if now >= kiosk.expires_at:
        raise TokenUnavailable(gettext("This kiosk was for a session that is over."))
    return kiosk


def recent_failures(kiosk: Kiosk, *, now: dt.datetime, enrollment: Enrollment | None = None) -> int:
    """Wrong PINs at this kiosk in the window: his own, or everyone's without ``enrollment``."""
    failures = KioskAttempt.objects.filter(
        kiosk=kiosk, succeeded=False, at__gt=now - KIOSK_FAILURE_WINDOW
    )
    if enrollment is not None:
        failures = failures.filter(enrollment=enrollment)
    return failures.count()


@dataclass(frozen=True)
class SignIn:
    administration: Administration
    already_done: bool


def kiosk_sign_in(
    *, kiosk: Kiosk, enrollment: Enrollment, pin: str, now: dt.datetime | None = None
) -> SignIn:
    """Check his PIN and open (or find) his check-out for the kiosk's session.

    Wrong PINs are limited per man (:data:`KIOSK_MAX_FAILURES` per
    :data:`KIOSK_FAILURE_WINDOW`), so someone at the tablet cannot lock the whole group out,
    and per kiosk (:data:`KIOSK_MAX_FAILURES_PER_KIOSK`), which caps how many PINs can be tried
    on one tablet however many men are on its roster. Every attempt is written before the
    answer is given, so the limits hold across processes and restarts.
    """
    now = now or timezone.now()
    if not _pin_matches(kiosk=kiosk, enrollment=enrollment, pin=pin, now=now):
        # Raised after the attempt is committed: the failure must stay counted.
        raise WrongPin(gettext("That PIN does not match. Try again, or ask the facilitator."))
    session = kiosk.session
    administration = start_administration(
        actor=None,
        enrollment=enrollment,
        definition=definition_for(CHECKOUT),
        respondent=Respondent.PARTICIPANT,
        channel=Channel.KIOSK,
        administered_on=session.held_on,
        idempotency_key=new_key(),
        session=session,
        occasion=Occasion.SESSION,
    )
    return SignIn(administration, already_done=administration.is_complete)


@transaction.atomic
def _pin_matches(*, kiosk: Kiosk, enrollment: Enrollment, pin: str, now: dt.datetime) -> bool:
    """Count, check and record one attempt as one step (raises :class:`KioskLocked`).

    The count and the insert must not interleave with another request's, or N parallel wrong
    PINs would all see the count below the limit and all be checked. The kiosk's row is locked
    for the transaction (PostgreSQL); on SQLite the IMMEDIATE transaction already holds the
    database's write lock. Sign-ins at one tablet thus queue, which is a few at a time.
    """
    Kiosk.objects.select_for_update().only("pk").get(pk=kiosk.pk)
    if recent_failures(kiosk, now=now, enrollment=enrollment) >= KIOSK_MAX_FAILURES:
        # Only his sign-in waits: the rest of the group still signs in on this tablet.
        raise KioskLocked(
            gettext(
                "Too many wrong PINs for this name. Wait ten minutes or ask the facilitator "
                "for a new PIN."
            )
        )
    if recent_failures(kiosk, now=now) >= KIOSK_MAX_FAILURES_PER_KIOSK:
        # The cap against someone trying PINs for many men in turn.
        raise KioskLocked(
            gettext("Too many wrong PINs on this tablet. Wait ten minutes or ask the facilitator.")
        )
    stored = KioskPin.objects.filter(enrollment=enrollment).first()
    ok = False
    if stored is not None and len(pin) == 4 and pin.isdigit():
        check = check_pin(pin, stored.pin_hash)
        ok = check.ok
        if check.rehashed is not None:  # an Argon2 hash from before, or an older key
            KioskPin.objects.filter(pk=stored.pk).update(pin_hash=check.rehashed)
    KioskAttempt.objects.create(kiosk=kiosk, enrollment=enrollment, at=now, succeeded=ok)
    return ok


@transaction.atomic
def issue_kiosk_pin(*, actor: User, enrollment: Enrollment, now: dt.datetime | None = None) -> str:
    """A new 4-digit PIN for him (replacing any earlier one); returned once, stored hashed."""
    pin = f"{secrets.randbelow(10_000):04d}"
    KioskPin.objects.update_or_create(
        enrollment=enrollment,
        defaults={
            "pin_hash": hash_pin(pin),
            "issued_by": actor,
            "issued_at": now or timezone.now(),
        },
    )
    return pin
