"""The safe-but-not-too-safe map from stored answers, and the alerts its runs raise.

Felt safety is his answer to the check-out item ``checkout_honest``; accountability work is the
facilitator's answer to ``rating_accountability``; both come from complete administrations tied
to a session.  The rules (zones, runs) are :mod:`alliance.core.zones`; this module reads the
answers, applies the program's cutoffs and keeps one alert per man, session and kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from alliance.core.zones import (
    CHALLENGE_ITEM,
    SAFETY_ITEM,
    Zone,
    ZonePoint,
    ZoneThresholds,
    zone_alerts,
    zone_path,
)
from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    Alert,
    AlertKind,
    ItemResponse,
    MeasureSettings,
    Status,
)
from alliance.participants.models import Enrollment
from alliance.programs.models import Session

ALERT_KIND = {Zone.THREAT: AlertKind.THREAT_ZONE, Zone.COMFORT: AlertKind.COMFORT_ZONE}


def zone_thresholds(settings: MeasureSettings) -> ZoneThresholds:
    """A program's stored cutoffs as the core's thresholds."""
    return ZoneThresholds(
        safety_cutoff=float(settings.zone_safety_cutoff),
        challenge_cutoff=float(settings.zone_challenge_cutoff),
        threat_sessions=int(settings.zone_threat_sessions),
        comfort_sessions=int(settings.zone_comfort_sessions),
    )


@dataclass(frozen=True)
class SessionZone:
    """One of his sessions on the map: the session, its place in his path, the point."""

    session_id: int
    held_on: dt.date
    point: ZonePoint


def ratings_by_enrollment(
    enrollment_ids: Iterable[int],
) -> dict[int, dict[int, dict[str, float]]]:
    """``{enrollment: {session: {item: value}}}`` for the two zone items, complete forms only."""
    found: dict[int, dict[int, dict[str, float]]] = {}
    rows = ItemResponse.objects.filter(
        administration__enrollment_id__in=list(enrollment_ids),
        administration__status=Status.COMPLETE,
        administration__session__isnull=False,
        value__isnull=False,
    ).filter(
        item_id__in=[SAFETY_ITEM, CHALLENGE_ITEM],
        administration__instrument_id__in=[CHECKOUT, FACILITATOR_RATING],
    )
    for enrollment_id, session_id, item_id, value in rows.values_list(
        "administration__enrollment_id", "administration__session_id", "item_id", "value"
    ):
        if value is not None:
            found.setdefault(enrollment_id, {}).setdefault(session_id, {})[item_id] = value
    return found


def session_zones(
    ratings: dict[int, dict[str, float]],
    held_on: dict[int, dt.date],
    thresholds: ZoneThresholds,
) -> list[SessionZone]:
    """His path: every session with either rating, in date order, numbered from 1."""
    order = sorted(ratings, key=lambda sid: (held_on[sid], sid))
    path = zone_path(
        [
            (number, ratings[sid].get(SAFETY_ITEM), ratings[sid].get(CHALLENGE_ITEM))
            for number, sid in enumerate(order, start=1)
        ],
        thresholds,
    )
    return [
        SessionZone(session_id=sid, held_on=held_on[sid], point=point)
        for sid, point in zip(order, path, strict=True)
    ]


def enrollment_path(enrollment: Enrollment, settings: MeasureSettings) -> list[SessionZone]:
    ratings = ratings_by_enrollment([enrollment.pk]).get(enrollment.pk, {})
    held_on = dict(Session.objects.filter(pk__in=ratings).values_list("pk", "held_on"))
    return session_zones(ratings, held_on, zone_thresholds(settings))


def raise_zone_alerts(
    *, enrollment: Enrollment, settings: MeasureSettings, now: dt.datetime
) -> list[Alert]:
    """Keep one alert per run the program's cutoffs call for (a rerun adds nothing)."""
    thresholds = zone_thresholds(settings)
    path = enrollment_path(enrollment, settings)
    by_number = {z.point.session_number: z for z in path}
    alerts = []
    for found in zone_alerts([z.point for z in path], thresholds):
        at = by_number[found.session_number]
        alert, _ = Alert.objects.get_or_create(
            enrollment=enrollment,
            session_id=at.session_id,
            kind=ALERT_KIND[found.zone],
            administration=None,
            schedule_key="",
            defaults={
                "detail": f"{found.detail} (session of {at.held_on:%-d %b %Y})",
                "created_at": now,
            },
        )
        alerts.append(alert)
    return alerts
