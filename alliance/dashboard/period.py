"""The dashboard's date filter: this month, this quarter, or a custom from–to range.

Read from GET parameters (``period=month|quarter|custom``, ``from``/``to`` as YYYY-MM-DD), so
a filtered dashboard can be bookmarked. A bad value is not guessed at: the page says which
field is wrong and shows this month instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

#: A custom range longer than this is refused (the tiles are for recent work).
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter" or "custom"
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start:%Y}"
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


def this_month(today: dt.date) -> Period:
    return Period("month", today.replace(day=1), today)


def this_quarter(today: dt.date) -> Period:
    first_month = (today.month - 1) // 3 * 3 + 1
    return Period("quarter", dt.date(today.year, first_month, 1), today)


def _date(raw: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise PeriodError(f"{name}: give a date as YYYY-MM-DD (got {raw[:20]!r}).") from None


class PeriodError(ValueError):
    pass


def parse_period(params: Mapping[str, str], *, today: dt.date) -> tuple[Period, str]:
    """The period asked for, and an error message ("" when the request was fine)."""
    kind = params.get("period", "") or "month"
    try:
        if kind == "month":
            return this_month(today), ""
        if kind == "quarter":
            return this_quarter(today), ""
        if kind != "custom":
            raise PeriodError("period: choose this month, this quarter or a custom range.")
        raw_from, raw_to = params.get("from", "").strip(), params.get("to", "").strip()
        if not raw_from or not raw_to:
            missing = "from" if not raw_from else "to"
            raise PeriodError(f"{missing}: a custom range needs both a from and a to date.")
        start, end = _date(raw_from, "from"), _date(raw_to, "to")
        if end < start:
            raise PeriodError("to: the end date is before the start date.")
        if end > today:
            raise PeriodError(f"to: the end date is after today ({today:%-d %b %Y}).")
        if (end - start).days > MAX_DAYS:
            raise PeriodError("from: a custom range can cover at most three years.")
        return Period("custom", start, end), ""
    except PeriodError as exc:
        return this_month(today), f"{exc} Showing this month instead."
