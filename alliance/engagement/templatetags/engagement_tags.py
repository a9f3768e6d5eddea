"""Inclusion tags that put the risk list and a man's factors on other apps' pages.

Each tag checks the role itself: nothing shows for an evaluator, a partner-safety worker or
anyone who is not staff of the man's groups.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from alliance.engagement import selectors
from alliance.engagement.permissions import sees_risk
from alliance.participants.models import Participant
from alliance.programs.models import Group

register = template.Library()


@register.filter
def percent(value: float) -> str:
    if 0 < value < 0.005:
        return "<1%"  # "0%" would read as "no chance at all"
    return f"{100 * value:.0f}%"


@register.inclusion_tag("engagement/_risk_table.html", takes_context=True)
def engagement_risk(
    context: template.Context, group: Group | None = None, limit: int = 10
) -> dict[str, Any]:
    membership = context.get("membership")
    if membership is None or not sees_risk(membership):
        return {"show": False}
    rows = selectors.risk_rows(
        selectors.visible_enrollments(membership, group),
        organization_id=membership.organization_id,
        today=timezone.localdate(),  # the middleware activates the organization's zone
    )
    return {
        "show": True,
        "rows": rows[:limit],
        "total": len(rows),
        "group": group,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("engagement/_participant_panel.html", takes_context=True)
def engagement_participant(context: template.Context, participant: Participant) -> dict[str, Any]:
    membership = context.get("membership")
    if membership is None or not sees_risk(membership):
        return {"show": False}
    rows = selectors.risk_rows(
        participant.enrollments.all(),
        organization_id=participant.organization_id,
        today=timezone.localdate(),
    )
    return {"show": True, "rows": rows, "csrf_token": context.get("csrf_token")}
