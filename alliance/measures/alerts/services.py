"""Writes: the alerts a scored administration raises, missed check-outs, acknowledgements.

A check-out below the program's cutoff, one that fell by the program's drop from his previous
one, and a facilitator rating below its cutoff each raise one alert per administration and
kind; a man who attended a held session without a check-out gets one missed-measure alert per
session. Scheduled measures due or missed are raised by :mod:`alliance.measures.alerts.sweep`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.measures.alerts.zones import raise_zone_alerts
from alliance.measures.configuration.selectors import checkout_every_session, settings_for
from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    Administration,
    Alert,
    AlertKind,
    MeasureSettings,
    Score,
    Status,
)
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, Session, SessionStatus


def _previous_checkout(administration: Administration) -> float | None:
    earlier = (
        Score.objects.filter(
            enrollment_id=administration.enrollment_id,
            instrument_id=CHECKOUT,
            scale_id="total",
            value__isnull=False,
            administration__status=Status.COMPLETE,
        )
        .exclude(administration=administration)
        .filter(administered_on__lte=administration.administered_on)
        .exclude(
            administered_on=administration.administered_on,
            administration_id__gt=administration.pk,
        )
        .order_by("-administered_on", "-administration_id")
        .values_list("value", flat=True)
        .first()
    )
    return earlier


def missed_detail(held_on: dt.date) -> str:
    """What a missed-measure alert says."""
    return f"No check-out for the session of {held_on:%-d %b %Y}, which he attended."


def alert_findings(
    *,
    instrument_id: str,
    administered_on: dt.date,
    total: float | None,
    thresholds: MeasureSettings,
    previous_checkout: float | None,
) -> list[tuple[AlertKind, str]]:
    """Which alerts one scored administration raises, and what each says (no writes): the
    one statement of the alert rules, for :func:`raise_alerts` and
    :func:`alliance.measures.alerts.bulk.raise_alerts_bulk`."""
    if total is None:
        return []
    found: list[tuple[AlertKind, str]] = []
    when = f"on {administered_on:%-d %b %Y}"
    if instrument_id == CHECKOUT:
        cutoff = float(thresholds.checkout_cutoff)
        if total < cutoff:
            found.append(
                (
                    AlertKind.LOW_CHECKOUT,
                    f"Check-out {total:.1f} {when} is below the program's cutoff of {cutoff:g}.",
                )
            )
        drop = float(thresholds.drop_points)
        if previous_checkout is not None and previous_checkout - total >= drop - 1e-9:
            found.append(
                (
                    AlertKind.CHECKOUT_DROP,
                    f"Check-out fell from {previous_checkout:.1f} to {total:.1f} {when} "
                    f"(a drop of {previous_checkout - total:.1f}; the program flags {drop:g}).",
                )
            )
    elif instrument_id == FACILITATOR_RATING:
        cutoff = float(thresholds.low_rating_cutoff)
        if total < cutoff:
            found.append(
                (
                    AlertKind.LOW_FACILITATOR_RATING,
                    f"Facilitator rating {total:.1f} {when} is below the program's cutoff "
                    f"of {cutoff:g}.",
                )
            )
    return found


def raise_alerts(
    administration: Administration, scores: Mapping[str, float | None], *, now: dt.datetime
) -> list[Alert]:
    """Create (or refresh) the alerts one scored administration calls for."""
    if administration.instrument_id not in (CHECKOUT, FACILITATOR_RATING):
        return []
    enrollment = Enrollment.objects.select_related("program").get(pk=administration.enrollment_id)
    thresholds = settings_for(enrollment.program)
    previous = (
        _previous_checkout(administration) if administration.instrument_id == CHECKOUT else None
    )
    alerts = []
    findings = alert_findings(
        instrument_id=administration.instrument_id,
        administered_on=administration.administered_on,
        total=scores.get("total"),
        thresholds=thresholds,
        previous_checkout=previous,
    )
    for kind, detail in findings:
        alert, created = Alert.objects.get_or_create(
            administration=administration,
            kind=kind,
            defaults={
                "enrollment_id": administration.enrollment_id,
                "session": administration.session,
                "detail": detail,
                "created_at": now,
            },
        )
        if not created and alert.acknowledged_at is None and alert.detail != detail:
            alert.detail = detail
            alert.save(update_fields=["detail"])
        alerts.append(alert)
    if administration.session_id is not None:
        # Either half of a session's zone (his safety, the facilitator's rating) may come last.
        alerts += raise_zone_alerts(enrollment=enrollment, settings=thresholds, now=now)
    if administration.instrument_id == CHECKOUT and administration.session_id is not None:
        # The check-out came in after all: the missed-measure alert resolves itself.
        Alert.objects.filter(
            enrollment_id=administration.enrollment_id,
            session_id=administration.session_id,
            kind=AlertKind.MISSED_MEASURE,
            acknowledged_at__isnull=True,
        ).update(acknowledged_at=now)
    return alerts


@transaction.atomic
def flag_missed_checkouts(*, session: Session, now: dt.datetime | None = None) -> list[Alert]:
    """Alert for each man who attended a held session and has no completed check-out for it."""
    now = now or timezone.now()
    session = Session.objects.select_related("group__program").get(pk=session.pk)
    if session.status != SessionStatus.HELD:
        return []
    if not checkout_every_session(session.group.program):
        return []
    attended = Attendance.objects.filter(session=session, mark__in=IN_THE_ROOM).values_list(
        "enrollment_id", flat=True
    )
    done = set(
        Administration.objects.filter(
            session=session, instrument_id=CHECKOUT, status=Status.COMPLETE
        ).values_list("enrollment_id", flat=True)
    )
    alerts = []
    for enrollment_id in attended:
        if enrollment_id in done:
            continue
        alert, _ = Alert.objects.get_or_create(
            enrollment_id=enrollment_id,
            session=session,
            kind=AlertKind.MISSED_MEASURE,
            administration=None,
            defaults={
                "detail": missed_detail(session.held_on),
                "created_at": now,
            },
        )
        alerts.append(alert)
    return alerts


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """Mark an alert as seen; acknowledging twice keeps the first acknowledgement."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = now or timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return locked
