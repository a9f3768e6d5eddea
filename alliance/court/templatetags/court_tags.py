"""``{% court_order_summary enrollment %}`` on the man's page: the order's terms and risks.

Facilitators read the terms and what is at risk (deadline, start-by, protective order); the
other conditions, which may name the person protected, stay on the court-order page for the
roles that edit it.
"""

from __future__ import annotations

from typing import Any

from django import template

from alliance.court.permissions import may_edit_order
from alliance.court.selectors import order_of, order_status, organization_today
from alliance.participants.models import Enrollment

register = template.Library()


@register.inclusion_tag("court/_order_summary.html", takes_context=True)
def court_order_summary(context: template.Context, enrollment: Enrollment) -> dict[str, Any]:
    membership = context.get("membership")
    order = order_of(enrollment)
    may_edit = may_edit_order(membership)
    if order is None and not may_edit:
        return {"summary": None}
    today = organization_today(enrollment.program.organization)
    return {
        "summary": {
            "enrollment": enrollment,
            "order": order,
            "status": order_status(enrollment, today) if order is not None else None,
            "may_edit": may_edit,
        }
    }
