"""Intake writes: appointments, the assessment, collateral contacts, risk scores, placement and
the treatment plan. Each is one transaction; bad input raises :class:`IntakeError` naming the
field, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.history import set_history_user
from alliance.intake.models import (
    AppointmentStatus,
    Assessment,
    CollateralContact,
    CollateralSource,
    IntakeAppointment,
    Level,
    Placement,
    RiskScore,
    TreatmentPlan,
    TreatmentPlanGoal,
)
from alliance.organizations.models import Site
from alliance.participants.models import Enrollment, Participant
from alliance.practice.models import PlanGoal
from alliance.practice.services import add_plan_goal

#: The assessment's fields a form may write (everything but keys and who/when).
ASSESSMENT_FIELDS = (
    "violence_history",
    "most_recent_incident",
    "threats",
    "threats_notes",
    "weapons_access",
    "weapons_notes",
    "strangulation",
    "strangulation_notes",
    "stalking",
    "stalking_notes",
    "substance_use",
    "substance_notes",
    "mental_health_notes",
    "prior_treatment_notes",
    "children_in_home",
    "children_notes",
    "protective_order",
    "protective_order_notes",
    "summary",
    "completed_on",
)


class IntakeError(ValueError):
    """Refused input; the message names the field and is shown to the user."""


@transaction.atomic
def schedule_appointment(
    *,
    actor: User,
    enrollment: Enrollment,
    starts_at: dt.datetime,
    site: Site,
    with_whom: User | None,
) -> IntakeAppointment:
    if site.organization_id != enrollment.program.organization_id:
        raise IntakeError("Site: not a site of this program's organization.")
    if timezone.is_naive(starts_at):
        raise IntakeError("Date and time: give a full date and time.")
    appointment = IntakeAppointment(
        enrollment=enrollment, starts_at=starts_at, site=site, with_whom=with_whom, created_by=actor
    )
    set_history_user(appointment, actor)
    appointment.save()
    return appointment


@transaction.atomic
def set_appointment_status(
    *, actor: User, appointment: IntakeAppointment, status: str
) -> IntakeAppointment:
    if status not in AppointmentStatus.values:
        raise IntakeError(f"Status: choose one of {', '.join(AppointmentStatus.values)}.")
    appointment = IntakeAppointment.objects.select_for_update().get(pk=appointment.pk)
    appointment.status = status
    set_history_user(appointment, actor)
    appointment.save(update_fields=["status"])
    return appointment


@transaction.atomic
def save_assessment(
    *, actor: User, enrollment: Enrollment, values: dict[str, Any], now: dt.datetime
) -> Assessment:
    """Create or update the structured assessment; each save is a version in its history."""
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise IntakeError(f"Unknown assessment fields: {', '.join(sorted(unknown))}.")
    assessment = Assessment.objects.select_for_update().filter(
        enrollment=enrollment
    ).first() or Assessment(enrollment=enrollment, updated_at=now)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.updated_by = actor
    assessment.updated_at = now
    set_history_user(assessment, actor)
    assessment.full_clean(exclude=["enrollment", "updated_by"])
    assessment.save()
    return assessment


@transaction.atomic
def add_collateral_contact(
    *,
    actor: User,
    enrollment: Enrollment,
    source: str,
    contacted_on: dt.date,
    what_they_said: str,
    now: dt.datetime,
) -> CollateralContact:
    if source not in CollateralSource.values:
        raise IntakeError("Source: choose one of the listed sources.")
    text = what_they_said.strip()
    if not text:
        raise IntakeError("What they said: write what the source said (or that it said nothing).")
    if len(text) > CollateralContact._meta.get_field("what_they_said").max_length:  # type: ignore[operator]
        raise IntakeError("What they said: keep it under 1,000 characters.")
    assessment = Assessment.objects.filter(enrollment=enrollment).first()
    if assessment is None:
        assessment = save_assessment(actor=actor, enrollment=enrollment, values={}, now=now)
    return CollateralContact.objects.create(
        assessment=assessment,
        source=source,
        contacted_on=contacted_on,
        what_they_said=text,
        recorded_by=actor,
        recorded_at=now,
    )


@transaction.atomic
def record_risk_score(
    *,
    actor: User,
    enrollment: Enrollment,
    instrument: str,
    instrument_version: str,
    score: Decimal,
    band: str,
    assessor: str,
    assessed_on: dt.date,
    now: dt.datetime,
) -> RiskScore:
    """Keep the score, and copy the most recent one to ``Participant.risk_*``.

    The participant's fields stay the one current score that the research export and the
    dropout model read (and that caseload imports fill); this table keeps every score.
    """
    if not instrument.strip():
        raise IntakeError("Instrument: name the instrument (for example ODARA or DVSI-R).")
    if not assessor.strip():
        raise IntakeError("Assessor: name the trained assessor who scored it.")
    if score < 0 or score >= Decimal("10000"):
        raise IntakeError("Score: a number from 0 to 9999.99.")
    row = RiskScore.objects.create(
        enrollment=enrollment,
        instrument=instrument.strip()[:64],
        instrument_version=instrument_version.strip()[:32],
        score=score,
        band=band.strip()[:32],
        assessor=assessor.strip()[:120],
        assessed_on=assessed_on,
        recorded_by=actor,
        recorded_at=now,
    )
    latest = (
        RiskScore.objects.filter(enrollment__participant_id=enrollment.participant_id)
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if latest is not None and latest.pk == row.pk:
        participant = Participant.objects.select_for_update().get(pk=enrollment.participant_id)
        participant.risk_tool = row.instrument
        participant.risk_tool_version = row.instrument_version
        participant.risk_score = row.score
        participant.risk_band = row.band
        participant.risk_assessed_on = row.assessed_on
        participant.risk_assessor = row.assessor
        set_history_user(participant, actor)
        participant.save()
    return row


@transaction.atomic
def place_enrollment(
    *,
    actor: User,
    enrollment: Enrollment,
    level: str,
    reason: str,
    decided_on: dt.date,
    now: dt.datetime,
) -> Placement:
    if level not in Level.values:
        raise IntakeError("Level: choose one of the listed levels.")
    if not reason.strip():
        raise IntakeError("Reason: say why this level (risk, needs, responsivity).")
    if len(reason.strip()) > 1000:
        raise IntakeError("Reason: keep it under 1,000 characters.")
    return Placement.objects.create(
        enrollment=enrollment,
        level=level,
        reason=reason.strip(),
        decided_on=decided_on,
        decided_by=actor,
        recorded_at=now,
    )


@transaction.atomic
def save_treatment_plan(
    *,
    actor: User,
    enrollment: Enrollment,
    focus: str,
    written_on: dt.date,
    review_on: dt.date,
) -> TreatmentPlan:
    if review_on <= written_on:
        raise IntakeError("Review date: must come after the date the plan was written.")
    if len(focus) > 2000:
        raise IntakeError("Focus: keep it under 2,000 characters.")
    plan = TreatmentPlan.objects.select_for_update().filter(enrollment=enrollment).first()
    if plan is None:
        plan = TreatmentPlan(enrollment=enrollment)
    plan.focus = focus.strip()
    plan.written_on = written_on
    plan.review_on = review_on
    plan.written_by = actor
    set_history_user(plan, actor)
    plan.save()
    return plan


@transaction.atomic
def add_treatment_goal(
    *, actor: User, plan: TreatmentPlan, goal: str, review_on: dt.date, now: dt.datetime
) -> PlanGoal:
    """A goal of the treatment plan, written into his accountability plan (``practice``)."""
    text = goal.strip()
    if not text:
        raise IntakeError("Goal: write a measurable behavioural goal.")
    if len(text) > 300:
        raise IntakeError("Goal: keep it under 300 characters.")
    if review_on < plan.written_on:
        raise IntakeError("Goal review date: must not come before the plan was written.")
    row = add_plan_goal(
        actor=actor, enrollment=plan.enrollment, goal=text, review_on=review_on, now=now
    )
    TreatmentPlanGoal.objects.create(plan=plan, goal=row)
    return row
