"""Filters that format measures for templates; the panels' data come from
:mod:`alliance.measures.panels`, called by the page's view."""

from __future__ import annotations

from typing import Any

from django import template

from alliance import charts as shared_charts
from alliance.measures import charts
from alliance.measures.models import When
from alliance.measures.registry import DEFINITION_LANGUAGE, definition_for, has_wording
from alliance.measures.statistics.selectors import Trajectory

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def short_item(item_id: str) -> str:
    """``rating_participation`` → ``Participation``."""
    return item_id.split("_", 1)[-1].replace("_", " ").capitalize()


@register.filter
def trajectory_svg(t: Trajectory) -> str:
    """His trajectory on one scale as an SVG picture, with the scale's bands and norm means
    and his reliable-change envelope (see :func:`alliance.measures.charts.trajectory_svg`).

    Drawn by matplotlib from stored numbers and labels kept literal, so the template marks it
    ``|safe``."""
    scale = t.scale
    svg = charts.trajectory_svg(
        title=t.title,
        days=t.days,
        values=t.values,
        range_min=scale.range_min,
        range_max=scale.range_max,
        direction=scale.direction,
        bands=[(b.label, b.min, b.max) for b in scale.bands],
        norms=[(f"{n.name} mean", n.mean) for n in scale.norms if n.mean is not None],
        minimum_change=t.change.minimum_change if t.change else None,
    )
    # The same scores as a table under the chart (D14): the chart's text alternative.
    table = shared_charts.data_table(
        f"{t.title}: scores as a table",
        ["Date", "Score"],
        (
            (f"{day.day} {day:%b %Y}", f"{value:.3g}")
            for day, value in zip(t.days, t.values, strict=True)
        ),
    )
    return shared_charts.with_table(svg, table)


@register.filter
def schedule_label(entry: Any) -> str:
    """A schedule entry in words: "Alliance session check-out: every session" (the title, not
    the instrument id; usability finding D18)."""
    try:
        title = definition_for(entry.instrument_id).title
    except LookupError:
        title = str(entry.instrument_id)
    if entry.when == When.SESSION_NUMBER:
        return f"{title}: at session {entry.session_number}"
    return f"{title}: {entry.get_when_display().lower()}"


@register.filter
def lacks_wording(entry: Any) -> bool:
    """Whether a man's own measure on the schedule has no bundled wording (usability finding
    D2): a phone link or the kiosk cannot ask it, so it comes due and must be entered from a
    paper form."""
    try:
        definition = definition_for(entry.instrument_id)
    except LookupError:
        return False
    return definition.respondent.value == "participant" and not has_wording(
        definition, DEFINITION_LANGUAGE
    )
