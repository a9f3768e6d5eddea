"""The connection panel on the man's page: ``{% connection_panel participant %}``.

Included by template tag, not imported, so the participants app does not depend on this one.
Only clinical roles see it (the roles that may open his connection map).
"""

from __future__ import annotations

from typing import Any

from django import template

from alliance.connection.selectors import panel
from alliance.organizations.permissions import CLINICAL_ROLES, membership_of
from alliance.participants.models import Participant

register = template.Library()


@register.inclusion_tag("connection/_participant_panel.html", takes_context=True)
def connection_panel(context: template.Context, participant: Participant) -> dict[str, Any]:
    # The man's page already holds the membership; read it again only where it does not.
    membership = context.get("membership") or membership_of(context["request"].user)
    if membership is None or membership.role not in CLINICAL_ROLES:
        return {"show": False}
    return {"show": True, "participant": participant, "map": panel(participant)}
