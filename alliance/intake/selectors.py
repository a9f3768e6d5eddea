"""What intake pages read: upcoming appointments, men waiting for intake, one enrollment's
intake record, the treatment plan with its goals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from alliance.core.enrollment import OPEN_STATUSES, EnrollmentStatus
from alliance.intake.agreements import SigningState, needing_signature, signing_state
from alliance.intake.models import (
    AppointmentStatus,
    Assessment,
    IntakeAppointment,
    ParticipantDocument,
    Placement,
    RiskScore,
    SignedAgreement,
    TreatmentPlan,
)
from alliance.organizations.models import Membership
from alliance.participants.models import Enrollment, Participant
from alliance.participants.permissions import visible_participants
from alliance.practice.models import PlanGoal


def upcoming_appointments(
    membership: Membership, *, since: dt.datetime
) -> QuerySet[IntakeAppointment]:
    return (
        IntakeAppointment.objects.filter(
            enrollment__participant__in=visible_participants(membership),
            status=AppointmentStatus.SCHEDULED,
            starts_at__gte=since,
        )
        .select_related("enrollment__participant", "enrollment__program", "site", "with_whom")
        .order_by("starts_at", "pk")
    )


def awaiting_intake(membership: Membership) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(
            participant__in=visible_participants(membership),
            status__in=[EnrollmentStatus.REFERRED, EnrollmentStatus.INTAKE],
        )
        .select_related("participant", "program")
        .order_by("referred_on", "pk")
    )


def open_enrollments(membership: Membership) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(
            participant__in=visible_participants(membership), status__in=OPEN_STATUSES
        )
        .select_related("participant", "program")
        .order_by("participant__code", "pk")
    )


def signatures_due(membership: Membership) -> list[SigningState]:
    return needing_signature(open_enrollments(membership))


@dataclass(frozen=True)
class TreatmentPlanView:
    plan: TreatmentPlan | None
    goals: list[PlanGoal]
    placement: Placement | None


def treatment_plan(enrollment: Enrollment) -> TreatmentPlanView:
    plan = TreatmentPlan.objects.filter(enrollment=enrollment).first()
    goals = (
        list(PlanGoal.objects.filter(treatment_plan_link__plan=plan).order_by("review_on", "pk"))
        if plan is not None
        else []
    )
    placement = Placement.objects.filter(enrollment=enrollment).order_by("-decided_on", "-pk")
    return TreatmentPlanView(plan, goals, placement.first())


@dataclass(frozen=True)
class IntakeRecord:
    enrollment: Enrollment
    appointments: list[IntakeAppointment]
    assessment: Assessment | None
    risk_scores: list[RiskScore]
    placements: list[Placement]
    plan: TreatmentPlanView
    signing: SigningState
    agreements: list[SignedAgreement]


def intake_record(enrollment: Enrollment) -> IntakeRecord:
    return IntakeRecord(
        enrollment=enrollment,
        appointments=list(
            IntakeAppointment.objects.filter(enrollment=enrollment).select_related(
                "site", "with_whom"
            )
        ),
        assessment=Assessment.objects.filter(enrollment=enrollment)
        .prefetch_related("collateral_contacts")
        .first(),
        risk_scores=list(RiskScore.objects.filter(enrollment=enrollment)),
        placements=list(Placement.objects.filter(enrollment=enrollment)),
        plan=treatment_plan(enrollment),
        signing=signing_state(enrollment),
        agreements=list(
            SignedAgreement.objects.filter(enrollment=enrollment)
            .select_related("version")
            .defer("pdf", "signature_png")
        ),
    )


def documents_of(participant: Participant) -> QuerySet[ParticipantDocument]:
    # The content is decrypted only on download.
    return ParticipantDocument.objects.filter(participant=participant).defer("content")
