"""The participant agreement: versioned text per program, signing, the PDF, re-signing.

The text (program rules, limits of confidentiality, reporting to the court, fees) belongs to a
program; every edit is a new :class:`AgreementVersion`, never a change to an old one, so a
signed PDF always matches the words he read. He signs either on the program's tablet (a staff
member opens the page) or on his phone through a one-time link built like the other phone links
(``alliance.organizations.participant_tokens``: random token, only its SHA-256 stored, expiry,
revocation, guessing limited per address). He types his name and either draws his signature or,
when drawing is not possible for him (keyboard, screen reader), confirms "I agree"; which one is
recorded. The PDF (WeasyPrint, as ``alliance.reports``) holds the text, his typed name, the
drawn signature, the time and the version, and is stored encrypted.

When the text changes, every man in an open enrollment whose latest signature is on an older
version is listed as needing to re-sign (:func:`needing_signature`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from alliance.core.enrollment import OPEN_STATUSES
from alliance.intake.models import (
    AgreementLink,
    AgreementVersion,
    SignatureMethod,
    SignedAgreement,
    SigningChannel,
)
from alliance.organizations.participant_tokens import (
    hash_token,
    new_token,
    record_failed_lookup,
    refuse_if_guessing,
)
from alliance.participants.models import Enrollment
from alliance.programs.models import Program
from alliance.reports.rendering import html_to_pdf

MAX_TEXT_CHARS = 20_000
LINK_LIFETIME = dt.timedelta(days=3)
DATA_URL_PREFIX = "data:image/png;base64,"
#: A signature drawn on a phone or tablet canvas is a few kilobytes to a few tens of KB.
MAX_SIGNATURE_BYTES = 150_000
MAX_SIGNATURE_PIXELS = (2000, 1000)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class AgreementError(ValueError):
    """Refused; the message names the field and is shown to whoever is signing or editing."""


class LinkUnavailable(Exception):
    """A real link that can no longer be used; ``reason`` is shown to the man."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def current_version(program: Program) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(program=program).order_by("-number").first()


