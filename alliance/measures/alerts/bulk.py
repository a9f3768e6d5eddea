"""Bulk write path for alerts: the demo, and any caller that stores many scored forms at once.

The alerts come from the one statement of the rules,
:func:`alliance.measures.alerts.services.alert_findings`, with each man's program's thresholds
(``settings_for``) and his previous check-out (the stored ones and those earlier in the batch,
in the order ``raise_alerts`` uses: by day, then by administration). Missed-measure alerts
follow ``flag_missed_checkouts``: only for programs that ask for a check-out every session.
Every row is checked before anything is written; a row that would repeat an alert already
stored, or in the batch, is refused with its row number and nothing is saved. One
transaction. Alerts have no history; an acknowledgement names who acknowledged it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from alliance.measures.alerts.services import alert_findings, missed_detail
from alliance.measures.alerts.zones import raise_zone_alerts
from alliance.measures.configuration.selectors import checkout_every_session, settings_for
from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    Alert,
    AlertKind,
    MeasureSettings,
    Score,
    Status,
)
from alliance.participants.bulk import BulkRowError, chunks
from alliance.participants.models import Enrollment
from alliance.programs.models import Program


@dataclass(frozen=True)
class Scored:
    """A stored, scored administration whose alerts are to be raised at ``raised_at``.

    ``acknowledged_at``/``acknowledged_by``: for alerts brought in already seen.
    """

    administration_id: int
    enrollment_id: int
    session_id: int | None
    instrument_id: str
    administered_on: dt.date
    total: float | None
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None = None
    acknowledged_by: User | None = None


@dataclass(frozen=True)
class Missed:
    """A held session he attended without a check-out."""

    enrollment_id: int
    session_id: int
    held_on: dt.date
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None = None
    acknowledged_by: User | None = None


def _programs(enrollment_ids: list[int]) -> dict[int, Program]:
    program_of: dict[int, int] = {}
    for chunk in chunks(enrollment_ids):
        program_of.update(Enrollment.objects.filter(pk__in=chunk).values_list("pk", "program_id"))
    programs = Program.objects.in_bulk(set(program_of.values()))
    return {e: programs[p] for e, p in program_of.items()}


def _previous_checkouts(scored: Sequence[Scored]) -> dict[int, float | None]:
    """Each batch check-out's previous check-out total, stored or in the batch."""
    mine = [s for s in scored if s.instrument_id == CHECKOUT]
    ids = {s.administration_id for s in mine}
    totals: dict[int, list[tuple[dt.date, int, float | None]]] = defaultdict(list)
    men = sorted({s.enrollment_id for s in mine})
    for chunk in chunks(men):
        for enrollment_id, day, administration_id, value in Score.objects.filter(
            enrollment_id__in=chunk,
            instrument_id=CHECKOUT,
            scale_id="total",
            value__isnull=False,
            administration__status=Status.COMPLETE,
        ).values_list("enrollment_id", "administered_on", "administration_id", "value"):
            if administration_id not in ids:
                totals[enrollment_id].append((day, administration_id, value))
    for s in mine:
        totals[s.enrollment_id].append((s.administered_on, s.administration_id, s.total))
    previous: dict[int, float | None] = {}
    for rows in totals.values():
        before: float | None = None
        for _, administration_id, value in sorted(rows, key=lambda r: (r[0], r[1])):
            if administration_id in ids:
                previous[administration_id] = before
            if value is not None:
                before = value
    return previous


def _program(programs: dict[int, Program], row: int, enrollment_id: int) -> Program:
    program = programs.get(enrollment_id)
    if program is None:
        raise BulkRowError(f"row {row}: enrollment: no enrollment {enrollment_id}.")
    return program


def _alert(
    raised: Scored | Missed, kind: str, detail: str, administration_id: int | None = None
) -> Alert:
    return Alert(
        enrollment_id=raised.enrollment_id,
        session_id=raised.session_id,
        administration_id=administration_id,
        kind=kind,
        detail=detail,
        created_at=raised.raised_at,
        acknowledged_at=raised.acknowledged_at,
        acknowledged_by=raised.acknowledged_by,
    )


