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
    parts.append(f'<text x="0" y="12" font-size="11">{escape(f"Weeks to {last:%-d %b %Y}")}</text>')
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


def completion_by_session_svg(
    group: str, sessions: Sequence[tuple[dt.date, int, int]], *, width: int = 560
) -> str:
    """One group's homework completion by session: a bar per session (share of the group's men
    who logged it as done), the count written above each bar so colour carries nothing alone.

    ``sessions``: (session date, men who did it, men in the group), in date order.
    """
    height, top, bottom, left = 190, 28, 36, 40
    plot_h = height - top - bottom
    n = max(len(sessions), 1)
    slot = (width - left - 10) / n
    bar = max(min(slot * 0.7, 40), 4)
    title = f"Homework done by session, {group}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="12">{escape(title)} (share of its men)</text>',
    ]
    for share in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - share)
        parts.append(
            f'<line x1="{left}" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{share:.0%}</text>"
        )
    for k, (day, done, men) in enumerate(sessions):
        share = done / men if men else 0.0
        x = left + k * slot + (slot - bar) / 2
        h = plot_h * share
        label = f"{day:%d %b}: {done} of {men} men"
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="#3182bd"><title>{escape(label)}</title></rect>'
            f'<text x="{x + bar / 2:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="9" '
            f'text-anchor="middle">{done}/{men}</text>'
        )
        if n <= 12 or k % max(n // 12, 1) == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" font-size="9" '
                f'text-anchor="middle">{day:%d %b}</text>'
            )
    parts.append(f'<text x="{left}" y="{height - 4}" font-size="10">Session date</text></svg>')
    return "".join(parts)


def minutes_against_change_svg(
    points: Sequence[Sequence[float]], *, measure: str, width: int = 520
) -> str:
    """Each man as a point: practice minutes between his first and last score (across) against
    the change in his score (up). A dashed line marks no change. Points only, no ids."""
    height, top, bottom, left, right = 260, 28, 40, 48, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    x_max = max(max(xs, default=0.0), 1.0)
    y_lim = max(max((abs(y) for y in ys), default=0.0), 1.0)

    def px(x: float) -> float:
        return left + plot_w * x / x_max

    def py(y: float) -> float:
        return top + plot_h * (1 - (y + y_lim) / (2 * y_lim))

    title = f"Practice minutes against change in {measure}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="12">{escape(title)} ({len(points)} men)</text>',
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#888"/>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{py(0):.1f}" y2="{py(0):.1f}" '
        'stroke="#888" stroke-dasharray="4 3"/>',
        f'<text x="{left - 4}" y="{top + 8}" font-size="10" text-anchor="end">+{y_lim:.0f}</text>',
        f'<text x="{left - 4}" y="{py(0) + 4:.1f}" font-size="10" text-anchor="end">0</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" font-size="10" text-anchor="end">'
        f"−{y_lim:.0f}</text>",
        f'<text x="{left}" y="{height - 20}" font-size="10">0</text>',
        f'<text x="{left + plot_w}" y="{height - 20}" font-size="10" text-anchor="end">'
        f"{x_max:.0f} min</text>",
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" font-size="10" '
        'text-anchor="middle">Minutes of practice between his first and last score</text>',
        f'<text x="10" y="{top + plot_h / 2:.0f}" font-size="10" text-anchor="middle" '
        f'transform="rotate(-90 10 {top + plot_h / 2:.0f})">Change in score</text>',
    ]
    for x, y in zip(xs, ys, strict=True):
        parts.append(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="none" stroke="#08519c" '
            f'stroke-width="1.5"><title>{x:.0f} min, change {y:+.1f}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
