"""Who may open the partner-safety compartment.

Only the organization's partner-safety workers, and an organization admin for a short window
after a logged break-glass opening of one record. Everyone else gets the same 404 as for a
record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import AnyUser, membership_of, require_membership
from alliance.safety.models import (
    BreakGlassAccess,
    DiscrepancyRelease,
    PartnerNotification,
    PartnerRecord,
    PartnerRelease,
    PartnerReportConsent,
    SafetyConcern,
)

SAFETY_ROLES = frozenset({Role.PARTNER_SAFETY})


def is_safety_worker(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.PARTNER_SAFETY


def require_safety_worker(user: AnyUser) -> Membership:
    return require_membership(user, SAFETY_ROLES)


def require_org_admin(user: AnyUser) -> Membership:
    return require_membership(user, frozenset({Role.ORG_ADMIN}))


def access_partner(
    user: AnyUser, partner_id: int, *, now: dt.datetime
) -> tuple[PartnerRecord, BreakGlassAccess | None]:
    """The record, and the break-glass grant that opens it if the reader is not a safety worker."""
    membership = membership_of(user)
    if membership is None:
        raise Http404("No such page.")
    record = (
        PartnerRecord.objects.filter(pk=partner_id, organization=membership.organization)
        .select_related("participant")
        .first()
    )
    if record is None:
        raise Http404("No such page.")
    if membership.role == Role.PARTNER_SAFETY:
        return record, None
    if membership.role != Role.ORG_ADMIN:
        raise Http404("No such page.")
    grant = (
        BreakGlassAccess.objects.filter(user=membership.user, partner=record, expires_at__gt=now)
        .order_by("-expires_at")
        .first()
    )
    if grant is None:
        raise Http404("No such page.")
    return record, grant


def access_partner_for_change(user: AnyUser, partner_id: int) -> PartnerRecord:
    membership = require_safety_worker(user)
    record = PartnerRecord.objects.filter(
        pk=partner_id, organization=membership.organization
    ).first()
    if record is None:
        raise Http404("No such page.")
    return record


_Item = TypeVar(
    "_Item",
    PartnerRelease,
    SafetyConcern,
    PartnerNotification,
    PartnerReportConsent,
    DiscrepancyRelease,
)


def _partner_item(user: AnyUser, model: type[_Item], pk: int, *related: str) -> _Item:
    """One release, concern or notification of a partner record in the safety worker's
    organization (the same 404 for missing and forbidden)."""
    membership = require_safety_worker(user)
    item = (
        model.objects.filter(pk=pk, partner__organization=membership.organization)
        .select_related(*related)
        .first()
    )
    if item is None:
        raise Http404("No such page.")
    return item


def access_release(user: AnyUser, release_id: int) -> PartnerRelease:
    return _partner_item(user, PartnerRelease, release_id, "partner")


def access_concern(user: AnyUser, concern_id: int) -> SafetyConcern:
    return _partner_item(user, SafetyConcern, concern_id, "partner")


def access_notification(user: AnyUser, notification_id: int) -> PartnerNotification:
    return _partner_item(
        user, PartnerNotification, notification_id, "partner__participant", "enrollment__program"
    )


def access_report_consent(user: AnyUser, consent_id: int) -> PartnerReportConsent:
    return _partner_item(user, PartnerReportConsent, consent_id, "partner")


def access_flag_release(user: AnyUser, release_id: int) -> DiscrepancyRelease:
    return _partner_item(user, DiscrepancyRelease, release_id, "partner")