@transaction.atomic
def raise_alerts_bulk(*, scored: Sequence[Scored], missed: Sequence[Missed] = ()) -> list[Alert]:
    """Store the alerts these scored forms and missed check-outs call for; rows are numbered
    scored first, then missed."""
    programs = _programs(
        sorted({s.enrollment_id for s in scored} | {m.enrollment_id for m in missed})
    )
    thresholds: dict[int, MeasureSettings] = {}
    every_session: dict[int, bool] = {}
    previous = _previous_checkouts(scored)
    alerts: list[Alert] = []
    rows: list[int] = []
    for row, s in enumerate(scored, start=1):
        if s.instrument_id not in (CHECKOUT, FACILITATOR_RATING):
            continue
        program = _program(programs, row, s.enrollment_id)
        if program.pk not in thresholds:
            thresholds[program.pk] = settings_for(program)
        findings = alert_findings(
            instrument_id=s.instrument_id,
            administered_on=s.administered_on,
            total=s.total,
            thresholds=thresholds[program.pk],
            previous_checkout=previous.get(s.administration_id),
        )
        for kind, detail in findings:
            rows.append(row)
            alerts.append(_alert(s, kind, detail, administration_id=s.administration_id))
    for row, m in enumerate(missed, start=len(scored) + 1):
        program = _program(programs, row, m.enrollment_id)
        if program.pk not in every_session:
            every_session[program.pk] = checkout_every_session(program)
        if every_session[program.pk]:
            rows.append(row)
            alerts.append(_alert(m, AlertKind.MISSED_MEASURE, missed_detail(m.held_on)))
    _refuse_repeats(alerts, rows)
    created = Alert.objects.bulk_create(alerts, batch_size=2000)
    return created + _zone_alerts(scored, programs, thresholds)


def _zone_alerts(
    scored: Sequence[Scored],
    programs: dict[int, Program],
    thresholds: dict[int, MeasureSettings],
) -> list[Alert]:
    """The safe-but-not-too-safe runs, once per man whose check-outs or ratings arrived."""
    latest: dict[int, dt.datetime] = {}
    for s in scored:
        if s.instrument_id in (CHECKOUT, FACILITATOR_RATING) and s.session_id is not None:
            latest[s.enrollment_id] = max(latest.get(s.enrollment_id, s.raised_at), s.raised_at)
    if not latest:
        return []
    enrollments = Enrollment.objects.in_bulk(list(latest))
    found: list[Alert] = []
    for enrollment_id, now in latest.items():
        program = programs[enrollment_id]
        settings = thresholds.get(program.pk) or settings_for(program)
        found += raise_zone_alerts(
            enrollment=enrollments[enrollment_id], settings=settings, now=now
        )
    return found


def _refuse_repeats(alerts: list[Alert], rows: list[int]) -> None:
    """One alert per administration and kind, and one missed-measure alert per man and session
    (the model's constraints), in the batch and against what is stored."""

    def key(a: Alert) -> tuple[object, ...]:
        if a.administration_id is not None:
            return ("administration", a.administration_id, a.kind)
        return ("session", a.enrollment_id, a.session_id, a.kind)

    seen: dict[tuple[object, ...], int] = {}
    for alert, row in zip(alerts, rows, strict=True):
        k = key(alert)
        if k in seen:
            raise BulkRowError(f"row {row}: {alert.kind}: repeats row {seen[k]} of this batch.")
        seen[k] = row
    stored: set[tuple[object, ...]] = set()
    by_administration = sorted({a.administration_id for a in alerts if a.administration_id})
    for chunk in chunks(by_administration):
        stored.update(
            ("administration", a, k)
            for a, k in Alert.objects.filter(administration_id__in=chunk).values_list(
                "administration_id", "kind"
            )
        )
    men = sorted({a.enrollment_id for a in alerts if a.administration_id is None})
    for chunk in chunks(men):
        stored.update(
            ("session", e, s, k)
            for e, s, k in Alert.objects.filter(
                enrollment_id__in=chunk, administration__isnull=True, kind=AlertKind.MISSED_MEASURE
            ).values_list("enrollment_id", "session_id", "kind")
        )
    for alert, row in zip(alerts, rows, strict=True):
        if key(alert) in stored:
            raise BulkRowError(f"row {row}: {alert.kind}: this alert is already stored.")
