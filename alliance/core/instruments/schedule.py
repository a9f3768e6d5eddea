"""Which scheduled measures are due or missed for one man, from plain data (no database).

The measures app reads a program's schedule, a man's attended sessions and his completed
administrations, and raises the alerts this module decides on
(``alliance.measures.alerts.sweep``); the rules are documented for users in docs/measures.md.

A program's schedule says *when* an instrument is given: at intake, at exit, at session
number N, at the midpoint, or every session. For one man this module turns each entry into
occasions with a date, and compares them with the completed administrations he has:

- **intake**: due from his activation (``started_on``); missed if not done within
  ``grace_days`` (14) of it. Any administration of the instrument marked *intake*, or given
  on or before the deadline, counts.
- **exit**: due from his completion (``ended_on``, status completed only: a man who dropped
  out or was discharged cannot be asked); missed ``grace_days`` after it. An administration
  marked *exit*, or given from ``grace_days`` before completion onwards, counts.
- **session N**: his N-th attended held session (a rolling group has no common session N, so
  it is counted per man). Due on that day, missed once the day has passed. An administration
  tied to that session, or given on that day or after it, counts.
- **midpoint**: session N with N = ceil(required sessions / 2), the program's completion
  criterion. A program without one has no midpoint.
- **every session**: each attended held session; missed once its day has passed, never
  "due" (a reminder every week for every man would drown the alerts that matter). Only an
  administration tied to that session counts.

Each finding carries a ``key`` that is stable from one day to the next, so that a daily sweep
can recognise the alert it raised yesterday.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

#: Days after activation (intake) or completion (exit) before the measure counts as missed.
GRACE_DAYS = 14


class WhenKind(StrEnum):
    INTAKE = "intake"
    EVERY_SESSION = "every_session"
    SESSION_NUMBER = "session_number"
    MIDPOINT = "midpoint"
    EXIT = "exit"


class State(StrEnum):
    DUE = "due"
    MISSED = "missed"


@dataclass(frozen=True)
class Entry:
    """One line of a program's schedule."""

    instrument_id: str
    when: WhenKind
    session_number: int | None = None


@dataclass(frozen=True)
class AttendedSession:
    session_id: int
    held_on: dt.date


@dataclass(frozen=True)
class Done:
    """A completed administration of one of his measures."""

    instrument_id: str
    occasion: str
    administered_on: dt.date
    session_id: int | None = None


@dataclass(frozen=True)
class Man:
    """What the schedule needs to know about one enrollment."""

    enrollment_id: int
    status: str
    started_on: dt.date | None
    ended_on: dt.date | None
    # Held sessions he attended (present or late), in any order.
    attended: Sequence[AttendedSession] = ()
    # The program's completion criterion in sessions; 0 means none (and so no midpoint).
    required_sessions: int = 0


@dataclass(frozen=True)
class Finding:
    enrollment_id: int
    instrument_id: str
    when: WhenKind
    state: State
    due_on: dt.date
    deadline: dt.date
    key: str
    session_id: int | None = None
    session_number: int | None = None


def midpoint_session(required_sessions: int) -> int | None:
    r"""The attended-session number of the midpoint: :math:`\max(1, \lceil r / 2 \rceil)`.

    Parameters
    ----------
    required_sessions
        The program's completion criterion in attended sessions, :math:`r`; 0 or less means
        the program has none.

    Returns
    -------
    int or None
        ``None`` without a completion rule (no midpoint can be named).
    """
    if required_sessions <= 0:
        return None
    return max(1, math.ceil(required_sessions / 2))


def scheduled_findings(
    man: Man,
    schedule: Iterable[Entry],
    done: Iterable[Done],
    *,
    today: dt.date,
    grace_days: int = GRACE_DAYS,
) -> list[Finding]:
    """Every scheduled measure that is due (not yet overdue) or missed for ``man`` on ``today``.

    Parameters
    ----------
    man
        His status, activation and completion days, attended sessions and the program's
        completion criterion.
    schedule
        The program's schedule entries.
    done
        His completed administrations (of any instrument; others are ignored per entry).
    today
        The day to judge on, in the program's time zone.
    grace_days
        Days after activation (intake) or completion (exit) before the measure is missed.

    Returns
    -------
    list of Finding
        One per occasion still owed, in schedule order. Measures that are done, or whose
        occasion has not come yet, are not listed. Only an active or completed man is asked
        for anything.
    """
    if man.status not in ("active", "completed") or man.started_on is None:
        return []
    done_by_instrument: dict[str, list[Done]] = {}
    for d in done:
        done_by_instrument.setdefault(d.instrument_id, []).append(d)
    attended = sorted(man.attended, key=lambda s: (s.held_on, s.session_id))
    grace = dt.timedelta(days=grace_days)
    findings: list[Finding] = []
    for entry in schedule:
        mine = done_by_instrument.get(entry.instrument_id, [])
        findings.extend(_entry_findings(man, entry, mine, attended, today, grace))
    return findings


