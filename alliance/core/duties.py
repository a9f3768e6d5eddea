"""Clocks of the safety duties: business days for partner notifications, hours for incidents.

Pure: dates and datetimes in, dates and datetimes out. The holidays are the organization's
(``programs.Holiday``), passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection


def add_business_days(start: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The day ``days`` business days after ``start`` (Monday to Friday, not a holiday).

    ``days == 0`` gives ``start`` itself when it is a business day, else the next one, so a
    task prepared on a Saturday with no grace is due on Monday.

    >>> add_business_days(dt.date(2025, 3, 7), 2)  # a Friday
    datetime.date(2025, 3, 11)
    """
    if days < 0:
        raise ValueError("days: cannot be negative.")
    day = start
    while not _is_business_day(day, holidays):
        day += dt.timedelta(days=1)
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if _is_business_day(day, holidays):
            remaining -= 1
    return day


def _is_business_day(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def respond_by(flagged_at: dt.datetime, hours: int) -> dt.datetime:
    """When the first response to an incident flagged at ``flagged_at`` is due."""
    if hours < 0:
        raise ValueError("hours: cannot be negative.")
    return flagged_at + dt.timedelta(hours=hours)


def is_overdue(due: dt.datetime | dt.date | None, now: dt.datetime | dt.date) -> bool:
    """Past due: a datetime clock runs out at its instant, a date clock at the end of its day."""
    if due is None:
        return False
    return bool(now > due)
