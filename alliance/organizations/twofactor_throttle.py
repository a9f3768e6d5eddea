"""Throttling wrong two-factor codes without handing an attacker a lockout tool.

django-otp throttles per *device*: every wrong code doubles the wait for everybody, without a
bound. Someone with only the password could then keep the real user's correct code refused
for as long as he kept trying, and wrong recovery codes throttled the recovery device too
(finding L11). Here instead:

* failures are counted per **user, kind of code and client address** (hashed; behind a proxy
  the address from ``alliance.organizations.client_address``), so they slow down whoever makes
  them: the real user at his own address is not held back by an attacker's failures;
* authenticator-app codes and recovery codes are counted apart: wrong app codes never delay a
  recovery code, and the other way round;
* the wait after ``n`` failures is ``TWO_FACTOR_THROTTLE_SECONDS * 2**(n-1)``, capped at
  ``TWO_FACTOR_THROTTLE_MAX_SECONDS``; failures older than :data:`WINDOW` are forgotten, and a
  correct code forgets that address's failures for that kind.

The cap bounds guessing too: from one address at most one code per cap (by default one per
five minutes, 288 a day, against a million 6-digit codes of which three are valid at a time).
"""

from __future__ import annotations

import datetime as dt
import logging
import math

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from alliance.organizations.models import SecondFactorFailure
from alliance.organizations.participant_tokens import hash_token

Kind = SecondFactorFailure.Kind
WINDOW = dt.timedelta(hours=24)
ALERT_EVERY = 20

security_log = logging.getLogger("alliance.security")


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong codes in a row (0 for none)."""
    if failures <= 0:
        return 0.0
    factor = float(settings.TWO_FACTOR_THROTTLE_SECONDS)
    cap = float(settings.TWO_FACTOR_THROTTLE_MAX_SECONDS)
    return float(min(factor * 2 ** min(failures - 1, 40), cap))


def wait_seconds(*, user: AbstractBaseUser, kind: str, client: str, now: dt.datetime) -> int:
    """Whole seconds before this address may try a code of this kind for this user again."""
    recent = SecondFactorFailure.objects.filter(
        user_id=user.pk, kind=kind, client_hash=hash_token(client), at__gt=now - WINDOW
    )
    count = recent.count()
    if count == 0:
        return 0
    latest = recent.order_by("-at").values_list("at", flat=True)[0]
    remaining = (latest - now).total_seconds() + delay_after(count)
    return max(0, math.ceil(remaining))


def record_failure(*, user: AbstractBaseUser, kind: str, client: str, now: dt.datetime) -> None:
    """Count a wrong code; every :data:`ALERT_EVERY` th in an hour (all addresses) is logged.

    Nobody is locked out by the count over all addresses (that would be the lockout tool
    again); it is logged so that guessing from many addresses is seen.
    """
    SecondFactorFailure.objects.create(
        user_id=user.pk, kind=kind, client_hash=hash_token(client), at=now
    )
    in_the_hour = SecondFactorFailure.objects.filter(
        user_id=user.pk, at__gt=now - dt.timedelta(hours=1)
    ).count()
    if in_the_hour % ALERT_EVERY == 0:
        security_log.warning(
            "Two-factor: %s wrong codes in the last hour for user id=%s username=%s",
            in_the_hour,
            user.pk,
            user.get_username(),
        )


def forget_failures(*, user: AbstractBaseUser, kind: str, client: str) -> None:
    SecondFactorFailure.objects.filter(
        user_id=user.pk, kind=kind, client_hash=hash_token(client)
    ).delete()
