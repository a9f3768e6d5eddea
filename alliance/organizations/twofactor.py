"""Two-factor authentication for staff: an authenticator app (TOTP) plus recovery codes.

Every staff login needs a second factor (see ``TwoFactorRequiredMiddleware``). A user without
a confirmed authenticator is sent to set one up; confirming it with a code gives him
:data:`RECOVERY_CODES` single-use recovery codes, shown once.

Recovery codes live in django-otp's static device, but only an HMAC of each (keyed with
``SECRET_KEY``) is stored, so a copy of the database alone opens no account. Both devices are
throttled by django-otp: after a wrong code the next attempt is refused for 1, 2, 4, 8, ...
seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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

    device: TOTPDevice
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


def confirmed_authenticator(user: AnyUser) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def start_enrolment(user: AbstractBaseUser) -> Enrolment:
    """The pending (unconfirmed) authenticator for ``user``, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    uri = device.config_url
    qr = segno.make(uri, error="m")
    return Enrolment(
        device=device,
        secret=base32_secret(device),
        uri=uri,
        qr_svg=qr.svg_inline(scale=4, title="QR code for your authenticator app"),
    )


def _refuse_if_throttled(device: TOTPDevice | StaticDevice) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = ""
        if details and details.get("locked_until"):
            seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
            wait = f" Wait {seconds} second{'s' if seconds != 1 else ''} and"
        raise CodeRefused(f"Too many wrong codes.{wait} try again with a new code.".strip())


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    raw = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    codes = [f"{c[:5]}-{c[5:]}" for c in raw]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=_stored_form(code)) for code in codes]
    )
    return codes


def confirm_enrolment(request: HttpRequest, *, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns new recovery codes.

    The session is verified from here on. Raises :class:`CodeRefused` for a wrong code.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    if device.user_id != user.pk or device.confirmed:
        raise CodeRefused("This set-up has expired. Reload the page and start again.")
    _refuse_if_throttled(device)
    # The failed attempt (django-otp's throttle counter) must be committed, so the refusal is
    # raised outside the transaction.
    if not device.verify_token(_normalise(code)):
        raise CodeRefused("That code did not match. Type the 6 digits the app shows now.")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
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
        device: TOTPDevice | StaticDevice | None = confirmed_authenticator(user)
        candidate = code
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        candidate = _stored_form(code)
    if device is None:
        raise CodeRefused("That code did not match.")
    _refuse_if_throttled(device)
    with transaction.atomic():
        # Locked so that two requests cannot both spend the same code.
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(candidate)
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
    _refuse_if_throttled(device)
    if not (code.isdigit() and len(code) == 6):
        raise CodeRefused(
            "Type the 6-digit code your authenticator app shows now. A recovery code is not "
            "accepted here."
        )
    with transaction.atomic():
        # Locked so that two requests cannot both spend the same code.
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(code)
    # A failed attempt (the throttle counter) is committed before the refusal is raised.
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
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    codes = _new_recovery_codes(user)[:recovery_codes]
    StaticToken.objects.filter(device__user=user).exclude(
        token__in=[_stored_form(c) for c in codes]
    ).delete()
    return base32_secret(device), codes


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now (for tests and the demo's ``totp-code``)."""
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return f"{value:0{device.digits}d}"
