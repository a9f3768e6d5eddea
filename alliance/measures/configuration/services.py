"""Writes: a program's alert thresholds and measure schedule (managers and admins)."""

from __future__ import annotations

from django.db import transaction

from alliance.core.zones import ZoneThresholds
from alliance.measures.configuration.selectors import schedule_for
from alliance.measures.errors import MeasureError
from alliance.measures.models import MeasureSchedule, MeasureSettings, When
from alliance.measures.registry import definition_for
from alliance.programs.models import Program


@transaction.atomic
def update_measure_settings(
    *, program: Program, checkout_cutoff: float, drop_points: float, low_rating_cutoff: float
) -> MeasureSettings:
    found, _ = MeasureSettings.objects.update_or_create(
        program=program,
        defaults={
            "checkout_cutoff": checkout_cutoff,
            "drop_points": drop_points,
            "low_rating_cutoff": low_rating_cutoff,
        },
    )
    return found


@transaction.atomic
def update_zone_settings(
    *,
    program: Program,
    zone_safety_cutoff: float,
    zone_challenge_cutoff: float,
    zone_threat_sessions: int,
    zone_comfort_sessions: int,
) -> MeasureSettings:
    """Store the safe-but-not-too-safe cutoffs; the other thresholds keep their values."""
    problems = ZoneThresholds(
        safety_cutoff=float(zone_safety_cutoff),
        challenge_cutoff=float(zone_challenge_cutoff),
        threat_sessions=int(zone_threat_sessions),
        comfort_sessions=int(zone_comfort_sessions),
    ).problems()
    if problems:
        raise MeasureError("; ".join(problems))
    found, _ = MeasureSettings.objects.update_or_create(
        program=program,
        defaults={
            "zone_safety_cutoff": zone_safety_cutoff,
            "zone_challenge_cutoff": zone_challenge_cutoff,
            "zone_threat_sessions": zone_threat_sessions,
            "zone_comfort_sessions": zone_comfort_sessions,
        },
    )
    return found


@transaction.atomic
def add_to_schedule(
    *, program: Program, instrument_id: str, when: When, session_number: int | None
) -> MeasureSchedule:
    try:
        definition_for(instrument_id)
    except LookupError as exc:
        raise MeasureError(f"instrument: {exc}") from None
    if (when is When.SESSION_NUMBER) != (session_number is not None):
        raise MeasureError("session_number: give a session number with 'at session number N' only.")
    if not MeasureSchedule.objects.filter(program=program).exists():
        # The first change turns the implicit default into explicit rows, so it is kept.
        for entry in schedule_for(program):
            entry.save()
    entry, _ = MeasureSchedule.objects.get_or_create(
        program=program, instrument_id=instrument_id, when=when, session_number=session_number
    )
    return entry


@transaction.atomic
def remove_from_schedule(*, program: Program, entry_id: int) -> None:
    MeasureSchedule.objects.filter(program=program, pk=entry_id).delete()
