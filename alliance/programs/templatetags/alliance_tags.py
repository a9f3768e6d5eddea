from __future__ import annotations

from django import template

from alliance.programs.selectors import MARK_LABELS, MARK_SYMBOLS

register = template.Library()


@register.filter
def mark_label(mark: str | None) -> str:
    return MARK_LABELS.get(mark or "", "")


@register.filter
def mark_symbol(mark: str | None) -> str:
    return MARK_SYMBOLS.get(mark or "", "")


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


STANDING_LABELS = {
    "good_standing": "Good standing",
    "at_limit": "At limit",
    "in_breach": "In breach",
    "completed": "Completion criteria met",
}


@register.filter
def standing_label(standing: str | None) -> str:
    return STANDING_LABELS.get(str(standing or ""), "")
