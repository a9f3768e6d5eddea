"""Inclusion tags that put practice panels on pages owned by other apps.

Each checks the role itself (membership from the context processor) and costs at most one
query, whatever the number of men or logs.
"""

from __future__ import annotations

from typing import Any

from django import template

from alliance.participants.models import Participant
from alliance.practice.permissions import sees_practice, visible_practices
from alliance.programs.models import Group

register = template.Library()


@register.inclusion_tag("practice/_participant_panel.html", takes_context=True)
def participant_practice(context: template.Context, participant: Participant) -> dict[str, Any]:
    if not sees_practice(context.get("membership")):
        return {"show": False}
    # No query: the participant page is already at its query ceiling; the figures are one
    # click away on his practice page.
    return {"show": True, "participant": participant}


@register.inclusion_tag("practice/_home_panel.html", takes_context=True)
def practice_home(context: template.Context) -> dict[str, Any]:
    return {"show": sees_practice(context.get("membership"))}


@register.inclusion_tag("practice/_group_panel.html", takes_context=True)
def group_homework(context: template.Context, group: Group) -> dict[str, Any]:
    membership = context.get("membership")
    if not sees_practice(membership):
        return {"show": False}
    assert membership is not None
    return {
        "show": True,
        "group": group,
        "csrf_token": context.get("csrf_token"),
        "practices": list(visible_practices(membership).filter(is_active=True)),
    }
