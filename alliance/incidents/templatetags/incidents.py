"""The one-step flag forms the session page and the man's page include.

Included by template (``{% flag_on_participant participant %}``), not imported, so the
programs and participants apps do not depend on this one.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from alliance.incidents.forms import FlagForm, SessionFlagForm
from alliance.incidents.permissions import flagged_by_me
from alliance.incidents.selectors import session_men
from alliance.organizations.permissions import CLINICAL_ROLES, membership_of
from alliance.participants.models import Participant
from alliance.programs.models import Session

register = template.Library()

#: Receipts shown to the staff member who flagged (the time only, never the content).
RECEIPTS = 5


def _now_local() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


@register.inclusion_tag("incidents/_flag_participant.html", takes_context=True)
def flag_on_participant(context: template.Context, participant: Participant) -> dict[str, Any]:
    user = context["request"].user
    membership = membership_of(user)
    if membership is None or membership.role not in CLINICAL_ROLES:
        return {"show": False}
    sent = list(
        flagged_by_me(user, participant)
        .order_by("-flagged_at")
        .values_list("flagged_at", flat=True)[:RECEIPTS]
    )
    return {
        "show": True,
        "participant": participant,
        "form": FlagForm(initial={"occurred_at": _now_local()}, auto_id="flag_%s"),
        "sent": sent,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("incidents/_flag_session.html", takes_context=True)
def flag_on_session(context: template.Context, session: Session) -> dict[str, Any]:
    membership = membership_of(context["request"].user)
    if membership is None or membership.role not in CLINICAL_ROLES:
        return {"show": False}
    men = session_men(membership, session)
    return {
        "show": bool(men),
        "session": session,
        "form": SessionFlagForm(initial={"occurred_at": _now_local()}, men=men, auto_id="flag_%s"),
        "csrf_token": context.get("csrf_token"),
    }
