"""Delivering documents and running the agency portal: every write goes through here.

E-mail: the message says only that a document from the program is attached; the man's name,
code and everything clinical are in the PDF alone. A failed send is retried by
``alliance send-pending`` with growing waits (:func:`backoff`); a delivery marked sent is never
sent again, whoever calls. Portal: the document is on the agency's portal at once; its
officers read it and acknowledge receipt.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from alliance.audit.models import AccessEvent, Outcome
from alliance.organizations import invitations
from alliance.organizations.models import Agency, Membership
from alliance.portal.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    OfficerAccount,
    OfficerInvitation,
)
from alliance.reports.models import SentDocument

security_log = logging.getLogger("alliance.security")

#: After this many failed attempts a delivery waits for a person (shown as failed, not retried).
MAX_ATTEMPTS = 8
FIRST_WAIT = dt.timedelta(minutes=5)
LONGEST_WAIT = dt.timedelta(hours=6)
INVITATION_DAYS = invitations.INVITATION_DAYS


class DeliveryRefused(ValueError):
    """The delivery cannot be made; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failure: 5 min, 10, 20, … at most 6 hours."""
    wait: dt.timedelta = FIRST_WAIT * (2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_WAIT)


def _log_event(*, user_id: int, username: str, document: SentDocument, url_name: str) -> None:
    """An access-log row for a send made outside a request (the retry command)."""
    AccessEvent.objects.create(
        at=timezone.now(),
        user_id=user_id,
        username=username,
        participant_id=document.enrollment.participant_id if document.enrollment else None,
        enrollment_id=document.enrollment_id,
        url_name=url_name,
        path=f"document:{document.pk}",
        method="SEND",
        status=200,
        outcome=Outcome.SHOWN,
    )


def deliver(
    *,
    actor: User,
    document: SentDocument,
    channel: str,
    email: str = "",
    agency: Agency | None = None,
    now: dt.datetime | None = None,
) -> Delivery:
    """Record a delivery of ``document``; a portal delivery is on the agency's portal at once,
    an e-mail is sent right away (and, if that fails, retried by ``alliance send-pending``)."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise DeliveryRefused("channel", "Choose e-mail or the agency portal.")
    if channel == Channel.PORTAL:
        if document.enrollment is None:
            raise DeliveryRefused(
                "channel", "A program-wide report goes by e-mail; the portal shows men's documents."
            )
        agency = document.enrollment.agency
        if agency is None:
            raise DeliveryRefused(
                "channel",
                "He was not referred by an agency set up in Alliance: record the referring "
                "agency on his enrollment, or send the document by e-mail.",
            )
        if not agency.officers.exists():
            raise DeliveryRefused(
                "channel",
                f"{agency.name} has no portal accounts yet: invite an officer first, or send "
                "the document by e-mail.",
            )
        if Delivery.objects.filter(
            document=document, channel=Channel.PORTAL, agency=agency
        ).exists():
            raise DeliveryRefused("channel", f"This document is already on {agency.name}'s portal.")
        delivery = Delivery.objects.create(
            document=document,
            channel=Channel.PORTAL,
            agency=agency,
            status=DeliveryStatus.SENT,
            created_by=actor,
            created_at=now,
            sent_at=now,
        )
        return delivery
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DeliveryRefused("email", "Enter the recipient's e-mail address.") from exc
    delivery = Delivery.objects.create(
        document=document,
        channel=Channel.EMAIL,
        agency=agency,
        recipient_email=email,
        status=DeliveryStatus.QUEUED,
        created_by=actor,
        created_at=now,
        next_attempt_at=now,
    )
    attempt_email(delivery.pk, now=now)
    delivery.refresh_from_db()
    return delivery


def _message(document: SentDocument, to: str) -> EmailMessage:
    program = document.program.name
    body = (
        f"A document from {program} is attached.\n\n"
        "It is confidential and intended only for the addressee. If it reached you by "
        f"mistake, please delete it and let {program} know.\n"
    )
    message = EmailMessage(
        subject=f"A document from {program}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach(
        f"{document.kind.replace('_', '-')}-{document.pk}.pdf",
        bytes(document.pdf),
        "application/pdf",
    )
    return message


