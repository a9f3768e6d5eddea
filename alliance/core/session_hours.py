"""Minutes of a session and of a man's time in it, from the times staff recorded.

The compliance engine counts hours as the minutes of the sessions that count as attended,
each capped at the session's length (``alliance.core.compliance``); this module turns the
recorded clock times into those minutes, so that the web app, the importers and the
simulator agree. Pure: no Django, no clock.

A session's length is, in order: its actual start to its actual end, when both were recorded
and the end is later; else the planned length (the curriculum session's, then the
program's). A man's minutes run from when he arrived (else the start, plus his minutes late)
to when he left (else the end), never outside the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

__all__ = ["SessionTimes", "minutes_between", "session_length", "time_in_session"]


def minutes_between(start: time, end: time) -> int:
    """Whole minutes from ``start`` to ``end`` on one day; 0 when ``end`` is not later."""
    day = date(2000, 1, 1)
    seconds = (datetime.combine(day, end) - datetime.combine(day, start)).total_seconds()
    return max(0, int(seconds // 60))


def session_length(
    actual_start: time | None, actual_end: time | None, planned_minutes: int | None
) -> int | None:
    """Minutes the session ran (see the module docstring); ``None`` when nothing says."""
    if actual_start is not None and actual_end is not None:
        ran = minutes_between(actual_start, actual_end)
        if ran > 0:
            return ran
    return planned_minutes if planned_minutes and planned_minutes > 0 else None


@dataclass(frozen=True)
class SessionTimes:
    """His minutes in one session and how long before its end he left."""

    minutes_present: int | None
    minutes_left_early: int


def time_in_session(
    *,
    begins: time,
    length: int | None,
    arrived_at: time | None,
    left_at: time | None,
    minutes_late: int = 0,
) -> SessionTimes:
    """His minutes in a session that began at ``begins`` and ran ``length`` minutes.

    With neither an arrival nor a leaving time, his minutes are the session's less his
    minutes late (``None`` when the length is unknown). Times outside the session are
    clamped to it, so the result never exceeds the length.
    """
    if length is None:
        if arrived_at is not None and left_at is not None:
            return SessionTimes(minutes_between(arrived_at, left_at), 0)
        return SessionTimes(None, 0)
    day = date(2000, 1, 1)
    start = datetime.combine(day, begins)
    end = start + timedelta(minutes=length)
    came = (
        datetime.combine(day, arrived_at) if arrived_at else start + timedelta(minutes=minutes_late)
    )
    went = datetime.combine(day, left_at) if left_at else end
    came = min(max(came, start), end)
    went = min(max(went, start), end)
    present = max(0, int((went - came).total_seconds() // 60))
    early = max(0, int((end - went).total_seconds() // 60)) if left_at else 0
    return SessionTimes(min(present, length), early)
