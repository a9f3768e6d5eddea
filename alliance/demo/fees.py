"""Demo fees (a demo step, ``alliance.demo.loader.DEMO_STEPS``).

Every program charges in US dollars: 50.00 at intake, 25.00 a session (the median fee the Los
Angeles study found) and 15.00 of materials, on a sliding scale whose ceilings are 100 %,
150 %, 200 % and 300 % of the 2025 HHS poverty guideline for the household's size (15,650
for one person plus 5,500 for each further person). About two men in three were assessed at
intake; sessions attended are charged from attendance; payments come in cash, by card, by
cheque, from a third-party payer or as a voucher; one charge was reversed as a mistake; two
hardship waivers were approved by the manager after the intake coordinator asked, and one
waits for a decision. No agency has a fee consequence turned on (the default).
Written through the fees services, as staff would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.fees import AbsenceCharge
from alliance.fees import services
from alliance.fees.models import ChargeKind, LedgerEntry, PaymentMethod
from alliance.fees.selectors import account_balance
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment
from alliance.programs.models import Program

#: 2025 HHS poverty guideline (48 contiguous states), in cents: one person, each further one.
GUIDELINE_FIRST, GUIDELINE_EACH = 1_565_000, 550_000
#: (band, ceiling as % of the guideline or None, % of each fee he pays)
BANDS = (("A", 100, 10), ("B", 150, 25), ("C", 200, 50), ("D", 300, 75), ("E", None, 100))


def scale_csv() -> str:
    lines = ["band,household_size,max_income,fee_percent"]
    for size in range(1, 9):
        guideline = GUIDELINE_FIRST + GUIDELINE_EACH * (size - 1)
        for band, ceiling, percent in BANDS:
            amount = "" if ceiling is None else f"{guideline * ceiling // 100 // 100}"
            lines.append(f"{band},{size},{amount},{percent}")
    return "\n".join(lines) + "\n"


@dataclass
class DemoFees:
    fee_entries: int
    fee_waivers: int


def forget_previous_ledger() -> None:
    """Before a rebuild wipes the demo: the ledger refuses deletion, so its old rows forget
    whose they were (the one change it allows) and cannot attach to the new demo's men."""
    LedgerEntry.objects.filter(enrollment__isnull=False).update(enrollment=None)


@transaction.atomic
def add_fees(seed: int, today: dt.date) -> DemoFees:
    rng = np.random.default_rng(seed + 21)
    users = {
        u.username: u for u in User.objects.filter(username__in=["admin", "manager", "intake"])
    }
    admin, manager, intake = users["admin"], users["manager"], users["intake"]
    organization = Organization.objects.get(memberships__user=admin)
    services.set_currency(actor=admin, organization=organization, currency="USD")
    for program in Program.objects.filter(organization=organization).order_by("pk"):
        services.save_schedule(
            actor=manager,
            program=program,
            intake_fee=5000,
            session_fee=2500,
            materials_fee=1500,
            absences_charged=AbsenceCharge.NONE,
            charge_makeups=False,
        )
        services.load_scale(actor=manager, program=program, text=scale_csv())
    enrollments = list(
        Enrollment.objects.filter(program__organization=organization, started_on__isnull=False)
        .select_related("participant", "program__organization")
        .order_by("pk")
    )
    for enrollment in enrollments:
        if rng.random() < 0.67:
            size = int(rng.integers(1, 6))
            income = int(rng.gamma(2.0, 1_400_000)) + GUIDELINE_EACH * (size - 1)
            services.assess_ability_to_pay(
                actor=intake, enrollment=enrollment, household_income=income, household_size=size
            )
        on = enrollment.started_on
        assert on is not None
        services.post_charge(
            actor=manager,
            enrollment=enrollment,
            charge_kind=ChargeKind.INTAKE,
            on=on,
        )
    for program in Program.objects.filter(organization=organization).order_by("pk"):
        services.generate_session_charges(actor=manager, program=program, through=today)
    methods = list(PaymentMethod)
    waived = pending = 0
    for enrollment in enrollments:
        owed = account_balance(enrollment)
        if owed <= 0:
            continue
        share = float(rng.choice([0.0, 0.3, 0.6, 0.9, 1.0]))
        amount = int(owed * share) // 100 * 100
        if amount > 0:
            method = methods[int(rng.integers(0, len(methods)))]
            on = today - dt.timedelta(days=int(rng.integers(0, 75)))
            started = enrollment.started_on or on
            services.record_payment(
                actor=intake,
                enrollment=enrollment,
                amount=amount,
                method=method,
                on=max(on, started),
                reference=f"{method.value.upper()}-{enrollment.pk:05d}"
                if method is not PaymentMethod.CASH
                else "",
                payer={
                    PaymentMethod.THIRD_PARTY: "County Reentry Fund",
                    PaymentMethod.VOUCHER: "Legal Aid voucher scheme",
                }.get(method, ""),
            )
        owed = account_balance(enrollment)
        if owed >= 5000 and waived < 2:
            waiver = services.request_waiver(
                actor=intake,
                enrollment=enrollment,
                amount=owed // 2 // 100 * 100,
                reason="Lost his job; household on a single benefit.",
            )
            services.decide_waiver(actor=manager, waiver=waiver, approve=True, note="Agreed.")
            waived += 1
        elif owed >= 5000 and pending < 1:
            services.request_waiver(
                actor=intake,
                enrollment=enrollment,
                amount=2500,
                reason="Car repairs this month; asks for one session to be waived.",
            )
            pending += 1
    mistake = next(iter(enrollments), None)
    if mistake is not None:
        wrong = services.post_charge(
            actor=manager,
            enrollment=mistake,
            charge_kind=ChargeKind.OTHER,
            amount=1500,
            on=today,
            memo="Workbook",
        )
        services.reverse_entry(
            actor=manager, entry=wrong, reason="Workbook is included in the materials fee."
        )
    return DemoFees(
        fee_entries=LedgerEntry.objects.filter(
            organization=organization, enrollment__isnull=False
        ).count(),
        fee_waivers=waived + pending,
    )