def attempt_email(delivery_id: int, *, now: dt.datetime | None = None) -> Delivery:
    """Try one e-mail delivery once. A delivery already sent is left alone (never sent twice),
    even when two runs of ``send-pending`` overlap: the row is locked while it is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            # Lock the delivery row only: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer joins (a document without an enrollment, a creator since removed).
            Delivery.objects.select_for_update(of=("self",))
            .select_related("document__program", "document__enrollment", "created_by")
            .get(pk=delivery_id)
        )
        if delivery.channel != Channel.EMAIL or delivery.status == DeliveryStatus.SENT:
            return delivery
        delivery.attempts += 1
        delivery.last_attempt_at = now
        try:
            _message(delivery.document, delivery.recipient_email).send(fail_silently=False)
        except (OSError, smtplib.SMTPException) as exc:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
            delivery.next_attempt_at = (
                now + backoff(delivery.attempts) if delivery.attempts < MAX_ATTEMPTS else None
            )
            security_log.warning(
                "Delivery %s failed (attempt %s): %s",
                delivery.pk,
                delivery.attempts,
                type(exc).__name__,
            )
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
            delivery.next_attempt_at = None
            delivery.last_error = ""
            _log_event(
                user_id=delivery.created_by_id,
                username=delivery.created_by.get_username(),
                document=delivery.document,
                url_name="delivery-email-sent",
            )
        delivery.save()
    return delivery


@dataclass(frozen=True)
class PendingRun:
    sent: int
    failed: int


def send_pending(*, now: dt.datetime | None = None) -> PendingRun:
    """Every e-mail delivery due for a (re)try; safe to run from cron as often as you like."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        channel=Channel.EMAIL,
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED],
        next_attempt_at__lte=now,
    ).values_list("pk", flat=True)
    sent = failed = 0
    for pk in list(due):
        delivery = attempt_email(pk, now=now)
        if delivery.status == DeliveryStatus.SENT:
            sent += 1
        else:
            failed += 1
    return PendingRun(sent=sent, failed=failed)


def retry_now(*, delivery: Delivery, now: dt.datetime | None = None) -> Delivery:
    """A person asks for one more try (also after the automatic attempts ran out)."""
    if delivery.channel != Channel.EMAIL or delivery.status == DeliveryStatus.SENT:
        return delivery
    return attempt_email(delivery.pk, now=now)


def acknowledge(*, officer: User, delivery: Delivery, now: dt.datetime | None = None) -> Delivery:
    """The officer confirms receipt; the first acknowledgement stands."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at = now
            locked.acknowledged_by = officer
            locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return locked


# Officers' accounts -------------------------------------------------------------------------


InvitationUnusable = invitations.InvitationUnusable
ASK = "the program"


@dataclass(frozen=True)
class Invited:
    invitation: OfficerInvitation
    link: str


def invite_officer(
    *, actor: User, agency: Agency, email: str, base_url: str, now: dt.datetime | None = None
) -> Invited:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DeliveryRefused("email", "Enter the officer's e-mail address.") from exc
    if get_user_model().objects.filter(email__iexact=email, is_active=True).exists():
        raise DeliveryRefused("email", "Someone with this e-mail address already has an account.")
    now = now or timezone.now()
    with transaction.atomic():
        invitation, link = invitations.create(
            OfficerInvitation,
            scope={"agency": agency},
            email=email,
            actor=actor,
            url_name="portal-invitation",
            base_url=base_url,
            now=now,
        )
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    security_log.warning(
        "Portal invitation %s created by user id=%s for agency %s",
        invitation.pk,
        actor.pk,
        agency.pk,
    )
    return Invited(invitation, link)


def _send_invitation(invitation: OfficerInvitation, link: str) -> None:
    agency = invitation.agency
    organization = agency.organization.name
    body = (
        f"{organization} invites you to its document portal on Alliance, for {agency.name}.\n\n"
        f"Open this link to choose your password and set up two-factor sign-in:\n{link}\n\n"
        f"The link works once and expires on {invitation.expires_at:%d %B %Y}. If you did not "
        "expect this message, ignore it.\n"
    )
    try:
        send_mail(
            f"Your invitation to {organization}'s document portal",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        security_log.warning("Portal invitation %s could not be e-mailed", invitation.pk)


def _grant(user: User, invitation: OfficerInvitation, now: dt.datetime) -> None:
    OfficerAccount.objects.create(
        user=user, agency=invitation.agency, invited_by=invitation.invited_by, created_at=now
    )


def accept_invitation(
    *,
    invitation: OfficerInvitation,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    now: dt.datetime | None = None,
) -> User:
    """Create the officer's account for the invited agency; the invitation is spent."""
    user = invitations.create_account(
        queryset=OfficerInvitation.objects.all(),
        invitation=invitation,
        ask=ASK,
        username=username,
        first_name=first_name,
        last_name=last_name,
        password=password,
        grant=_grant,
        now=now,
    )
    security_log.warning("Portal invitation %s accepted: new user id=%s", invitation.pk, user.pk)
    return user


CREDENTIALS_PATTERN = re.compile(r"^[\w .,&()/'’-]*$")


def set_credentials(*, membership: Membership, credentials: str) -> Membership:
    """His professional credentials as printed after his name on documents ("MSW, RSW")."""
    credentials = " ".join(credentials.split())
    if len(credentials) > 100:
        raise DeliveryRefused("credentials", "Keep the credentials under 100 characters.")
    if not CREDENTIALS_PATTERN.match(credentials):
        raise DeliveryRefused(
            "credentials", "Use letters, digits, spaces and . , & ( ) / ' - only."
        )
    membership.credentials = credentials
    membership.save(update_fields=["credentials"])
    return membership
