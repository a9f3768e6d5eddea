"""Every write to the partner-safety compartment: one function per action, one transaction each.

The views have checked access already; these functions validate the input and record who did
what and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.history import set_history_user
from alliance.organizations.models import Organization
from alliance.participants.models import Participant
from alliance.safety.models import (
    BreakGlassAccess,
    ConcernLevel,
    ContactMethod,
    NotificationStatus,
    PartnerNotification,
    PartnerRecord,
    PartnerRelease,
    SafetyConcern,
)

BREAK_GLASS_WINDOW = dt.timedelta(minutes=15)
BREAK_GLASS_REASON_MIN = 20

PARTNER_FIELDS = (
    "name",
    "relationship",
    "phone",
    "email",
    "address",
    "language",
    "safe_times",
    "safe_methods",
    "cautions",
    "notes",
)


class SafetyError(ValueError):
    """A refused action; the message starts with the field it concerns."""


@transaction.atomic
def create_partner_record(
    *, actor: User, organization: Organization, participant: Participant, **fields: Any
) -> PartnerRecord:
    if participant.organization_id != organization.pk:
        raise SafetyError("participant: he belongs to another organization.")
    record = PartnerRecord(
        organization=organization, participant=participant, created_by=actor, updated_by=actor
    )
    for name in PARTNER_FIELDS:
        setattr(record, name, str(fields.get(name, "")).strip())
    if not record.name:
        raise SafetyError("name: give the partner's name (it is stored encrypted).")
    set_history_user(record, actor)
    record.save()
    return record


@transaction.atomic
def update_partner_record(*, actor: User, record: PartnerRecord, **fields: Any) -> PartnerRecord:
    for name in PARTNER_FIELDS:
        if name in fields:
            setattr(record, name, str(fields[name]).strip())
    if not record.name:
        raise SafetyError("name: give the partner's name (it is stored encrypted).")
    record.updated_by = actor
    set_history_user(record, actor)
    record.save()
    return record


@transaction.atomic
def record_release(
    *, actor: User, record: PartnerRecord, kind: str, signed_on: dt.date, today: dt.date
) -> PartnerRelease:
    if signed_on > today:
        raise SafetyError("signed_on: a release cannot be signed in the future.")
    return PartnerRelease.objects.create(
        partner=record, kind=kind, signed_on=signed_on, recorded_by=actor
    )


@transaction.atomic
def revoke_release(*, actor: User, release: PartnerRelease, revoked_on: dt.date) -> PartnerRelease:
    """Revoke a release and withdraw the drafts that rested on it alone."""
    release = PartnerRelease.objects.select_for_update().get(pk=release.pk)
    if release.revoked_on is not None:
        raise SafetyError("release: it was already revoked.")
    if revoked_on < release.signed_on:
        raise SafetyError("revoked_on: a release cannot be revoked before it was signed.")
    release.revoked_on = revoked_on
    release.revoked_by = actor
    release.save(update_fields=["revoked_on", "revoked_by"])
    still_released = PartnerRelease.objects.filter(
        partner_id=release.partner_id, kind=release.kind, revoked_on__isnull=True
    ).exists()
    if not still_released:
        for draft in PartnerNotification.objects.filter(
            partner_id=release.partner_id, kind=release.kind, status=NotificationStatus.PENDING
        ):
            _close(draft, actor, NotificationStatus.CANCELLED, "The release was revoked.")
    return release


@transaction.atomic
def raise_concern(
    *,
    actor: User,
    record: PartnerRecord,
    level: str,
    raised_on: dt.date,
    narrative: str,
    today: dt.date,
) -> SafetyConcern:
    if level not in ConcernLevel.values:
        raise SafetyError("level: choose one of " + ", ".join(ConcernLevel.labels) + ".")
    if raised_on > today:
        raise SafetyError("raised_on: the date cannot be in the future.")
    if not narrative.strip():
        raise SafetyError("narrative: describe the concern.")
    concern = SafetyConcern(
        partner=record,
        level=level,
        raised_on=raised_on,
        narrative=narrative.strip(),
        recorded_by=actor,
    )
    set_history_user(concern, actor)
    concern.save()
    return concern


@transaction.atomic
def resolve_concern(
    *, actor: User, concern: SafetyConcern, resolved_on: dt.date, resolution: str
) -> SafetyConcern:
    concern = SafetyConcern.objects.select_for_update().get(pk=concern.pk)
    if concern.resolved_on is not None:
        raise SafetyError("concern: it was already resolved.")
    if resolved_on < concern.raised_on:
        raise SafetyError("resolved_on: cannot be before the concern was raised.")
    if not resolution.strip():
        raise SafetyError("resolution: say how it was resolved.")
    concern.resolved_on = resolved_on
    concern.resolution = resolution.strip()
    concern.resolved_by = actor
    set_history_user(concern, actor)
    concern.save(update_fields=["resolved_on", "resolution", "resolved_by"])
    return concern


def _close(
    notification: PartnerNotification, actor: User, status: NotificationStatus, note: str
) -> None:
    notification.status = status.value
    notification.closed_at = timezone.now()
    notification.closed_by = actor
    notification.closing_note = note
    notification.save(
        update_fields=["status", "closed_at", "closed_by", "closing_note", "method", "message"]
    )


@transaction.atomic
def send_notification(
    *,
    actor: User,
    notification: PartnerNotification,
    confirmed_safe: bool,
    method: str,
    message: str,
    note: str = "",
) -> PartnerNotification:
    """Record that the partner was told, once the worker confirms contacting her is safe now."""
    notification = (
        PartnerNotification.objects.select_for_update()
        .select_related("partner")
        .get(pk=notification.pk)
    )
    if notification.status != NotificationStatus.PENDING:
        raise SafetyError("notification: it is no longer pending.")
    if not confirmed_safe:
        raise SafetyError(
            "confirmed_safe: confirm that contacting her now is safe, following her "
            "safe-contact preferences."
        )
    if method not in ContactMethod.values:
        raise SafetyError("method: choose how she was told.")
    if not message.strip():
        raise SafetyError("message: record what she was told.")
    in_force = any(
        r.kind == notification.kind
        and r.in_force_on(notification.event_on)
        and r.revoked_on is None
        for r in notification.partner.releases.all()
    )
    if notification.kind and not in_force:
        raise SafetyError("release: no release for this kind of notification is in force.")
    notification.message = message.strip()
    notification.method = method
    _close(notification, actor, NotificationStatus.SENT, note.strip())
    return notification


@transaction.atomic
def cancel_notification(
    *, actor: User, notification: PartnerNotification, reason: str
) -> PartnerNotification:
    notification = PartnerNotification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != NotificationStatus.PENDING:
        raise SafetyError("notification: it is no longer pending.")
    if not reason.strip():
        raise SafetyError("reason: say why it will not be sent.")
    _close(notification, actor, NotificationStatus.CANCELLED, reason.strip())
    return notification


@transaction.atomic
def log_contact(
    *,
    actor: User,
    record: PartnerRecord,
    contacted_on: dt.date,
    method: str,
    message: str,
    today: dt.date,
) -> PartnerNotification:
    """A contact the worker made on her own (not a prepared notification), for the log."""
    if contacted_on > today:
        raise SafetyError("contacted_on: the date cannot be in the future.")
    if method not in ContactMethod.values:
        raise SafetyError("method: choose how she was contacted.")
    if not message.strip():
        raise SafetyError("message: record what was said.")
    contact = PartnerNotification.objects.create(
        partner=record, kind="", event_on=contacted_on, message=message.strip(), method=method
    )
    _close(contact, actor, NotificationStatus.SENT, "")
    return contact


@transaction.atomic
def open_break_glass(
    *, actor: User, record: PartnerRecord, reason: str, now: dt.datetime
) -> BreakGlassAccess:
    """Open one record to an organization admin for a short window; the opening is logged."""
    reason = " ".join(reason.split())
    if len(reason) < BREAK_GLASS_REASON_MIN:
        raise SafetyError(
            f"reason: state why you must open this record (at least {BREAK_GLASS_REASON_MIN} "
            "characters); the safety team will see it."
        )
    return BreakGlassAccess.objects.create(
        organization_id=record.organization_id,
        user=actor,
        partner=record,
        reason=reason,
        opened_at=now,
        expires_at=now + BREAK_GLASS_WINDOW,
    )
