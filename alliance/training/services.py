"""Writes: training entries, credentials, requirements, observations and credential alerts.

Each write checks its input once and names the field it refuses ("hours: ..."), in one
transaction; django-simple-history records who changed what.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core import fidelity
from alliance.core import training as rules
from alliance.organizations.models import Membership, Organization
from alliance.programs.models import Program, Session
from alliance.training.models import (
    Credential,
    CredentialAlert,
    Kind,
    Observation,
    Preset,
    TrainingEntry,
    TrainingRequirement,
)
from alliance.training.selectors import current_credentials

MAX_DUE_SOON_DAYS = 366
MAX_OBSERVATION_MONTHS = 60


class TrainingError(ValueError):
    """Refused input; the message names the field."""


def _text(name: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TrainingError(f"{name}: this field is required.")
    if len(value) > limit:
        raise TrainingError(f"{name}: at most {limit} characters (got {len(value)}).")
    return value


def organization_today(organization: Organization, now: dt.datetime) -> dt.date:
    return timezone.localdate(now, timezone=zoneinfo.ZoneInfo(organization.time_zone))


@transaction.atomic
def record_training_entry(
    *,
    actor: User,
    person: Membership,
    kind: str,
    topic: str,
    provider: str,
    completed_on: dt.date,
    hours: Decimal,
    evidence_note: str = "",
    now: dt.datetime,
) -> TrainingEntry:
    """One day's completed training (core, continuing education or supervised trainee hours)."""
    if kind not in Kind.values:
        raise TrainingError(f"kind: choose one of {', '.join(Kind.labels)}.")
    topic = _text("topic", topic, 200, required=True)
    provider = _text("provider", provider, 200)
    evidence_note = _text("evidence note", evidence_note, 1000)
    today = organization_today(person.organization, now)
    if completed_on > today:
        raise TrainingError(
            f"date: {completed_on:%-d %b %Y} is in the future; record training once it is done."
        )
    if hours <= 0:
        raise TrainingError("hours: must be more than 0.")
    if hours > rules.MAX_HOURS_PER_ENTRY:
        raise TrainingError(
            "hours: at most 24 in one day's entry; record a longer course day by day."
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise TrainingError("hours: at most two decimals (e.g. 1.5 or 0.75).")
    return TrainingEntry.objects.create(
        organization=person.organization,
        person=person.user,
        kind=kind,
        topic=topic,
        provider=provider,
        completed_on=completed_on,
        hours=hours,
        evidence_note=evidence_note,
        recorded_by=actor,
        recorded_at=now,
    )


@transaction.atomic
def record_credential(
    *,
    actor: User,
    person: Membership,
    name: str,
    issuer: str,
    issued_on: dt.date,
    expires_on: dt.date | None,
    now: dt.datetime,
) -> Credential:
    """A licence or certificate. A renewal is a new record (the old one stays, with its dates)."""
    name = _text("name", name, 120, required=True)
    issuer = _text("issuer", issuer, 200)
    today = organization_today(person.organization, now)
    if issued_on > today:
        raise TrainingError(f"issued on: {issued_on:%-d %b %Y} is in the future.")
    if expires_on is not None and expires_on <= issued_on:
        raise TrainingError(
            f"expires on: must be after the issue date ({issued_on:%-d %b %Y}); "
            "leave it empty if it does not expire."
        )
    return Credential.objects.create(
        organization=person.organization,
        person=person.user,
        name=name,
        issuer=issuer,
        issued_on=issued_on,
        expires_on=expires_on,
        recorded_by=actor,
        recorded_at=now,
    )


@transaction.atomic
def set_training_requirement(
    *,
    actor: User,
    program: Program,
    preset: str,
    figures: rules.Requirement | None = None,
    due_soon_days: int = rules.DEFAULT_DUE_SOON_DAYS,
    now: dt.datetime,
) -> TrainingRequirement:
    """Apply a preset (its figures, cited in ``alliance.core.training.PRESETS``) or, for
    ``custom``, the figures given."""
    if preset not in Preset.values:
        raise TrainingError(f"preset: choose one of {', '.join(Preset.labels)}.")
    if not 0 <= due_soon_days <= MAX_DUE_SOON_DAYS:
        raise TrainingError(f"due soon: give a number of days from 0 to {MAX_DUE_SOON_DAYS}.")
    if preset == Preset.CUSTOM:
        if figures is None:
            raise TrainingError("custom: give the figures.")
        if figures.observation_every_months > MAX_OBSERVATION_MONTHS:
            raise TrainingError(
                f"observation every: at most {MAX_OBSERVATION_MONTHS} months (got "
                f"{figures.observation_every_months})."
            )
        for label, value, limit in (
            ("core hours", figures.core_hours, Decimal(9999)),
            ("trainee hours", figures.trainee_hours, Decimal(9999)),
            ("continuing education", figures.ce_hours_per_year, Decimal(999)),
        ):
            if value > limit:
                raise TrainingError(f"{label}: at most {limit} hours (got {value}).")
        chosen = figures
    elif preset == Preset.NONE:
        chosen = rules.Requirement()
    else:
        chosen = rules.PRESETS[preset].requirement
    requirement, _ = TrainingRequirement.objects.update_or_create(
        program=program,
        defaults={
            "preset": preset,
            "core_hours": chosen.core_hours,
            "trainee_hours": chosen.trainee_hours,
            "ce_hours_per_year": chosen.ce_hours_per_year,
            "observation_every_months": chosen.observation_every_months,
            "due_soon_days": due_soon_days,
            "updated_by": actor,
            "updated_at": now,
        },
    )
    return requirement


@transaction.atomic
def record_observation(
    *,
    actor: User,
    organization: Organization,
    facilitator: User,
    session: Session | None,
    observed_on: dt.date,
    scores: Mapping[str, int | None],
    strengths: str,
    feedback: str,
    follow_up: str,
    checklist: fidelity.Checklist = fidelity.DEFAULT,
    now: dt.datetime,
) -> Observation:
    if facilitator.pk == actor.pk:
        raise TrainingError("facilitator: an observation is of someone else's facilitation.")
    if not Membership.objects.filter(user=facilitator, organization=organization).exists():
        raise TrainingError("facilitator: not a staff member of this organization.")
    today = organization_today(organization, now)
    if observed_on > today:
        raise TrainingError(f"date: {observed_on:%-d %b %Y} is in the future.")
    if session is not None:
        if session.group.program.organization_id != organization.pk:
            raise TrainingError("session: not a session of this organization.")
        if session.held_on != observed_on:
            raise TrainingError(
                f"date: the session was on {session.held_on:%-d %b %Y}, "
                f"not {observed_on:%-d %b %Y}."
            )
    try:
        clean = fidelity.validate_scores(checklist, scores)
    except ValueError as exc:
        raise TrainingError(f"scores: {exc}") from exc
    if not clean:
        raise TrainingError("scores: score at least one item (0, 1 or 2).")
    return Observation.objects.create(
        organization=organization,
        facilitator=facilitator,
        observer=actor,
        session=session,
        observed_on=observed_on,
        checklist=checklist.key,
        checklist_version=checklist.version,
        scores=clean,
        strengths=_text("strengths", strengths, 2000),
        feedback=_text("feedback", feedback, 2000),
        follow_up=_text("follow-up", follow_up, 2000),
        recorded_at=now,
    )


@transaction.atomic
def acknowledge_observation(
    *, observation: Observation, comment: str, now: dt.datetime
) -> Observation:
    """The facilitator says he has read it (and may answer). A second acknowledgement keeps
    the first time and updates his comment."""
    observation.facilitator_comment = _text("comment", comment, 2000)
    if observation.acknowledged_at is None:
        observation.acknowledged_at = now
    observation.save(update_fields=["facilitator_comment", "acknowledged_at"])
    return observation


@dataclass(frozen=True)
class AlertRun:
    checked: int
    raised: list[CredentialAlert]


@transaction.atomic
def raise_credential_alerts(*, now: dt.datetime) -> AlertRun:
    """The daily job: an alert at 60 and 30 days before each credential expires and on the day
    (``core.training.credential_alert_threshold``), once per threshold and expiry date."""
    raised: list[CredentialAlert] = []
    checked = 0
    everyone = Credential.objects.select_related("organization").order_by("person_id", "pk")
    by_person: dict[int, list[Credential]] = {}
    for row in everyone:
        by_person.setdefault(row.person_id, []).append(row)
    # A renewed credential (a newer record of the same name) replaces the old one: no alerts.
    current = [c for rows in by_person.values() for c in current_credentials(rows)]
    today_of: dict[int, dt.date] = {}
    for credential in current:
        if credential.expires_on is None:
            continue
        checked += 1
        if credential.organization_id not in today_of:
            today_of[credential.organization_id] = organization_today(credential.organization, now)
        today = today_of[credential.organization_id]
        threshold = rules.credential_alert_threshold(credential.expires_on, today=today)
        if threshold is None:
            continue
        alert, created = CredentialAlert.objects.get_or_create(
            credential=credential,
            threshold_days=threshold,
            expires_on=credential.expires_on,
            defaults={"raised_on": today},
        )
        if created:
            raised.append(alert)
    return AlertRun(checked=checked, raised=raised)
