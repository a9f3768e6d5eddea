"""Build the synthetic demo organization from ``alliance.core.simulate``.

One organization, two sites, three programs, eight groups, about six months of weekly sessions
ending today, and men at every stage (referred, intake, active, completed, discharged, dropped
out, transferred). :mod:`alliance.demo.cohorts` places the simulated men on a calendar; the
later steps (measures, follow-up, engagement, practice, partner safety) each live in their own
module of this package. Every step writes through the services' write paths (the bulk ones
where they exist), so demo rows pass the same validation and leave the same audit trail as
rows a user entered. Product apps never import this package (an import-linter contract).

Nothing here is real: codes, initials and agencies are invented.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from alliance.demo.cohorts import Builder, program_specs
from alliance.demo.competency import add_competencies
from alliance.demo.connection import add_connection
from alliance.demo.court import add_court
from alliance.demo.engagement import add_engagement
from alliance.demo.fees import add_fees, forget_previous_ledger
from alliance.demo.frames import model_defaults
from alliance.demo.identity import add_identities
from alliance.demo.incidents import add_incidents
from alliance.demo.intake import add_intake
from alliance.demo.measures import add_measures
from alliance.demo.outcomes import add_follow_up
from alliance.demo.partner_reports import add_partner_reports
from alliance.demo.pillars import add_facilitator_states
from alliance.demo.practice import add_practice
from alliance.demo.safety import add_partner_safety
from alliance.demo.training import add_training
from alliance.organizations.models import Membership, Organization, Role, Site
from alliance.organizations.twofactor import DEMO_SLUG, enrol_for_demo
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Attendance, Program, Session
from alliance.programs.setup_services import PROGRAM_FIELDS, save_program

__all__ = ["DEMO_SLUG", "DemoRefused", "DemoSummary", "build_demo", "print_logins"]

DEMO_PASSWORD = "alliance-demo"
TIME_ZONE = "America/New_York"

STAFF = [
    # username, first, last, role, sites (by index)
    ("admin", "Olga", "Admin", Role.ORG_ADMIN, []),
    ("manager", "Mona", "Manager", Role.PROGRAM_MANAGER, [0, 1]),
    ("supervisor", "Bob", "Supervisor", Role.SUPERVISOR, [0, 1]),
    ("facilitator", "Alice", "Facilitator", Role.FACILITATOR, [0]),
    ("facilitator2", "Carlos", "Facilitator", Role.FACILITATOR, [0]),
    ("facilitator3", "Dana", "Facilitator", Role.FACILITATOR, [1]),
    ("safety", "Petra", "Safety", Role.PARTNER_SAFETY, [0, 1]),
    ("intake", "Ines", "Intake", Role.INTAKE, [0, 1]),
    ("evaluator", "Eve", "Evaluator", Role.EVALUATOR, [0, 1]),
]


#: Later stages of the demo, in order, each ``f(*, seed, today)`` returning a dataclass of counts.
DEMO_STEPS: tuple[Callable[..., Any], ...] = (
    add_measures,
    add_follow_up,
    add_engagement,
    add_practice,
    add_facilitator_states,
    add_partner_safety,
    add_partner_reports,
    add_court,
    add_identities,
    add_incidents,
    add_competencies,
    add_intake,
    add_fees,
    add_training,
    add_connection,
)


class DemoRefused(RuntimeError):
    """The database holds data that is not the demo's: refuse to overwrite it."""


@dataclass
class DemoSummary:
    logins: list[tuple[str, str, str]]
    participants: int
    enrollments_by_status: dict[str, int]
    sessions: int
    attendance: int
    today: dt.date
    extras: dict[str, int] = field(default_factory=dict)
    #: username → (base32 authenticator secret, a few recovery codes), for the reviewer.
    second_factor: dict[str, tuple[str, list[str]]] = field(default_factory=dict)


