"""Demo agencies with reporting clocks, court orders, and documents due and overdue (a demo
step, ``alliance.demo.loader.DEMO_STEPS``).

Three invented agencies, each on a preset from the standards review (Washington-style
probation with a documented 5-day repair window, a Texas-style court reporting monthly by the
10th, a California-style probation office with the State Auditor's 2 business days), and the
organization's default clocks for men referred without an agency. Court-referred and
probation men are spread over the agencies; most get a court order (some tight enough that
the deadline is at risk). Every man the engine finds in breach gets his breach, found a few
days ago, so the queue shows notices due and overdue; a few documents are produced so that
some items are already satisfied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.clocks import PRESETS
from alliance.core.compliance import Standing
from alliance.core.enrollment import EnrollmentStatus
from alliance.core.vocabulary import ReferralSource
from alliance.court import services
from alliance.court.models import Breach, CourtOrder, ProtectiveOrderType
from alliance.organizations.models import Agency, Organization
from alliance.participants.models import Enrollment
from alliance.reports.documents import DocumentRefused, Recipient
from alliance.reports.services import send_enrollment_document

SEED_OFFSET = 29
AGENCIES = [
    # name, kind, preset, repair window days, where the window is allowed
    (
        "Demo County Probation",
        Agency.Kind.PROBATION,
        "washington",
        5,
        "Demo County Probation's written referral agreement (make-up within 5 days)",
    ),
    ("Demo City Family Court", Agency.Kind.COURT, "texas", None, ""),
    ("Demo Harbour Probation", Agency.Kind.PROBATION, "ca_audit", None, ""),
]


@dataclass(frozen=True)
class DemoCourt:
    agencies: int
    court_orders: int
    breaches: int


def _details(preset: str, repair: int | None, basis: str) -> services.ClockDetails:
    rule = PRESETS[preset].rule
    return services.ClockDetails(
        preset=preset,
        enrollment_notice_days=rule.enrollment_notice_days,
        progress_every_weeks=rule.progress_every_weeks,
        progress_monthly_day=rule.progress_monthly_day,
        noncompliance_days=rule.noncompliance_days,
        noncompliance_business_days=rule.noncompliance_business_days,
        closing_notice_days=rule.closing_notice_days,
        repair_window_days=repair,
        repair_window_basis=basis,
    )


@transaction.atomic
def add_court(seed: int, today: dt.date) -> DemoCourt:
    if Agency.objects.exists() or CourtOrder.objects.exists():
        raise RuntimeError("The demo already has agencies and court orders.")
    rng = np.random.default_rng(seed + SEED_OFFSET)
    organization = Organization.objects.get()
    manager = User.objects.get(username="manager")
    intake = User.objects.get(username="intake")
    agencies = [
        services.save_agency(
            actor=manager,
            organization=organization,
            agency=None,
            details=services.AgencyDetails(name=name, kind=kind),
            clock=_details(preset, repair, basis),
        )
        for name, kind, preset, repair, basis in AGENCIES
    ]
    services.save_clock(
        actor=manager,
        organization=organization,
        agency=None,
        details=_details("california", None, ""),
    )
    mandated = list(
        Enrollment.objects.filter(
            referral_source__in=[ReferralSource.COURT, ReferralSource.PROBATION]
        )
        .select_related("program__site", "program__organization")
        .order_by("pk")
    )
    orders = 0
    for enrollment in mandated:
        court = enrollment.referral_source == ReferralSource.COURT
        agency = agencies[1] if court else agencies[0 if rng.random() < 0.6 else 2]
        Enrollment.objects.filter(pk=enrollment.pk).update(
            agency=agency, referral_agency=agency.name
        )
        enrollment.agency = agency
        if rng.random() < 0.8:
            start = enrollment.started_on or enrollment.referred_on
            ordered_on = enrollment.referred_on - dt.timedelta(days=int(rng.integers(7, 30)))
            sessions = int(rng.choice([26, 36, 52]))
            # Most men have ample time; about one in five has a deadline that is tight.
            weeks = sessions + (int(rng.integers(-6, 0)) if rng.random() < 0.2 else 12)
            protective = rng.random() < 0.5
            services.save_court_order(
                actor=intake,
                enrollment=enrollment,
                details=services.OrderDetails(
                    ordered_on=ordered_on,
                    sessions_ordered=sessions,
                    start_by=ordered_on + dt.timedelta(days=42),
                    complete_by=max(start, ordered_on) + dt.timedelta(weeks=weeks),
                    protective_order_type=ProtectiveOrderType.NO_CONTACT if protective else "",
                    protective_order_expires=(
                        today + dt.timedelta(days=int(rng.integers(-20, 400)))
                        if protective
                        else None
                    ),
                    other_conditions="Attend and complete the program; no alcohol."
                    if rng.random() < 0.3
                    else "",
                ),
            )
            orders += 1
    # Breaches found a few days ago (some notices already overdue), through the service.
    breaches = 0
    in_breach = Enrollment.objects.filter(
        status=EnrollmentStatus.ACTIVE, standing=Standing.IN_BREACH
    ).select_related("program__site", "program__organization", "agency")
    for enrollment in in_breach.order_by("pk"):
        if Breach.objects.filter(enrollment=enrollment, resolved_on__isnull=True).exists():
            continue
        found_on = today - dt.timedelta(days=int(rng.integers(1, 12)))
        services.open_breach(enrollment=enrollment, found_on=found_on)
        breaches += 1
    # A few documents already produced, so some clocks are satisfied.
    for enrollment in mandated[::4]:
        fresh = Enrollment.objects.select_related("program__site", "agency").get(pk=enrollment.pk)
        if fresh.status != EnrollmentStatus.ACTIVE or fresh.agency is None:
            continue
        try:
            send_enrollment_document(
                actor=manager,
                enrollment=fresh,
                kind="enrollment_notice",
                recipient=Recipient(
                    kind=fresh.agency.kind
                    if fresh.agency.kind in ("court", "probation")
                    else "other",
                    name="",
                    organization=fresh.agency.name,
                ),
                today=today,
            )
        except DocumentRefused:
            continue
    return DemoCourt(agencies=len(agencies), court_orders=orders, breaches=breaches)
