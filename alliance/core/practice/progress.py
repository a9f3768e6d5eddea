"""His own progress page: the direction of his check-outs and his practice calendar.

Plain words for him, not scores: the direction compares the mean of his latest check-outs with
the mean of the ones before (:data:`RECENT` each), and calls a difference under
:data:`STEADY_BAND` points "about the same" (an assumption: half the check-out's default
single-session drop alert of 2 points, as in ``alliance.core.partner_reports``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

RECENT = 3
STEADY_BAND = 1.0


class Direction(StrEnum):
    UP = "up"
    STEADY = "steady"
    DOWN = "down"


def checkout_direction(totals_oldest_first: Sequence[float]) -> Direction | None:
    """Up, steady or down: the mean of his last :data:`RECENT` check-outs against the mean of
    up to :data:`RECENT` before them; None with fewer than two check-outs.

    Worked example: 4, 5, 6, 7, 8, 8 → before (4 + 5 + 6) / 3 = 5, latest (7 + 8 + 8) / 3 ≈
    7.67, a rise of 2.67 ≥ 1: up.
    """
    totals = list(totals_oldest_first)
    if len(totals) < 2:
        return None
    recent_n = min(RECENT, len(totals) - 1) if len(totals) < 2 * RECENT else RECENT
    latest = totals[-recent_n:]
    before = totals[:-recent_n][-RECENT:]
    change = sum(latest) / len(latest) - sum(before) / len(before)
    if change >= STEADY_BAND:
        return Direction.UP
    if change <= -STEADY_BAND:
        return Direction.DOWN
    return Direction.STEADY


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    practised: bool
    is_today: bool


def month_weeks(
    year: int, month: int, practised: Iterable[dt.date], *, today: dt.date
) -> list[list[CalendarDay | None]]:
    """The month as weeks Monday to Sunday; None for the days of other months."""
    done = set(practised)
    weeks: list[list[CalendarDay | None]] = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                CalendarDay(day, day in done, day == today) if day.month == month else None
                for day in week
            ]
        )
    return weeks