def _wipe_previous_demo() -> None:
    slugs = set(Organization.objects.values_list("slug", flat=True))
    if slugs - {DEMO_SLUG}:
        raise DemoRefused(
            "This database holds organizations other than the demo; the demo is only built into "
            "an empty database or a previous demo. Point DATABASE_URL at a new file."
        )
    if slugs:
        forget_previous_ledger()  # the append-only ledger is not flushed (alliance/demo/fees.py)
        call_command("flush", interactive=False, verbosity=0)


def _staff(organization: Organization, sites: list[Site]) -> dict[str, User]:
    user_model = get_user_model()
    users: dict[str, User] = {}
    for username, first, last, role, site_indexes in STAFF:
        user = user_model(
            username=username, first_name=first, last_name=last, email=f"{username}@example.org"
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership = Membership.objects.create(user=user, organization=organization, role=role)
        membership.sites.set([sites[i] for i in site_indexes])
        users[username] = user
    return users


@transaction.atomic
def build_demo(
    *,
    participants: int = 180,
    seed: int = 2026,
    today: dt.date | None = None,
    history_weeks: int = 26,
) -> DemoSummary:
    """Build the demo into the database ``DATABASE_URL`` names (replacing a previous demo)."""
    _wipe_previous_demo()
    rng = np.random.default_rng(seed)
    tz = zoneinfo.ZoneInfo(TIME_ZONE)
    today = today or timezone.localdate(timezone=tz)
    organization = Organization.objects.create(
        name="Riverbend Family Safety Services (demo)", slug=DEMO_SLUG, time_zone=TIME_ZONE
    )
    sites = [
        Site.objects.create(organization=organization, name=name, time_zone=TIME_ZONE)
        for name in ("Northside", "Harbour")
    ]
    users = _staff(organization, sites)
    second_factor = {username: enrol_for_demo(user) for username, user in users.items()}

    builder = Builder(rng=rng, today=today, tz=tz, users=users)
    specs = program_specs(today, history_weeks)
    remaining = participants
    for index, spec in enumerate(specs):
        n = remaining if index == len(specs) - 1 else round(participants * spec.share)
        remaining -= n
        program = save_program(
            actor=None,
            organization=organization,
            values={
                **model_defaults(Program, PROGRAM_FIELDS),
                "name": spec.name,
                "site": sites[spec.site],
                **spec.policy,
            },
        )
        builder.add_program(program, spec, n, history_weeks)
    builder.flush()
    extras: dict[str, int] = {}
    for step in DEMO_STEPS:
        result = step(seed=seed, today=today)
        extras.update({k: v for k, v in dataclasses.asdict(result).items() if isinstance(v, int)})
    counts: dict[str, int] = defaultdict(int)
    for status in Enrollment.objects.values_list("status", flat=True):
        counts[status] += 1
    return DemoSummary(
        logins=[(u, r.label, DEMO_PASSWORD) for u, _, _, r, _ in STAFF],
        participants=Participant.objects.count(),
        enrollments_by_status=dict(counts),
        sessions=Session.objects.count(),
        attendance=Attendance.objects.count(),
        today=today,
        extras=extras,
        second_factor=second_factor,
    )


def print_logins(summary: DemoSummary) -> None:
    print(
        f"\nDemo ready: {summary.participants} men, {summary.sessions} sessions, "
        f"{summary.attendance} attendance marks, today is {summary.today:%A %d %B %Y}."
    )
    print(
        "Enrollments: "
        + ", ".join(
            f"{k.replace('_', ' ')} {v}" for k, v in sorted(summary.enrollments_by_status.items())
        )
    )
    if summary.extras:
        print("Also: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary.extras.items()))
    print("\nDemo logins (every password is the same):")
    for username, role, password in summary.logins:
        print(f"  {username:<14} {role:<24} password: {password}")
    if summary.second_factor:
        print(
            "\nEvery login also asks for a two-factor code. Either add the key below to an "
            "authenticator app,\nrun `alliance totp-code USERNAME` (demo databases only), or "
            "use a one-time recovery code:"
        )
        for username, (secret, codes) in summary.second_factor.items():
            print(f"  {username:<14} key: {secret}  recovery: {' '.join(codes)}")
    print()
