"""Demo identities (a demo step, ``alliance.demo.loader.DEMO_STEPS``).

Every demo man gets an identity in the vault, written through ``identity.services`` as the
intake coordinator would. Every value is plainly invented: surnames from a fixed list of words
that are not family names ("Example", "Placeholder", ...), dates of birth drawn at random,
555-01xx phone numbers (the fiction range, in Ottawa's 613 area so they pass the check a real
number must pass), example.org addresses, and docket numbers that start with DEMO. A few men
agreed to texts; the demo's texts go to the in-memory backend, never to a phone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from alliance.identity.models import ParticipantIdentity
from alliance.identity.services import IdentityDetails, save_identity
from alliance.participants.models import Participant
from alliance.sms.services import record_agreement

SEED_OFFSET = 13
FIRST_NAMES = [
    "Adam", "Ben", "Chris", "Dev", "Eli", "Femi", "Gus", "Hugo", "Ivan", "Jon", "Kofi", "Luis",
    "Marco", "Nate", "Omar", "Pete", "Raj", "Sol", "Theo", "Umar", "Vic", "Wes", "Yusuf", "Zack",
]  # fmt: skip
LAST_NAMES = [
    "Example", "Sample", "Placeholder", "Fictional", "Demo", "Synthetic", "Invented", "Madeup",
    "Testcase", "Pretend", "Mockup", "Notreal",
]  # fmt: skip
COURTS = ["Demo County Superior Court", "Demo City Municipal Court"]
OFFICERS = ["Officer Demo North", "Officer Demo Harbour", "Officer Demo Central"]


@dataclass(frozen=True)
class DemoIdentities:
    identities: int


@transaction.atomic
def add_identities(seed: int, today: dt.date) -> DemoIdentities:
    if ParticipantIdentity.objects.exists():
        raise RuntimeError("The demo already has identities.")
    rng = np.random.default_rng(seed + SEED_OFFSET)
    intake = User.objects.get(username="intake")
    men = list(Participant.objects.order_by("pk").prefetch_related("enrollments__agency"))
    for number, man in enumerate(men, start=1):
        first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
        last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
        age_days = int(rng.integers(20 * 365, 60 * 365))
        agency = next((e.agency for e in man.enrollments.all() if e.agency is not None), None)
        officer = OFFICERS[number % len(OFFICERS)]
        save_identity(
            actor=intake,
            participant=man,
            details=IdentityDetails(
                legal_first_name=first,
                legal_last_name=last,
                date_of_birth=today - dt.timedelta(days=age_days),
                phone=f"613-555-01{number % 100:02d}",
                email=f"{first.lower()}.{last.lower()}.{number}@example.org",
                address=f"{number} Example Street\nDemo Town",
                docket_number=f"DEMO-CR-{today.year - int(rng.integers(0, 2))}-{number:06d}",
                court=COURTS[number % len(COURTS)],
                officer_name=officer,
                officer_email=f"{officer.lower().replace(' ', '.')}@example.org",
                agency=agency,
            ),
            today=today,
        )
    # Every fifth man agreed to texts (recorded by the intake coordinator).
    with override_settings(SMS_BACKEND="locmem"):
        for man in men[::5]:
            record_agreement(actor=intake, participant=man, now=timezone.now())
    return DemoIdentities(identities=len(men))
