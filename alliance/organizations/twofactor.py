"""Two-factor authentication for staff: an authenticator app (TOTP) plus recovery codes.

Every staff login needs a second factor (see ``TwoFactorRequiredMiddleware``). A user without
a confirmed authenticator is sent to set one up; confirming it with a code gives him
:data:`RECOVERY_CODES` single-use recovery codes, shown once.

The authenticator is :class:`~alliance.organizations.models.Authenticator`, django-otp's TOTP
device with its seed encrypted at rest under ``ALLIANCE_PARTNER_KEY``. Recovery codes live in
django-otp's static device, but only an HMAC of each (keyed with ``SECRET_KEY``) is stored, so a
copy of the database alone opens no account. Wrong codes are throttled per user, kind of code
and address, with a capped wait (``alliance.organizations.twofactor_throttle``; django-otp's
per-device throttle is off).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import cast

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from alliance.organizations import twofactor_throttle as throttle
from alliance.organizations.client_address import client_address, limit_key
from alliance.organizations.models import Authenticator

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
#: Slug of the demo organization. ``alliance demo`` builds it and ``totp-code`` refuses any
#: database holding another organization; defined here so the product never imports the demo.
DEMO_SLUG = "demo"

AnyUser = AbstractBaseUser | AnonymousUser

#: Security events (new recovery codes): who and when, never a code. Logged at WARNING so the
#: default ``LOG_LEVEL`` keeps them.
security_log = logging.getLogger("alliance.security")


class CodeRefused(Exception):
    """The code did not verify; ``message`` is shown on the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the secret three ways (URI, QR code, typed)."""

    device: Authenticator
    secret: str
    uri: str
    qr_svg: str


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _stored_form(code: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"), _normalise(code).encode("utf-8"), hashlib.sha256
    )
    # StaticToken.token holds 16 characters: 64 bits of the HMAC.
    return digest.hexdigest()[:16]


def confirmed_authenticator(user: AnyUser) -> Authenticator | None:
    if not user.is_authenticated:
        return None
    # django-otp's manager is untyped; the query is over Authenticator all the same.
    return cast(
        "Authenticator | None", Authenticator.objects.filter(user=user, confirmed=True).first()
    )


def base32_secret(device: Authenticator) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def start_enrolment(user: AbstractBaseUser) -> Enrolment:
    """The pending (unconfirmed) authenticator for ``user``, created on first visit."""
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    uri = device.config_url
    qr = segno.make(uri, error="m")
    return Enrolment(
        device=device,
        secret=base32_secret(device),
        uri=uri,
        qr_svg=qr.svg_inline(scale=4, title="QR code for your authenticator app"),
    )


def _client(request: HttpRequest) -> str:
    return limit_key(client_address(request))


def _checked(
    request: HttpRequest, device: Authenticator | StaticDevice, candidate: str, kind: str
) -> tuple[bool, Authenticator | StaticDevice]:
    """Verify ``candidate`` on ``device`` under the throttle; returns (verified, the device).

    Raises :class:`CodeRefused` while this address must wait. The device row is locked so
    that two requests cannot both spend the same code, and so that parallel wrong codes from
    one address are counted one after the other (each sees the previous one's failure).
    The failure is committed before the caller raises its refusal.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    client, now = _client(request), timezone.now()
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        wait = throttle.wait_seconds(user=user, kind=kind, client=client, now=now)
        if wait:
            raise CodeRefused(
                f"Too many wrong codes. Wait {wait} second{'s' if wait != 1 else ''} and try "
                "again with a new code."
            )
        verified = bool(locked.verify_token(candidate))
        if verified:
            throttle.forget_failures(user=user, kind=kind, client=client)
        else:
            throttle.record_failure(user=user, kind=kind, client=client, now=now)
    return verified, locked


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    raw = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    codes = [f"{c[:5]}-{c[5:]}" for c in raw]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=_stored_form(code)) for code in codes]
    )
    return codes


def confirm_enrolment(request: HttpRequest, *, device: Authenticator, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns new recovery codes.

    The session is verified from here on. Raises :class:`CodeRefused` for a wrong code.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    if device.user_id != user.pk or device.confirmed:
        raise CodeRefused("This set-up has expired. Reload the page and start again.")
    verified, _ = _checked(request, device, _normalise(code), throttle.Kind.APP)
    if not verified:
        raise CodeRefused("That code did not match. Type the 6 digits the app shows now.")
    device.refresh_from_db()
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        Authenticator.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
    request.session.cycle_key()
    otp_login(request, device)
    return codes


def verify_second_factor(request: HttpRequest, *, code: str) -> None:
    """Mark the session verified with a code from the app or an unused recovery code.

    Raises :class:`CodeRefused` for a wrong code, or while the device is throttled.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    code = _normalise(code)
    if code.isdigit() and len(code) == 6:
        device: Authenticator | StaticDevice | None = confirmed_authenticator(user)
        candidate, kind = code, throttle.Kind.APP
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        candidate, kind = _stored_form(code), throttle.Kind.RECOVERY
    if device is None:
        raise CodeRefused("That code did not match.")
    verified, locked = _checked(request, device, candidate, kind)
    if not verified:
        raise CodeRefused("That code did not match. Type the code the app shows now.")
    request.session.cycle_key()
    otp_login(request, locked)


def replace_recovery_codes(request: HttpRequest, *, code: str) -> list[str]:
    """New recovery codes for a signed-in, verified user, confirmed with a current code from
    his authenticator app (a recovery code is not accepted). The old codes stop working.

    Raises :class:`CodeRefused` for a wrong code, a recovery code, or while the authenticator is
    throttled (the same throttle as code entry at sign-in).
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    device = confirmed_authenticator(user)
    if device is None:
        raise CodeRefused("You have no authenticator app set up.")
    code = _normalise(code)
    if not (code.isdigit() and len(code) == 6):
        raise CodeRefused(
            "Type the 6-digit code your authenticator app shows now. A recovery code is not "
            "accepted here."
        )
    verified, _ = _checked(request, device, code, throttle.Kind.APP)
    if not verified:
        raise CodeRefused("That code did not match. Type the 6 digits the app shows now.")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
    security_log.warning(
        "Two-factor recovery codes replaced: user id=%s username=%s", user.pk, user.get_username()
    )
    return codes


@transaction.atomic
def enrol_for_demo(user: AbstractBaseUser, *, recovery_codes: int = 3) -> tuple[str, list[str]]:
    """A confirmed authenticator and a few recovery codes for a demo login.

    Returns the base32 secret (to type into an authenticator app) and the recovery codes.
    """
    Authenticator.objects.filter(user=user).delete()
    device = Authenticator.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    codes = _new_recovery_codes(user)[:recovery_codes]
    StaticToken.objects.filter(device__user=user).exclude(
        token__in=[_stored_form(c) for c in codes]
    ).delete()
    return base32_secret(device), codes


def current_code(device: Authenticator) -> str:
    """The code the authenticator app shows now (for tests and the demo's ``totp-code``)."""
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{value:0{device.digits}d}"