def _entry_findings(
    man: Man,
    entry: Entry,
    done: list[Done],
    attended: list[AttendedSession],
    today: dt.date,
    grace: dt.timedelta,
) -> list[Finding]:
    base = f"{entry.instrument_id}:{entry.when.value}"
    if entry.when is WhenKind.INTAKE:
        assert man.started_on is not None
        deadline = man.started_on + grace
        if any(d.occasion == "intake" or d.administered_on <= deadline for d in done):
            return []
        return [_finding(man, entry, man.started_on, deadline, today, base)]
    if entry.when is WhenKind.EXIT:
        if man.status != "completed" or man.ended_on is None:
            return []
        deadline = man.ended_on + grace
        earliest = man.ended_on - grace
        if any(d.occasion == "exit" or d.administered_on >= earliest for d in done):
            return []
        return [_finding(man, entry, man.ended_on, deadline, today, base)]
    if entry.when is WhenKind.EVERY_SESSION:
        given = {d.session_id for d in done if d.session_id is not None}
        return [
            _finding(
                man, entry, s.held_on, s.held_on, today, f"{base}:{s.session_id}", s.session_id
            )
            for s in attended
            if s.session_id not in given and s.held_on < today
        ]
    number = (
        entry.session_number
        if entry.when is WhenKind.SESSION_NUMBER
        else midpoint_session(man.required_sessions)
    )
    if number is None or number > len(attended):
        return []
    session = attended[number - 1]
    if any(
        d.session_id == session.session_id or d.administered_on >= session.held_on for d in done
    ):
        return []
    return [
        _finding(
            man,
            entry,
            session.held_on,
            session.held_on,
            today,
            f"{base}:{number}",
            session.session_id,
            number,
        )
    ]


def _finding(
    man: Man,
    entry: Entry,
    due_on: dt.date,
    deadline: dt.date,
    today: dt.date,
    key: str,
    session_id: int | None = None,
    session_number: int | None = None,
) -> Finding:
    return Finding(
        enrollment_id=man.enrollment_id,
        instrument_id=entry.instrument_id,
        when=entry.when,
        state=State.MISSED if today > deadline else State.DUE,
        due_on=due_on,
        deadline=deadline,
        key=key,
        session_id=session_id,
        session_number=session_number,
    )


def describe(finding: Finding, title: str) -> str:
    """The finding in words, for the alert.

    Parameters
    ----------
    finding
        What :func:`scheduled_findings` returned.
    title
        The instrument's title, as staff know it.

    Returns
    -------
    str
        One sentence, e.g. "SCS-SF at intake is due by 20 Jan 2025."
    """
    occasion = {
        WhenKind.INTAKE: "at intake",
        WhenKind.EXIT: "at exit",
        WhenKind.EVERY_SESSION: f"for the session of {finding.due_on:%-d %b %Y}",
        WhenKind.SESSION_NUMBER: f"at his session {finding.session_number} "
        f"({finding.due_on:%-d %b %Y})",
        WhenKind.MIDPOINT: f"at the midpoint, his session {finding.session_number} "
        f"({finding.due_on:%-d %b %Y})",
    }[finding.when]
    if finding.state is State.DUE:
        return f"{title} {occasion} is due by {finding.deadline:%-d %b %Y}."
    if finding.when in (WhenKind.INTAKE, WhenKind.EXIT):
        since = "activation" if finding.when is WhenKind.INTAKE else "completion"
        return (
            f"{title} {occasion} was not done within {(finding.deadline - finding.due_on).days} "
            f"days of his {since} on {finding.due_on:%-d %b %Y}."
        )
    return f"{title} {occasion} was not done."
