"""Signing in with a practice code and PIN: the way in for a man without his phone link.

A man who shares a phone, changed numbers or let his link expire types his practice code and
PIN at ``/practice/sign-in/`` and gets a short practice session (a cookie) that opens exactly
what his phone link opens. The facilitator sets the code and PIN where the phone link is made;
both are shown once. Built on the same parts as the phone links and the kiosk PINs:

* the code is random and stored as its SHA-256 (``participant_tokens.hash_token``), the PIN
  as a keyed HMAC (``alliance.pin_hash``: the key is not in the database), so a copy of the
  database opens nothing; the session key in the cookie is a 256-bit token stored as its SHA-256;
* wrong PINs are limited per man: past :data:`MAX_WRONG_PINS` in :data:`WRONG_PIN_WINDOW` his
  code stops signing in until the window has passed (his phone link keeps working). Counting,
  checking and recording one attempt is one step under a lock on his row, as for the kiosk,
  so parallel guesses cannot all slip under the limit;
* every failure (unknown code or wrong PIN) is also counted against the client's address by
  the shared token-guess limit (``participant_tokens``): past it, that address gets 429 for
  ten minutes whatever it types, which bounds trying one PIN across many codes;
* an unknown code, a wrong PIN, a code whose sign-in is off and a code paused by its limit all
  get the same answer (:data:`REFUSED`), so the page does not tell whether a code exists.

Nobody can lock every man out: the per-man limit pauses one code only, the per-address limit
one address only, and neither touches the phone links.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.debug import sensitive_variables

from alliance.organizations.participant_tokens import (
    hash_token,
    new_token,
    record_failed_lookup,
    refuse_if_guessing,
)
from alliance.participants.models import Enrollment
from alliance.pin_hash import check_pin, hash_pin
from alliance.practice.models import PinAttempt, PracticePin, PracticeSession

#: Wrong PINs for one man's code in the window before his code pauses.
MAX_WRONG_PINS = 5
WRONG_PIN_WINDOW = dt.timedelta(minutes=15)
#: A practice session ends after this long without a page, and at most this long after sign-in.
IDLE_LIFETIME = dt.timedelta(minutes=30)
MAX_LIFETIME = dt.timedelta(days=1)
PIN_DIGITS = 6
#: Practice codes: letters and digits that cannot be mistaken for one another when read aloud
#: or copied from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8

REFUSED = gettext_noop(
    "That code and PIN did not work. Check them and try again. After several wrong tries "
    "sign-in pauses for 15 minutes; your facilitator can give you a new PIN."
)


class SignInRefused(Exception):
    """Unknown code, wrong PIN, sign-in off or paused: one answer for all (:data:`REFUSED`)."""


def normalize_code(code: str) -> str:
    """What he typed, as stored: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@sensitive_variables("code", "pin")
@transaction.atomic
def set_practice_pin(
    *, actor: User, enrollment: Enrollment, now: dt.datetime
) -> tuple[PracticePin, str, str]:
    """A new code and PIN for him (replacing any earlier ones and ending his sessions).

    Returns the row, the code and the PIN; the code and PIN are never stored in clear and
    never logged: show them once, then they are gone.
    """
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    pin = "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))
    row, _ = PracticePin.objects.update_or_create(
        enrollment=enrollment,
        defaults={
            "code_hash": hash_token(code),
            "pin_hash": hash_pin(pin),
            "enabled": True,
            "issued_by": actor,
            "issued_at": now,
        },
    )
    _end_sessions(enrollment, now=now)
    return row, f"{code[:4]}-{code[4:]}", pin


@transaction.atomic
def disable_code_sign_in(*, enrollment: Enrollment, now: dt.datetime) -> None:
    """Turn his code sign-in off and end his practice sessions; his phone link still works."""
    PracticePin.objects.filter(enrollment=enrollment).update(enabled=False)
    _end_sessions(enrollment, now=now)


@sensitive_variables("code", "pin", "key")
def sign_in_with_code(
    *, code: str, pin: str, client: str, now: dt.datetime
) -> tuple[PracticeSession, str]:
    """A practice session for the man whose code and PIN these are, and its cookie key.

    Raises ``participant_tokens.TooManyGuesses`` when this address is over the guessing limit
    and :class:`SignInRefused` otherwise. Not one transaction: a failure must stay counted.
    """
    refuse_if_guessing(client=client, now=now)
    row = PracticePin.objects.filter(code_hash=hash_token(normalize_code(code))).first()
    if row is None or not row.enabled:
        hash_pin(pin)  # as long as checking a PIN, so the time taken tells nothing
        record_failed_lookup(client=client, now=now)
        raise SignInRefused(gettext(REFUSED))
    if not _pin_matches(row=row, pin=pin, now=now):
        record_failed_lookup(client=client, now=now)
        raise SignInRefused(gettext(REFUSED))
    key = new_token()
    session = PracticeSession.objects.create(
        enrollment_id=row.enrollment_id,
        key_hash=hash_token(key),
        started_at=now,
        last_seen_at=now,
    )
    return session, key


@sensitive_variables("pin")
@transaction.atomic
def _pin_matches(*, row: PracticePin, pin: str, now: dt.datetime) -> bool:
    """Count, check and record one attempt as one step (see the kiosk's ``_pin_matches``).

    His row is locked for the transaction (PostgreSQL; on SQLite the IMMEDIATE transaction
    holds the write lock), so N parallel wrong PINs are checked at most up to the limit. Past
    the limit nothing is checked or recorded, so the table stays bounded.
    """
    locked = PracticePin.objects.select_for_update().only("pk", "pin_hash").get(pk=row.pk)
    wrong = PinAttempt.objects.filter(
        practice_pin=locked, succeeded=False, at__gt=now - WRONG_PIN_WINDOW
    ).count()
    if wrong >= MAX_WRONG_PINS:
        return False
    ok = False
    if len(pin) == PIN_DIGITS and pin.isdigit():
        check = check_pin(pin, locked.pin_hash)
        ok = check.ok
        if check.rehashed is not None:  # an Argon2 hash from before, or an older key
            PracticePin.objects.filter(pk=locked.pk).update(pin_hash=check.rehashed)
    PinAttempt.objects.create(practice_pin=locked, at=now, succeeded=ok)
    return ok


def resolve_practice_session(key: str, *, now: dt.datetime) -> PracticeSession | None:
    """His open session for this cookie key, kept alive by this request; ``None`` if it ended.

    A session ends when he signs out, after :data:`IDLE_LIFETIME` without a page, at
    :data:`MAX_LIFETIME` after sign-in, and when his code is reset or turned off.
    """
    if not key:
        return None
    session = (
        PracticeSession.objects.select_related("enrollment__program", "enrollment__participant")
        .filter(key_hash=hash_token(key), ended_at__isnull=True)
        .first()
    )
    if session is None:
        return None
    if now - session.last_seen_at >= IDLE_LIFETIME or now - session.started_at >= MAX_LIFETIME:
        PracticeSession.objects.filter(pk=session.pk).update(ended_at=now)
        return None
    PracticeSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    return session


def end_practice_session(key: str, *, now: dt.datetime) -> None:
    """Sign out: the session for this key stops opening anything."""
    if key:
        PracticeSession.objects.filter(key_hash=hash_token(key), ended_at__isnull=True).update(
            ended_at=now
        )


def _end_sessions(enrollment: Enrollment, *, now: dt.datetime) -> None:
    PracticeSession.objects.filter(enrollment=enrollment, ended_at__isnull=True).update(
        ended_at=now
    )
