"""Delivery status on staff pages: a document's deliveries, and failed sends on a home page."""

from __future__ import annotations

from typing import Any

from django import template

from alliance.portal.selectors import (
    deliveries_by_document,
    failed_deliveries,
    portal_deliveries_of,
)

register = template.Library()


@register.inclusion_tag("portal/_failed_deliveries.html")
def failed_deliveries_notice(membership: Any) -> dict[str, Any]:
    failed = failed_deliveries(membership) if membership is not None else []
    return {"failed": failed}


@register.simple_tag
def deliveries_for(log: Any) -> dict[int, list[Any]]:
    return deliveries_by_document([document.pk for document in log])


@register.filter
def deliveries_of(found: dict[int, list[Any]], document_id: int) -> list[Any]:
    return found.get(document_id, [])


@register.inclusion_tag("portal/_receipts.html")
def portal_receipts(enrollment: Any) -> dict[str, Any]:
    """On his page: which documents the referring agency acknowledged on its portal, and which
    it has not yet."""
    return {"receipts": portal_deliveries_of(enrollment.pk)}
