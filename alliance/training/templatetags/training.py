"""``{% load training %}``: the status badge and the one-line credential notice for home pages."""

from __future__ import annotations

from typing import Any

from django import template

from alliance.core.training import Status
from alliance.organizations.models import Membership
from alliance.training.permissions import is_team
from alliance.training.selectors import open_alerts

register = template.Library()

_CLASS = {
    Status.COMPLIANT: "good_standing",
    Status.DUE_SOON: "at_limit",
    Status.OVERDUE: "in_breach",
    Status.MISSING: "in_breach",
}


@register.filter
def status_class(status: Status) -> str:
    return _CLASS.get(status, "")


@register.inclusion_tag("training/_notice.html", takes_context=True)
def training_notice(context: Any) -> dict[str, Any]:
    """A line on a landing page when a credential the viewer is told about nears or passed its
    expiry (his own, his supervisees', everyone's for managers). Nothing when there is none."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alerts": [], "hidden": True}
    membership = Membership.objects.filter(user_id=user.pk).select_related("organization").first()
    if membership is None:
        return {"alerts": [], "hidden": True}
    return {
        "alerts": open_alerts(membership),
        "user_id": user.pk,
        "is_team": is_team(membership),
    }
