"""Writes for court orders, agencies with their clocks, and breaches (one verdict, three
documents).

When the compliance engine first finds a man in breach (``receivers``), `open_breach`:

1. fixes the court notice's due date from his agency's clock: the earlier of the mandatory
   deadline and the end of the program's repair window (the window never delays it); the
   notice then sits in the due / overdue queue with a link to produce it;
2. makes his plain-language letter available (``letters``, printed from his court page);
3. prepares, in the partner-safety compartment, a notification task for each partner whose
   release asks to be told of non-compliance (``safety.notifications``). Nothing about it
   shows outside the compartment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alliance.core.clocks import ClockError, ClockRule, noncompliance_due_on
from alliance.core.compliance import Standing
from alliance.core.court_order import OrderError, OrderTerms, check_terms
from alliance.core.enrollment import EnrollmentStatus
from alliance.court.models import Breach, CourtOrder, ReportingClock
from alliance.court.selectors import HOLIDAY_HORIZON, clock_for
from alliance.organizations.models import Agency, Organization
from alliance.participants.models import Enrollment
from alliance.programs.models import Holiday
from alliance.safety.notifications import prepare_breach_notifications


@dataclass(frozen=True)
class OrderDetails:
    ordered_on: dt.date | None = None
    sessions_ordered: int | None = None
    weeks_ordered: int | None = None
    start_by: dt.date | None = None
    complete_by: dt.date | None = None
    protective_order_type: str = ""
    protective_order_expires: dt.date | None = None
    other_conditions: str = ""


@transaction.atomic
def save_court_order(*, actor: User, enrollment: Enrollment, details: OrderDetails) -> CourtOrder:
    """Record (or amend) the court's order; every version stays in its history."""
    try:
        check_terms(
            OrderTerms(
                sessions_ordered=details.sessions_ordered,
                weeks_ordered=details.weeks_ordered,
                ordered_on=details.ordered_on,
                start_by=details.start_by,
                complete_by=details.complete_by,
                protective_order_type=details.protective_order_type,
                protective_order_expires=details.protective_order_expires,
            )
        )
    except OrderError as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    order = CourtOrder.objects.filter(enrollment=enrollment).first() or CourtOrder(
        enrollment=enrollment
    )
    for name, value in details.__dict__.items():
        setattr(order, name, value.strip() if isinstance(value, str) else value)
    order.updated_by = actor
    order.save()
    return order


@dataclass(frozen=True)
class ClockDetails:
    preset: str = ""
    enrollment_notice_days: int | None = None
    progress_every_weeks: int | None = None
    progress_monthly_day: int | None = None
    noncompliance_days: int | None = None
    noncompliance_business_days: bool = False
    closing_notice_days: int | None = None
    repair_window_days: int | None = None
    repair_window_basis: str = ""

    def rule(self) -> ClockRule:
        try:
            return ClockRule(
                enrollment_notice_days=self.enrollment_notice_days,
                progress_every_weeks=self.progress_every_weeks,
                progress_monthly_day=self.progress_monthly_day,
                noncompliance_days=self.noncompliance_days,
                noncompliance_business_days=self.noncompliance_business_days,
                closing_notice_days=self.closing_notice_days,
                repair_window_days=self.repair_window_days,
            )
        except ClockError as exc:
            raise ValidationError({exc.field: exc.message}) from exc


def _check_clock(details: ClockDetails) -> None:
    details.rule()
    if details.repair_window_days and not details.repair_window_basis.strip():
        raise ValidationError(
            {
                "repair_window_basis": (
                    "say where the agency's standard (or its written agreement) allows a "
                    "repair window before the notice."
                )
            }
        )


def save_clock(
    *,
    actor: User,
    organization: Organization,
    agency: Agency | None,
    details: ClockDetails,
) -> ReportingClock:
    """The agency's clock (or the organization's default with ``agency`` None)."""
    _check_clock(details)
    clock = ReportingClock.objects.filter(organization=organization, agency=agency).first()
    if clock is None:
        clock = ReportingClock(organization=organization, agency=agency)
    for name, value in details.__dict__.items():
        setattr(clock, name, value.strip() if isinstance(value, str) else value)
    if not details.repair_window_days:
        clock.repair_window_basis = ""
    clock.updated_by = actor
    clock.save()
    return clock


@dataclass(frozen=True)
class AgencyDetails:
    name: str
    kind: str
    email: str = ""
    phone: str = ""
    address: str = ""


@transaction.atomic
def save_agency(
    *,
    actor: User,
    organization: Organization,
    agency: Agency | None,
    details: AgencyDetails,
    clock: ClockDetails,
) -> Agency:
    """Add or edit an agency with its clock, in one transaction (both or neither)."""
    name = details.name.strip()
    if not name:
        raise ValidationError({"name": "give the agency's name."})
    if details.kind not in Agency.Kind.values:
        raise ValidationError({"kind": "choose what kind of agency this is."})
    duplicate = Agency.objects.filter(organization=organization, name__iexact=name)
    if agency is not None:
        duplicate = duplicate.exclude(pk=agency.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"an agency called {name!r} already exists."})
    _check_clock(clock)
    if agency is None:
        agency = Agency(organization=organization)
    agency.name = name
    agency.kind = details.kind
    agency.email = details.email.strip()
    agency.phone = details.phone.strip()
    agency.address = details.address.strip()
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as exc:  # a race on the unique name
        raise ValidationError({"name": f"an agency called {name!r} already exists."}) from exc
    save_clock(actor=actor, organization=organization, agency=agency, details=clock)
    return agency


def set_agency_active(*, agency: Agency, active: bool) -> None:
    """Deactivate (or reopen) an agency: its history and clock stay; new referrals skip it."""
    agency.is_active = active
    agency.save(update_fields=["is_active"])


def notice_dates(
    enrollment: Enrollment, found_on: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """(notice due date, repair window end) for a breach found on ``found_on``."""
    clock = clock_for(enrollment)
    if clock is None:
        return None, None
    holidays = set(
        Holiday.objects.filter(
            organization_id=enrollment.program.organization_id,
            day__gte=found_on,
            day__lte=found_on + HOLIDAY_HORIZON,
        ).values_list("day", flat=True)
    )
    return noncompliance_due_on(clock.rule, found_on, holidays)


def open_breach(*, enrollment: Enrollment, found_on: dt.date) -> Breach:
    """The verdict: record the breach, fix the notice's due date, prepare the partner task."""
    due_on, repair_until = notice_dates(enrollment, found_on)
    breach = Breach.objects.create(
        enrollment=enrollment,
        found_on=found_on,
        reasons=list(enrollment.standing_reasons),
        notice_due_on=due_on,
        repair_until=repair_until,
    )
    prepare_breach_notifications(enrollment=enrollment, found_on=found_on)
    return breach


def sync_breach(enrollment: Enrollment, *, today: dt.date) -> Breach | None:
    """Open a breach when the engine first finds him in breach; close it when he is not.

    Called after every stored verdict (``receivers``). A man still in breach keeps the one
    open breach (and its clock); one back in good standing, or no longer active, closes it.
    """
    current = Breach.objects.filter(enrollment=enrollment, resolved_on__isnull=True).first()
    in_breach = (
        enrollment.status == EnrollmentStatus.ACTIVE and enrollment.standing == Standing.IN_BREACH
    )
    if in_breach and current is None:
        return open_breach(enrollment=enrollment, found_on=today)
    if not in_breach and current is not None:
        current.resolved_on = max(today, current.found_on)
        current.save(update_fields=["resolved_on"])
    return current