@transaction.atomic
def save_agreement_text(
    *, actor: User, program: Program, text: str, now: dt.datetime
) -> AgreementVersion:
    """A new version of the program's agreement (an unchanged text writes nothing new)."""
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise AgreementError("Agreement text: write the agreement.")
    if len(text) > MAX_TEXT_CHARS:
        raise AgreementError(f"Agreement text: keep it under {MAX_TEXT_CHARS:,} characters.")
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one writer at a time
    latest = current_version(program)
    if latest is not None and latest.text == text:
        raise AgreementError("Agreement text: unchanged; no new version was made.")
    number = (
        AgreementVersion.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return AgreementVersion.objects.create(
        program=program, number=number, text=text, created_by=actor, created_at=now
    )


def decode_signature(data_url: str) -> bytes:
    """The PNG bytes of a canvas's ``toDataURL()``; anything else is refused."""
    if not data_url.startswith(DATA_URL_PREFIX):
        raise AgreementError("Signature: only a PNG drawn on the signature pad is accepted.")
    encoded = data_url[len(DATA_URL_PREFIX) :]
    if len(encoded) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        raise AgreementError("Signature: the drawing is too large.")
    try:
        png = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise AgreementError("Signature: the drawing could not be read.") from None
    if not png.startswith(PNG_SIGNATURE):
        raise AgreementError("Signature: only a PNG drawn on the signature pad is accepted.")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as image:
            image.verify()
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
            if width > MAX_SIGNATURE_PIXELS[0] or height > MAX_SIGNATURE_PIXELS[1]:
                raise AgreementError("Signature: the drawing is too large.")
            drawn = image.convert("RGBA").getchannel("A").getbbox()
    except AgreementError:
        raise
    except Exception:
        raise AgreementError("Signature: the drawing could not be read.") from None
    if drawn is None:
        raise AgreementError("Signature: the pad is empty. Sign with your finger, pen or mouse.")
    return png


@transaction.atomic
def create_agreement_link(
    *, actor: User, enrollment: Enrollment, now: dt.datetime
) -> tuple[AgreementLink, str]:
    """A one-time link for his phone to the current version; earlier links stop working."""
    version = current_version(enrollment.program)
    if version is None:
        raise AgreementError("This program has no agreement text yet: ask a manager to add it.")
    AgreementLink.objects.filter(
        enrollment=enrollment, revoked_at__isnull=True, used_at__isnull=True
    ).update(revoked_at=now)
    token = new_token()
    link = AgreementLink.objects.create(
        enrollment=enrollment,
        version=version,
        token_hash=hash_token(token),
        expires_at=now + LINK_LIFETIME,
        created_by=actor,
        created_at=now,
    )
    return link, token


def resolve_agreement_link(token: str, *, client: str, now: dt.datetime) -> AgreementLink:
    """The link this token opens, or ``Http404`` / :class:`LinkUnavailable` /
    ``TooManyGuesses``. Not one transaction: a failed look-up must stay counted."""
    link = (
        AgreementLink.objects.select_related("enrollment__program", "version")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        refuse_if_guessing(client=client, now=now)
        record_failed_lookup(client=client, now=now)
        raise Http404("No such link.")
    if link.used_at is not None:
        raise LinkUnavailable(
            gettext("You have signed the agreement already; this link is used up.")
        )
    if link.revoked_at is not None:
        raise LinkUnavailable(
            gettext("This link was replaced by a newer one. Use the newest link.")
        )
    if now >= link.expires_at:
        raise LinkUnavailable(gettext("This link has expired. Ask the program for a new one."))
    return link


@dataclass(frozen=True)
class Signature:
    """What he gave: his typed name, and a drawing or the "I agree" confirmation."""

    typed_name: str
    drawing: str  # the canvas's PNG data URL, or "" for the typed alternative
    agreed: bool


@transaction.atomic
def sign_agreement(
    *,
    enrollment: Enrollment,
    version: AgreementVersion,
    signature: Signature,
    channel: str,
    opened_by: User | None,
    link: AgreementLink | None,
    now: dt.datetime,
) -> SignedAgreement:
    typed_name = " ".join(signature.typed_name.split())
    if not typed_name:
        raise AgreementError("Your name: type your full name.")
    if len(typed_name) > 120:
        raise AgreementError("Your name: keep it under 120 characters.")
    if signature.drawing:
        png: bytes | None = decode_signature(signature.drawing)
        method = SignatureMethod.DRAWN
    elif signature.agreed:
        png = None
        method = SignatureMethod.TYPED
    else:
        raise AgreementError(
            'Signature: draw your signature, or tick "I agree" to sign with your typed name.'
        )
    latest = current_version(enrollment.program)
    if latest is None or latest.pk != version.pk:
        raise AgreementError(
            "The agreement text changed while it was open. Read the new version and sign again."
        )
    if link is not None:
        locked = AgreementLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None or locked.revoked_at is not None:
            raise AgreementError("This link is used up or was replaced.")
        locked.used_at = now
        locked.save(update_fields=["used_at"])
    pdf = agreement_pdf(
        enrollment=enrollment,
        version=version,
        typed_name=typed_name,
        png=png,
        method=method,
        at=now,
    )
    return SignedAgreement.objects.create(
        enrollment=enrollment,
        version=version,
        typed_name=typed_name,
        method=method,
        signature_png=png,
        channel=SigningChannel(channel),
        signed_at=now,
        opened_by=opened_by,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )


def agreement_pdf(
    *,
    enrollment: Enrollment,
    version: AgreementVersion,
    typed_name: str,
    png: bytes | None,
    method: str,
    at: dt.datetime,
) -> bytes:
    html = render_to_string(
        "intake/agreement_pdf.html",
        {
            "program": enrollment.program,
            "organization": enrollment.program.organization,
            "code": enrollment.participant.code,
            "version": version,
            "typed_name": typed_name,
            "signature_src": (
                DATA_URL_PREFIX + base64.b64encode(png).decode("ascii") if png else ""
            ),
            "method": SignatureMethod(method).label,
            "signed_at": timezone.localtime(at, enrollment.program.tzinfo),
        },
    )
    return html_to_pdf(html)


@dataclass(frozen=True)
class SigningState:
    enrollment: Enrollment
    signed: SignedAgreement | None
    current: AgreementVersion | None

    @property
    def needs_signature(self) -> bool:
        return self.current is not None and (
            self.signed is None or self.signed.version_id != self.current.pk
        )

    @property
    def needs_resigning(self) -> bool:
        return self.needs_signature and self.signed is not None


def signing_state(enrollment: Enrollment) -> SigningState:
    signed = (
        SignedAgreement.objects.filter(enrollment=enrollment)
        .select_related("version")
        .order_by("-signed_at", "-pk")
        .first()
    )
    return SigningState(enrollment, signed, current_version(enrollment.program))


def needing_signature(enrollments: list[Enrollment]) -> list[SigningState]:
    """The open enrollments among ``enrollments`` whose man must sign (again): never signed,
    or his latest signature is on an older version of his program's text. Three queries."""
    open_ones = [e for e in enrollments if e.status in OPEN_STATUSES]
    programs = {e.program_id for e in open_ones}
    current: dict[int, AgreementVersion] = {}
    for version in AgreementVersion.objects.filter(program_id__in=programs).order_by("number"):
        current[version.program_id] = version  # the highest number wins
    latest: dict[int, SignedAgreement] = {}
    for signed in SignedAgreement.objects.filter(enrollment__in=[e.pk for e in open_ones]).order_by(
        "signed_at", "pk"
    ):
        latest[signed.enrollment_id] = signed
    states = [SigningState(e, latest.get(e.pk), current.get(e.program_id)) for e in open_ones]
    return [s for s in states if s.needs_signature]
