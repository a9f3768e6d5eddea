from __future__ import annotations

from django import template

from alliance.core.compliance import STANDING_LABELS
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


@register.filter
def standing_label(standing: str | None) -> str:
    return STANDING_LABELS.get(str(standing or ""), "")


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours and minutes: 150 → "2 h 30 min"."""
    if not minutes:
        return "0 h"
    whole, rest = divmod(int(minutes), 60)
    return f"{whole} h {rest:02d} min" if rest else f"{whole} h"
