"""What the safety pages show. Encrypted columns are decrypted row by row, so lists filter on
plain columns in the database and sort by level in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from alliance.core.duties import is_overdue
from alliance.incidents.selectors import HandlerPanel, handler_panel
from alliance.organizations.models import Membership
from alliance.participants.models import Participant
from alliance.safety.models import (
    LEVEL_ORDER,
    BreakGlassAccess,
    ConcernLevel,
    NotificationStatus,
    PartnerNotification,
    PartnerRecord,
    SafetyConcern,
)

RECENT_BREAK_GLASS = dt.timedelta(days=30)


@dataclass(frozen=True)
class ManRow:
    participant: Participant
    partners: list[PartnerRecord]
    open_concerns: int
    pending: int


@dataclass(frozen=True)
class PendingRow:
    notification: PartnerNotification
    overdue: bool


@dataclass(frozen=True)
class SafetyHome:
    men: list[ManRow]
    open_concerns: list[SafetyConcern]
    pending: list[PendingRow]
    break_glass: list[BreakGlassAccess]
    #: Open safety incidents flagged by staff (``alliance.incidents``), overdue first.
    incidents: HandlerPanel | None

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.pending if row.overdue)


def sort_by_level(concerns: list[SafetyConcern]) -> list[SafetyConcern]:
    return sorted(concerns, key=lambda c: (LEVEL_ORDER.get(ConcernLevel(c.level), 9), c.raised_on))


def safety_home(membership: Membership, *, now: dt.datetime, today: dt.date) -> SafetyHome:
    organization = membership.organization
    records = list(
        PartnerRecord.objects.filter(organization=organization).select_related("participant")
    )
    concerns = sort_by_level(
        list(
            SafetyConcern.objects.filter(
                partner__organization=organization, resolved_on__isnull=True
            ).select_related("partner__participant")
        )
    )
    pending = list(
        PartnerNotification.objects.filter(
            partner__organization=organization, status=NotificationStatus.PENDING
        )
        .select_related("partner__participant", "enrollment__program")
        .order_by(F("due_on").asc(nulls_last=True), "prepared_at")
    )
    by_man: dict[int, list[PartnerRecord]] = {}
    for record in records:
        by_man.setdefault(record.participant_id, []).append(record)
    men = [
        ManRow(
            participant=partners[0].participant,
            partners=partners,
            open_concerns=sum(1 for c in concerns if c.partner.participant_id == man_id),
            pending=sum(1 for n in pending if n.partner.participant_id == man_id),
        )
        for man_id, partners in by_man.items()
    ]
    men.sort(key=lambda row: row.participant.code)
    break_glass = list(
        BreakGlassAccess.objects.filter(
            organization=organization, opened_at__gte=now - RECENT_BREAK_GLASS
        ).select_related("user", "partner__participant")
    )
    return SafetyHome(
        men=men,
        open_concerns=concerns,
        pending=[PendingRow(n, is_overdue(n.due_on, today)) for n in pending],
        break_glass=break_glass,
        incidents=handler_panel(membership, now=now),
    )


@dataclass(frozen=True)
class PartnerPage:
    record: PartnerRecord
    releases: list[object]
    concerns: list[SafetyConcern]
    notifications: list[PartnerNotification]
    break_glass: list[BreakGlassAccess]


def partner_page(record: PartnerRecord) -> PartnerPage:
    return PartnerPage(
        record=record,
        releases=list(record.releases.select_related("recorded_by", "revoked_by")),
        concerns=list(record.concerns.select_related("recorded_by", "resolved_by")),
        notifications=list(record.notifications.select_related("closed_by", "enrollment__program")),
        break_glass=list(record.break_glass.select_related("user")),
    )


def break_glass_choices(membership: Membership) -> list[tuple[int, str]]:
    """Records an admin may ask to open: the man's code and a number, never partner details."""
    records = PartnerRecord.objects.filter(organization=membership.organization).select_related(
        "participant"
    )
    # Only the man's code is read here, never an encrypted column.
    rows = records.only("pk", "participant__code", "created_at")
    return [(r.pk, f"{r.participant.code}: partner record {r.pk}") for r in rows]
