"""A man's practice calendar and before/after change, as a small hand-built SVG.

Drawn without matplotlib: a grid of days is quicker to write as rectangles than to render.
Every mark carries a ``<title>`` with its numbers, and the page shows the same in a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from alliance.practice.models import PracticeLog

CELL = 14
WEEKS = 12


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def practice_calendar_svg(logs: Sequence[PracticeLog], *, weeks: int = WEEKS) -> str:
    """Last ``weeks`` weeks ending at his latest log: one square per day, darker = more minutes;
    beside it the mean calm, threat and connection before and after practice."""
    last = max(log.logged_on for log in logs)
    first = last - dt.timedelta(days=last.weekday()) - dt.timedelta(weeks=weeks - 1)
    minutes: dict[dt.date, int] = {}
    for log in logs:
        if log.done and log.logged_on >= first:
            minutes[log.logged_on] = minutes.get(log.logged_on, 0) + log.minutes
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{weeks * CELL + 260}" '
        f'height="{7 * CELL + 40}" aria-labelledby="pc-title">',
        '<title id="pc-title">Practice calendar and change before/after practice</title>',
    ]
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        m = minutes.get(day, 0)
        shade = "#eee" if m == 0 else "#9ecae1" if m < 10 else "#3182bd" if m < 20 else "#08519c"
        x, y = (offset // 7) * CELL, (offset % 7) * CELL + 20
        parts.append(
            f'<rect x="{x}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" fill="{shade}">'
            f"<title>{day:%a %d %b}: {m} min</title></rect>"
        )
    parts.append(f'<text x="0" y="12" font-size="11">{escape(f"Weeks to {last:%d %b %Y}")}</text>')
    x0 = weeks * CELL + 20
    parts.append(f'<text x="{x0}" y="12" font-size="11">Mean before → after (0–10)</text>')
    done = [log for log in logs if log.done]
    for row, (label, name) in enumerate(
        (("Calm", "calm"), ("Threat", "threat"), ("Connection", "connection"))
    ):
        before = _mean([v for log in done if (v := getattr(log, f"{name}_before")) is not None])
        after = _mean([v for log in done if (v := getattr(log, f"{name}_after")) is not None])
        y = 30 + row * 28
        parts.append(f'<text x="{x0}" y="{y + 9}" font-size="11">{label}</text>')
        for k, value in enumerate((before, after)):
            if value is None:
                continue
            width = value * 14
            fill = "#bbb" if k == 0 else "#3182bd"
            word = "before" if k == 0 else "after"
            parts.append(
                f'<rect x="{x0 + 80}" y="{y + k * 11}" width="{width:.1f}" height="9" '
                f'fill="{fill}"><title>{label} {word}: {value:.1f}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts)
