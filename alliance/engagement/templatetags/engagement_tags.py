"""Formatting for the early warning's pages and panels.

The panels' rows come from ``alliance.engagement.panels`` through the owning page's view;
nothing here reads the database or runs the model.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float) -> str:
    if 0 < value < 0.005:
        return "<1%"  # "0%" would read as "no chance at all"
    return f"{100 * value:.0f}%"
