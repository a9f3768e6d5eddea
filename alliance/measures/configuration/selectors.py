"""Reads: a program's alert thresholds and measure schedule, with their defaults."""

from __future__ import annotations

from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    MeasureSchedule,
    MeasureSettings,
    When,
)
from alliance.programs.models import Program


def settings_for(program: Program) -> MeasureSettings:
    """The program's thresholds, or the defaults (unsaved) when none were set."""
    found = MeasureSettings.objects.filter(program=program).first()
    return found or MeasureSettings(program=program)


DEFAULT_SCHEDULE = (
    (CHECKOUT, When.EVERY_SESSION, None),
    (FACILITATOR_RATING, When.EVERY_SESSION, None),
    ("scs_sf", When.INTAKE, None),
    ("scs_sf", When.EXIT, None),
)


def schedule_for(program: Program) -> list[MeasureSchedule]:
    """The program's measure schedule; until a manager sets one, the default above."""
    rows = list(MeasureSchedule.objects.filter(program=program))
    if rows:
        return rows
    return [
        MeasureSchedule(program=program, instrument_id=i, when=w, session_number=n)
        for i, w, n in DEFAULT_SCHEDULE
    ]


def checkout_every_session(program: Program) -> bool:
    """Whether the program asks for a check-out at every session (so a missing one is flagged)."""
    return any(
        e.instrument_id == CHECKOUT and e.when == When.EVERY_SESSION for e in schedule_for(program)
    )
