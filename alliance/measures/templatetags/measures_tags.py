"""Inclusion tags that put the measures panels on pages owned by other apps.

Each tag checks the user's role itself, so a page that includes it shows nothing clinical to
an evaluator or a partner-safety worker even if the page is later opened to them.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef

from alliance.core.enrollment import OPEN_STATUSES
from alliance.measures import charts, selectors
from alliance.measures.forms import instrument_choices
from alliance.measures.models import FACILITATOR_RATING, KioskPin, Occasion
from alliance.measures.permissions import sees_clinical
from alliance.measures.registry import definition_for
from alliance.measures.services import new_key
from alliance.organizations.models import Role
from alliance.participants.models import Participant
from alliance.programs.models import Session
from alliance.programs.permissions import visible_groups, visible_programs

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def short_item(item_id: str) -> str:
    """``rating_participation`` → ``Participation``."""
    return item_id.split("_", 1)[-1].replace("_", " ").capitalize()


@register.inclusion_tag("measures/_home_alerts.html", takes_context=True)
def measure_alerts(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    membership = context.get("membership")
    if not sees_clinical(membership):
        return {"show": False}
    assert membership is not None
    groups = visible_groups(membership).filter(is_active=True)
    programs = (
        visible_programs(membership).filter(groups__in=groups).distinct()
        if membership.role == Role.FACILITATOR
        else visible_programs(membership)
    )
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "alerts": selectors.open_alerts(membership),
        "groups": list(groups),
        "programs": list(programs),
    }


@register.inclusion_tag("measures/_session_panel.html", takes_context=True)
def session_measures(context: template.Context, session: Session) -> dict[str, Any]:
    request = context["request"]
    if not sees_clinical(context.get("membership")):
        return {"show": False}
    definition = definition_for(FACILITATOR_RATING)
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session": session,
        "rows": [(row, new_key()) for row in selectors.session_measure_rows(session)],
        "items": selectors.item_rows(definition),
        "scale": range(0, 11),
        "kiosks": selectors.open_kiosks(session),
    }


def _trajectory_context(t: selectors.Trajectory) -> dict[str, Any]:
    scale = t.scale
    minimum = t.change.minimum_change if t.change else None
    return {
        "title": t.title,
        "program": t.program,
        "definition": t.definition,
        "points": list(zip(t.days, t.values, strict=True)),
        "change": t.change,
        "minimum": minimum,
        "svg": charts.trajectory_svg(
            title=t.title,
            days=t.days,
            values=t.values,
            range_min=scale.range_min,
            range_max=scale.range_max,
            direction=scale.direction,
            bands=[(b.label, b.min, b.max) for b in scale.bands],
            norms=[(f"{n.name} mean", n.mean) for n in scale.norms if n.mean is not None],
            minimum_change=minimum,
        ),
    }


@register.inclusion_tag("measures/_participant_panel.html", takes_context=True)
def participant_measures(context: template.Context, participant: Participant) -> dict[str, Any]:
    """His alerts, trajectories and the forms to record a measure.

    The participant page has already passed ``access_participant`` for this man; the tag only
    adds the role check (membership from the context processor, so no extra query).
    """
    if not sees_clinical(context.get("membership")):
        return {"show": False}
    # Every enrollment, open or closed, has its releases (a court report often comes after he
    # completed); only open ones get the forms to record a measure.
    every = list(
        participant.enrollments.select_related("program")
        .annotate(has_pin=Exists(KioskPin.objects.filter(enrollment=OuterRef("pk"))))
        .order_by("-referred_on")
    )
    open_statuses = {s.value for s in OPEN_STATUSES}
    enrollments = [e for e in every if e.status in open_statuses]
    return {
        "show": True,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "alerts": selectors.participant_alerts(participant),
        "trajectories": [_trajectory_context(t) for t in selectors.trajectories(participant)],
        "enrollments": enrollments,
        "every_enrollment": every,
        "paper_choices": instrument_choices(),
        "link_choices": instrument_choices(respondent="participant"),
        "occasions": Occasion.choices,
    }
