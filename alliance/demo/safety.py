"""Demo partner-safety records (a demo step, ``alliance.demo.loader.DEMO_STEPS``).

A dozen of the demo's men get an invented partner or former partner, with safe-contact
preferences, the releases he signed, a few concerns, a logged contact and, for men whose status
changed in the last fortnight under a release, a prepared notification waiting for the safety
worker's confirmation. Every name, number and address is invented (555-01xx numbers, example.org
addresses). Everything is written through the safety services, as a safety worker would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.enrollment import EnrollmentStatus
from alliance.participants.models import Enrollment
from alliance.safety.models import NotificationKind, PartnerRecord
from alliance.safety.notifications import KIND_OF_STATUS, prepare_partner_notifications
from alliance.safety.services import (
    create_partner_record,
    log_contact,
    raise_concern,
    record_release,
)

SEED_OFFSET = 11
MEN = 12
FIRST_NAMES = ["Alex", "Sam", "Jordan", "Robin", "Casey", "Morgan", "Taylor", "Jamie", "Riley"]
LAST_NAMES = ["Example", "Sample", "Placeholder", "Fictional", "Demo"]


@dataclass(frozen=True)
class ContactPlan:
    """One coherent set of safe-contact preferences: when, how, what never to do, and which
    of her phone and email the program holds (a plan that says "email only" has no phone)."""

    safe_times: str
    safe_methods: str
    cautions: str
    has_phone: bool
    has_email: bool
    method: str  # how the introductory call was made: the plan's own method


CONTACT_PLANS = (
    ContactPlan(
        "Weekdays 10:00-14:00, while he is at work",
        "Text first on her mobile; call only if she replies",
        "Never leave a voicemail",
        has_phone=True,
        has_email=False,
        method="phone",
    ),
    ContactPlan(
        "Tuesday and Thursday mornings, on her work phone",
        "Call her work number and ask for her by first name",
        "Do not say the program's name if someone else answers",
        has_phone=True,
        has_email=False,
        method="phone",
    ),
    ContactPlan(
        "Any day; she reads email at work, not at home",
        "Email only, to her work address",
        "Never phone her and never write to the home address",
        has_phone=False,
        has_email=True,
        method="email",
    ),
)


@dataclass(frozen=True)
class DemoPartnerSafety:
    partner_records: int
    partner_notifications_to_confirm: int


@transaction.atomic
def add_partner_safety(seed: int, today: dt.date) -> DemoPartnerSafety:
    if PartnerRecord.objects.exists():
        raise RuntimeError("The demo already has partner records.")
    rng = np.random.default_rng(seed + SEED_OFFSET)
    worker = User.objects.get(username="safety")
    enrollments = list(
        Enrollment.objects.exclude(status=EnrollmentStatus.REFERRED)
        .select_related("participant__organization", "program")
        .order_by("-status_changed_on", "pk")[: MEN * 2]
    )
    chosen = [enrollments[int(i)] for i in sorted(rng.choice(len(enrollments), MEN, False))]
    pending = 0
    for k, enrollment in enumerate(chosen):
        participant = enrollment.participant
        first = FIRST_NAMES[k % len(FIRST_NAMES)]
        plan = CONTACT_PLANS[k % len(CONTACT_PLANS)]
        record = create_partner_record(
            actor=worker,
            organization=participant.organization,
            participant=participant,
            name=f"{first} {LAST_NAMES[k % len(LAST_NAMES)]}",
            relationship="Former partner" if k % 3 == 0 else "Partner",
            phone=f"555-01{k:02d}" if plan.has_phone else "",
            email=f"{first.lower()}.{k}@example.org" if plan.has_email else "",
            safe_times=plan.safe_times,
            safe_methods=plan.safe_methods,
            cautions=plan.cautions,
        )
        if k % 4 != 3:  # most men signed releases; a few did not, so nothing is prepared
            for kind in NotificationKind:
                record_release(
                    actor=worker,
                    record=record,
                    kind=kind.value,
                    signed_on=enrollment.referred_on,
                    today=today,
                )
        if k % 5 == 1:
            raise_concern(
                actor=worker,
                record=record,
                level=["elevated", "high"][k % 2],
                raised_on=today - dt.timedelta(days=int(rng.integers(1, 30))),
                narrative="She reports he has been texting her late at night despite the order.",
                today=today,
            )
        status = EnrollmentStatus(enrollment.status)
        recent = enrollment.status_changed_on >= today - dt.timedelta(days=14)
        drafts = []
        if recent and status in KIND_OF_STATUS:
            # The drafts the status change would have prepared, had the record existed then.
            drafts = prepare_partner_notifications(
                enrollment=enrollment, target=status, effective_on=enrollment.status_changed_on
            )
            pending += len(drafts)
        if not drafts and k % 2 == 0:
            log_contact(
                actor=worker,
                record=record,
                contacted_on=today - dt.timedelta(days=int(rng.integers(3, 40))),
                method=plan.method,
                message=(
                    "Introductory call: explained the program and what we may tell her."
                    if plan.method == "phone"
                    else "Introductory email: explained the program and what we may tell her."
                ),
                today=today,
            )
    return DemoPartnerSafety(partner_records=MEN, partner_notifications_to_confirm=pending)
