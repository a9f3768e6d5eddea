from __future__ import annotations

from collections.abc import Iterable

from alliance.organizations.models import Membership
from alliance.portal.models import Channel, Delivery, DeliveryStatus
from alliance.programs.permissions import visible_programs
from alliance.reports.permissions import SEND_ROLES


def failed_deliveries(membership: Membership) -> list[Delivery]:
    """E-mails that could not be sent, of the programs this sender sees (empty for others)."""
    if membership.role not in SEND_ROLES:
        return []
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.FAILED, document__program__in=visible_programs(membership)
        )
        .select_related("document")
        .defer("document__html", "document__pdf")
        .order_by("-created_at")
    )


def deliveries_by_document(document_ids: Iterable[int]) -> dict[int, list[Delivery]]:
    found: dict[int, list[Delivery]] = {}
    for delivery in Delivery.objects.filter(document_id__in=list(document_ids)).select_related(
        "agency", "acknowledged_by"
    ):
        found.setdefault(delivery.document_id, []).append(delivery)
    return found


def portal_deliveries_of(enrollment_id: int) -> list[Delivery]:
    return list(
        Delivery.objects.filter(channel=Channel.PORTAL, document__enrollment_id=enrollment_id)
        .select_related("agency", "acknowledged_by", "document")
        .defer("document__html", "document__pdf")
        .order_by("-created_at", "-pk")[:5]
    )
