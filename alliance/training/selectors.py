"""Reads: a person's register and status, the team's statuses, and alerts.

Which requirement applies to whom: a program's requirement applies to the facilitators and
supervisors whose sites include the program's site, and to anyone who facilitates one of its
groups. Other roles keep a register (credentials, training) with no hours required of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from alliance.core import training as rules
from alliance.organizations.models import Membership, Role
from alliance.programs.models import Program
from alliance.training.models import (
    Credential,
    CredentialAlert,
    Kind,
    Observation,
    TrainingEntry,
    TrainingRequirement,
)
from alliance.training.permissions import visible_alerts

SUBJECT_ROLES = frozenset({Role.FACILITATOR, Role.SUPERVISOR})


def requirement_of(row: TrainingRequirement | None) -> rules.Requirement:
    if row is None:
        return rules.Requirement()
    return rules.Requirement(
        core_hours=row.core_hours,
        trainee_hours=row.trainee_hours,
        ce_hours_per_year=row.ce_hours_per_year,
        observation_every_months=row.observation_every_months,
        due_soon_days=row.due_soon_days,
    )


def programs_of(membership: Membership) -> QuerySet[Program]:
    """The programs whose training requirement applies to him."""
    facilitates = Q(groups__facilitators=membership.user_id)
    if membership.role in SUBJECT_ROLES:
        facilitates |= Q(site__in=membership.sites.all())
    return (
        Program.objects.filter(organization=membership.organization)
        .filter(facilitates)
        .select_related("training_requirement")
        .distinct()
        .order_by("name")
    )


def current_credentials(credentials: Iterable[Credential]) -> list[Credential]:
    """The latest record of each credential (by name, ignoring case): a renewal replaces the
    older record, which stays in the register but no longer counts or alerts."""
    latest: dict[str, Credential] = {}
    for credential in credentials:
        key = credential.name.strip().casefold()
        kept = latest.get(key)
        if kept is None or (credential.issued_on, credential.pk) > (kept.issued_on, kept.pk):
            latest[key] = credential
    return sorted(latest.values(), key=lambda c: (c.expires_on or dt.date.max, c.name))


@dataclass(frozen=True)
class ProgramStatus:
    program: Program
    requirement: rules.Requirement
    status: rules.PersonStatus


@dataclass(frozen=True)
class PersonRegister:
    membership: Membership
    entries: Sequence[TrainingEntry]
    credentials: Sequence[Credential]
    current: Sequence[Credential]
    observations: Sequence[Observation]
    by_program: Sequence[ProgramStatus]
    status: rules.PersonStatus
    totals: dict[str, Decimal]
    ce_by_year: Sequence[tuple[int, Decimal]]
    next_observation: dt.date | None


def _core_entries(entries: Iterable[TrainingEntry]) -> list[rules.Entry]:
    return [rules.Entry(rules.EntryKind(e.kind), e.completed_on, e.hours) for e in entries]


def _core_credentials(credentials: Iterable[Credential]) -> list[rules.Credential]:
    return [rules.Credential(c.name, c.expires_on) for c in credentials]


def register(membership: Membership, *, today: dt.date) -> PersonRegister:
    user_id = membership.user_id
    entries = list(TrainingEntry.objects.filter(person_id=user_id).select_related("recorded_by"))
    credentials = list(Credential.objects.filter(person_id=user_id))
    current = current_credentials(credentials)
    observations = list(
        Observation.objects.filter(
            facilitator_id=user_id, organization=membership.organization
        ).select_related("observer", "session__group")
    )
    seen = [o.observed_on for o in observations]
    started = membership.user.date_joined.date()
    core_entries = _core_entries(entries)
    core_credentials = _core_credentials(current)
    by_program = []
    for program in programs_of(membership):
        requirement = requirement_of(getattr(program, "training_requirement", None))
        if requirement.is_empty:
            continue
        by_program.append(
            ProgramStatus(
                program=program,
                requirement=requirement,
                status=rules.evaluate(
                    requirement,
                    entries=core_entries,
                    credentials=core_credentials,
                    observations=seen,
                    started_on=started,
                    today=today,
                ),
            )
        )
    if by_program:
        status = rules.combine(p.status for p in by_program)
    else:
        # No program asks anything of him: his credentials still count.
        status = rules.evaluate(
            rules.Requirement(), entries=core_entries, credentials=core_credentials, today=today
        )
    months = [p.requirement.observation_every_months for p in by_program]
    months = [m for m in months if m]
    next_observation = (
        rules.next_observation_due(min(months), seen, started_on=started) if months else None
    )
    totals = {
        kind: sum((e.hours for e in entries if e.kind == kind), Decimal(0)) for kind in Kind.values
    }
    years: dict[int, Decimal] = {}
    for e in entries:
        if e.kind == Kind.CONTINUING:
            years[e.completed_on.year] = years.get(e.completed_on.year, Decimal(0)) + e.hours
    return PersonRegister(
        membership=membership,
        entries=entries,
        credentials=credentials,
        current=current,
        observations=observations,
        by_program=by_program,
        status=status,
        totals=totals,
        ce_by_year=sorted(years.items(), reverse=True),
        next_observation=next_observation,
    )


@dataclass(frozen=True)
class TeamRow:
    membership: Membership
    status: rules.PersonStatus
    next_observation: dt.date | None
    last_observed: dt.date | None


def team_rows(viewer: Membership, *, today: dt.date) -> list[TeamRow]:
    """Every staff member of the viewer's organization, worst status first."""
    members = (
        Membership.objects.filter(organization=viewer.organization, user__is_active=True)
        .select_related("user", "organization")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    rows = []
    for member in members:
        held = register(member, today=today)
        rows.append(
            TeamRow(
                membership=member,
                status=held.status,
                next_observation=held.next_observation,
                last_observed=max((o.observed_on for o in held.observations), default=None),
            )
        )
    return sorted(rows, key=lambda r: -r.status.status.rank)


def open_alerts(viewer: Membership) -> list[CredentialAlert]:
    """The newest alert of each current credential this user is told about, soonest first.

    An alert stops showing when the credential is renewed (a newer record of the same name)
    or its expiry date changes."""
    alerts = (
        visible_alerts(viewer)
        .select_related("credential__person")
        .order_by("credential_id", "threshold_days")
    )
    by_credential: dict[int, CredentialAlert] = {}
    for alert in alerts:
        if alert.expires_on != alert.credential.expires_on:
            continue
        by_credential.setdefault(alert.credential_id, alert)
    if not by_credential:
        return []
    people = {a.credential.person_id for a in by_credential.values()}
    current_ids = {
        c.pk
        for person in people
        for c in current_credentials(Credential.objects.filter(person_id=person))
    }
    return sorted(
        (a for a in by_credential.values() if a.credential_id in current_ids),
        key=lambda a: (a.expires_on, a.credential.person.get_full_name()),
    )
