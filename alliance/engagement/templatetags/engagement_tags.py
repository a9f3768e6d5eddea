"""Formatting for the early warning's pages and panels.

The panels' rows come from ``alliance.engagement.panels`` through the owning page's view;
nothing here reads the database or runs the model.
"""

from __future__ import annotations

from django import template

from alliance.core.engagement.bands import band_of
from alliance.core.engagement.outreach import OUTCOME_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def percent(value: float) -> str:
    if 0 < value < 0.005:
        return "<1%"  # "0%" would read as "no chance at all"
    if 0.995 <= value < 1 or value >= 1:
        return ">99%"  # "100%" would read as certain; nothing here is
    return f"{100 * value:.0f}%"


@register.filter
def band_label(name: str) -> str:
    """A band's word ("Elevated") for its stored name; unknown names shown as they are."""
    band = band_of(name)
    return band.label if band else name


@register.filter
def band_advice(name: str) -> str:
    band = band_of(name)
    return band.advice if band else ""


@register.filter
def status_label(status: str) -> str:
    """An outreach status in words ("Action taken"), not its stored value."""
    return STATUS_LABELS.get(status, status)


@register.filter
def outcome_label(outcome: str) -> str:
    """An outreach outcome in words ("Could not reach him")."""
    return OUTCOME_LABELS.get(outcome, outcome or "No outcome recorded")


#: Groups on the model card's fairness tables, in words (never a stored value).
GROUP_LABELS = {
    "court": "Court",
    "probation": "Probation",
    "child_protection": "Child protection involvement",
    "self": "Self-referred",
    "other": "Other referral",
    "under 25": "Under 25",
    "25-34": "25 to 34",
    "35-44": "35 to 44",
    "45 and over": "45 and over",
    "nan": "Age not recorded",
}


@register.filter
def group_label(value: str) -> str:
    """A fairness-table group in words: "Child protection involvement", not a stored value."""
    return GROUP_LABELS.get(str(value), str(value).replace("_", " ").capitalize())
