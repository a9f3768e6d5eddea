"""Reads for the safe-but-not-too-safe map: a group's zones by session, a man's path.

The zone rules are :mod:`alliance.core.zones`; the answers are read by
:mod:`alliance.measures.alerts.zones`.  Both pages show men by code only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from alliance.core.zones import ZONE_ORDER, Zone, ZoneThresholds, zone_distribution
from alliance.measures.alerts.zones import (
    SessionZone,
    ratings_by_enrollment,
    session_zones,
    zone_thresholds,
)
from alliance.measures.configuration.selectors import settings_for
from alliance.participants.models import Enrollment
from alliance.programs.models import Group, Session, SessionStatus


@dataclass(frozen=True)
class SessionCount:
    """How many of the group's men were in each zone at one session."""

    session: Session
    counts: list[int]  # in ZONE_ORDER
    unrated: int


@dataclass(frozen=True)
class ManRow:
    code: str
    participant_id: int
    cells: list[Zone | None]  # one per session of the map; None: not both rated
    latest: SessionZone | None


@dataclass(frozen=True)
class GroupZones:
    group: Group
    thresholds: ZoneThresholds
    zones: tuple[Zone, ...]
    sessions: list[Session]
    counts: list[SessionCount]
    men: list[ManRow]


def group_zones(group: Group, *, today: dt.date, last: int = 12) -> GroupZones:
    """The group's last ``last`` held sessions: each man's zone and each session's tally."""
    thresholds = zone_thresholds(settings_for(group.program))
    sessions = list(
        Session.objects.filter(group=group, held_on__lte=today, status=SessionStatus.HELD).order_by(
            "-held_on", "-pk"
        )[:last]
    )
    sessions.reverse()
    enrollments = list(
        Enrollment.objects.filter(assignments__group=group)
        .select_related("participant")
        .distinct()
        .order_by("participant__code")
    )
    ratings = ratings_by_enrollment([e.pk for e in enrollments])
    session_ids = {sid for per in ratings.values() for sid in per}
    held_on = dict(Session.objects.filter(pk__in=session_ids).values_list("pk", "held_on"))
    men: list[ManRow] = []
    for enrollment in enrollments:
        path = session_zones(ratings.get(enrollment.pk, {}), held_on, thresholds)
        at = {z.session_id: z.point.zone for z in path}
        cells = [at.get(s.pk) for s in sessions]
        if not any(s.pk in at for s in sessions):
            continue
        men.append(
            ManRow(
                code=enrollment.participant.code,
                participant_id=enrollment.participant_id,
                cells=cells,
                latest=path[-1] if path else None,
            )
        )
    counts = []
    for index, session in enumerate(sessions):
        tally = zone_distribution([m.cells[index] for m in men])
        counts.append(
            SessionCount(
                session=session, counts=[tally[z] for z in ZONE_ORDER], unrated=tally[None]
            )
        )
    return GroupZones(
        group=group,
        thresholds=thresholds,
        zones=ZONE_ORDER,
        sessions=sessions,
        counts=counts,
        men=men,
    )


@dataclass(frozen=True)
class ZoneTrack:
    """One enrollment's path, for his page."""

    enrollment: Enrollment
    thresholds: ZoneThresholds
    path: list[SessionZone]


def participant_zones(enrollments: Sequence[Enrollment]) -> list[ZoneTrack]:
    """His path in each of ``enrollments`` (with their programs) that has any zone rating.

    One query when he has no rating; the panel hands over the enrollments it already read."""
    ratings = ratings_by_enrollment([e.pk for e in enrollments])
    if not ratings:
        return []
    session_ids = {sid for per in ratings.values() for sid in per}
    held_on = dict(Session.objects.filter(pk__in=session_ids).values_list("pk", "held_on"))
    tracks = []
    for enrollment in enrollments:
        if enrollment.pk not in ratings:
            continue
        thresholds = zone_thresholds(settings_for(enrollment.program))
        tracks.append(
            ZoneTrack(
                enrollment=enrollment,
                thresholds=thresholds,
                path=session_zones(ratings[enrollment.pk], held_on, thresholds),
            )
        )
    return tracks
