"""Reads for court orders, clocks and the due / overdue queue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from alliance.core.clocks import ClockFacts, DueItem, due_items, local_today
from alliance.core.court_order import OrderStatus, assess_order
from alliance.core.enrollment import EnrollmentStatus
from alliance.court.models import Breach, CourtOrder, ReportingClock
from alliance.organizations.models import Agency, Organization
from alliance.participants.models import Enrollment
from alliance.programs.models import Holiday, Session, SessionStatus
from alliance.reports.models import SentDocument

CLOSED = {
    EnrollmentStatus.COMPLETED: "completion",
    EnrollmentStatus.DISCHARGED: "termination",
    EnrollmentStatus.DROPPED_OUT: "termination",
}
#: Statuses whose documents are on a clock (a referral has no notice due yet).
ON_THE_CLOCK = [EnrollmentStatus.ACTIVE, *CLOSED]
#: A closing notice older than this is no longer listed (kept in the log, not the queue).
CLOSED_HORIZON = dt.timedelta(days=120)
#: Holidays further ahead than this cannot move a due date.
HOLIDAY_HORIZON = dt.timedelta(days=400)


def order_of(enrollment: Enrollment) -> CourtOrder | None:
    return CourtOrder.objects.filter(enrollment=enrollment).first()


def order_versions(order: CourtOrder) -> list[object]:
    return list(order.history.select_related("history_user").order_by("-history_date")[:20])


def scheduled_dates(enrollment: Enrollment, today: dt.date) -> list[dt.date]:
    """His group's sessions still to come (today included), cancelled ones left out."""
    if enrollment.group_id is None:
        return []
    return list(
        Session.objects.filter(group_id=enrollment.group_id, held_on__gte=today)
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("held_on", flat=True)
    )


def order_status(enrollment: Enrollment, today: dt.date) -> OrderStatus | None:
    """Where he stands against the court's order today, or None without an order."""
    order = order_of(enrollment)
    if order is None:
        return None
    return assess_order(
        order.terms,
        attended=enrollment.attended_count,
        started_on=enrollment.started_on,
        scheduled=scheduled_dates(enrollment, today),
        today=today,
        completed=enrollment.status == EnrollmentStatus.COMPLETED,
    )


def default_clock(organization: Organization) -> ReportingClock | None:
    return ReportingClock.objects.filter(organization=organization, agency__isnull=True).first()


def clock_for(enrollment: Enrollment) -> ReportingClock | None:
    """His agency's clock; the organization's default when the agency has none (or no agency)."""
    if enrollment.agency_id is not None:
        clock = ReportingClock.objects.filter(agency_id=enrollment.agency_id).first()
        if clock is not None:
            return clock
    return default_clock(enrollment.program.organization)


def has_clocks(organization: Organization) -> bool:
    """Whether any reporting clock (an agency's or the default) is set."""
    return ReportingClock.objects.filter(organization=organization).exists()


def agencies_of(organization: Organization) -> QuerySet[Agency]:
    return Agency.objects.filter(organization=organization).select_related("reporting_clock")


def organization_today(organization: Organization) -> dt.date:
    """Today in the organization's time zone (not the server's, not UTC)."""
    return local_today(timezone.now(), organization.time_zone)


@dataclass(frozen=True)
class QueueRow:
    enrollment: Enrollment
    item: DueItem
    agency: str

    @property
    def overdue(self) -> bool:
        return self.item.overdue


def _notice_trigger(breach: Breach) -> dt.date | None:
    """The breach day when a notice is owed; None when he repaired it within the window."""
    repaired = (
        breach.resolved_on is not None
        and breach.repair_until is not None
        and breach.resolved_on <= breach.repair_until
    )
    return None if repaired else breach.found_on


def due_queue(enrollments: QuerySet[Enrollment], *, today: dt.date) -> list[QueueRow]:
    """Each man × document his agency's clock makes due, overdue first, then by due date.

    A few queries for the whole list: clocks, breaches, sent documents and holidays are
    read once and matched in memory.
    """
    men = list(
        enrollments.filter(status__in=ON_THE_CLOCK)
        .exclude(ended_on__lt=today - CLOSED_HORIZON)
        .select_related("participant", "program__organization", "agency")
    )
    if not men:
        return []
    organizations = {e.program.organization_id for e in men}
    clocks = ReportingClock.objects.filter(organization_id__in=organizations)
    by_agency = {c.agency_id: c for c in clocks if c.agency_id is not None}
    defaults = {c.organization_id: c for c in clocks if c.agency_id is None}
    ids = [e.pk for e in men]
    breaches: dict[int, Breach] = {}
    for spell in Breach.objects.filter(enrollment_id__in=ids).order_by("found_on", "pk"):
        breaches[spell.enrollment_id] = spell  # the latest wins
    zones = {e.pk: e.program.organization.time_zone for e in men}
    sent: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for enrollment_id, kind, sent_at in SentDocument.objects.filter(
        enrollment_id__in=ids
    ).values_list("enrollment_id", "kind", "sent_at"):
        # The day it went out where the program is, like the clock's own days.
        sent[enrollment_id].append((kind, local_today(sent_at, zones[enrollment_id])))
    holidays = set(
        Holiday.objects.filter(
            organization_id__in=organizations,
            day__gte=today - HOLIDAY_HORIZON,
            day__lte=today + HOLIDAY_HORIZON,
        ).values_list("day", flat=True)
    )
    rows: list[QueueRow] = []
    for enrollment in men:
        own = by_agency.get(enrollment.agency_id) if enrollment.agency_id is not None else None
        clock = own or defaults.get(enrollment.program.organization_id)
        if clock is None:
            continue
        breach = breaches.get(enrollment.pk)
        closed_how = CLOSED.get(EnrollmentStatus(enrollment.status), "")
        facts = ClockFacts(
            # The enrollment notice runs from his first day as active (after his intake).
            enrolled_on=enrollment.started_on,
            started_on=enrollment.started_on,
            breach_on=_notice_trigger(breach) if breach is not None else None,
            closed_on=(enrollment.ended_on or enrollment.status_changed_on) if closed_how else None,
            closed_how=closed_how,
            sent=tuple(sent[enrollment.pk]),
        )
        rule = clock.rule
        for item in due_items(rule, facts, today=today, holidays=holidays):
            fixed = breach.notice_due_on if breach is not None else None
            if item.kind == "noncompliance_notice" and breach is not None and fixed is not None:
                # The due date was fixed when the breach was found (repair window included),
                # so a later change to the clock does not move a notice already running.
                item = DueItem(
                    item.kind, item.trigger_on, fixed, today > fixed, breach.repair_until
                )
            agency = enrollment.agency.name if enrollment.agency else enrollment.referral_agency
            rows.append(QueueRow(enrollment, item, agency))
    return sorted(rows, key=lambda r: (not r.overdue, r.item.due_on, r.enrollment.pk))
