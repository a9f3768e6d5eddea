"""Writes to enrollments: status changes and the stored compliance standing.

Every write runs in one transaction and leaves an attributable trace: an EnrollmentEvent for
status changes, a django-simple-history row for every field change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CheckConstraint
from django.utils import timezone

from alliance.core.compliance import (
    ComplianceAssessment,
    EnrollmentFacts,
    SessionRecord,
    Standing,
    assess_compliance,
)
from alliance.core.enrollment import (
    OPEN_STATUSES,
    DischargeReason,
    EnrollmentStatus,
    TransitionError,
    TransitionRequest,
    check_transition,
    is_reinstatement,
)
from alliance.core.vocabulary import AttendanceMark, ReferralSource
from alliance.participants.models import Enrollment, EnrollmentEvent, GroupAssignment, Participant
from alliance.programs.models import Attendance, CurriculumSession, Group, Program
from alliance.safety.notifications import prepare_partner_notifications


def program_today(enrollment: Enrollment) -> dt.date:
    return timezone.localdate(timezone=enrollment.program.tzinfo)


def core_numbers(program_id: int) -> frozenset[int]:
    return frozenset(
        CurriculumSession.objects.filter(program_id=program_id, is_core=True).values_list(
            "number", flat=True
        )
    )


def session_records(enrollment: Enrollment) -> list[SessionRecord]:
    rows = Attendance.objects.filter(enrollment=enrollment).values_list(
        "session__held_on",
        "mark",
        "minutes_late",
        "session__curriculum_session__number",
        "is_makeup",
    )
    return [
        SessionRecord(
            held_on=held_on,
            mark=AttendanceMark(mark),
            minutes_late=minutes_late,
            curriculum_number=number,
            is_makeup=is_makeup,
        )
        for held_on, mark, minutes_late, number, is_makeup in rows
    ]


def reinstatement_dates(enrollment: Enrollment) -> tuple[dt.date, ...]:
    events = enrollment.events.filter(
        to_status=EnrollmentStatus.ACTIVE,
        from_status__in=[EnrollmentStatus.DISCHARGED, EnrollmentStatus.DROPPED_OUT],
    ).values_list("effective_on", flat=True)
    return tuple(sorted(events))


def assess_enrollment(
    enrollment: Enrollment, *, today: dt.date | None = None, core: frozenset[int] | None = None
) -> ComplianceAssessment | None:
    """The compliance engine's verdict for an enrollment that has started, else ``None``."""
    if enrollment.started_on is None:
        return None
    program = enrollment.program
    policy = program.attendance_policy(core if core is not None else core_numbers(program.pk))
    facts = EnrollmentFacts(
        started_on=enrollment.started_on,
        referral_source=ReferralSource(enrollment.referral_source),
        reinstated_on=reinstatement_dates(enrollment),
    )
    return assess_compliance(
        policy, session_records(enrollment), facts, today=today or program_today(enrollment)
    )


STANDING_FIELDS = ["standing", "standing_reasons", "actions_due", "attended_count"]


def apply_assessment(enrollment: Enrollment, assessment: ComplianceAssessment | None) -> None:
    if assessment is None or enrollment.status != EnrollmentStatus.ACTIVE:
        enrollment.standing = "" if assessment is None else assessment.standing.value
        enrollment.standing_reasons = [] if assessment is None else list(assessment.reasons)
        # Notices are only due for men still in the program; a closed enrollment's letters
        # are handled by the status change that closed it.
        enrollment.actions_due = []
        enrollment.attended_count = 0 if assessment is None else assessment.attended
    else:
        enrollment.standing = assessment.standing.value
        enrollment.standing_reasons = list(assessment.reasons)
        enrollment.actions_due = [asdict(action) for action in assessment.actions_due]
        enrollment.attended_count = assessment.attended


def refresh_standing(enrollment: Enrollment, *, today: dt.date | None = None) -> None:
    """Store the engine's verdict on the enrollment so lists and dashboards can read it."""
    apply_assessment(enrollment, assess_enrollment(enrollment, today=today))
    enrollment.save(update_fields=STANDING_FIELDS)


@transaction.atomic
def change_enrollment_status(
    *,
    actor: User | None,
    enrollment: Enrollment,
    target: EnrollmentStatus,
    effective_on: dt.date,
    reason: str,
    discharge_reason: DischargeReason | None = None,
    group: Group | None = None,
    today: dt.date | None = None,
) -> EnrollmentEvent:
    """Move an enrollment through its lifecycle, refusing invalid moves with a clear message.

    Activation needs a group (the one he will attend). Closing an enrollment ends his group
    assignment; reinstating reopens it in the same group.
    """
    enrollment = (
        Enrollment.objects.select_for_update().select_related("program__site").get(pk=enrollment.pk)
    )
    current = EnrollmentStatus(enrollment.status)
    check_transition(
        TransitionRequest(
            current=current,
            target=target,
            effective_on=effective_on,
            last_change_on=enrollment.status_changed_on,
            reason=reason,
            discharge_reason=discharge_reason,
            reinstatements_used=enrollment.reinstatements,
            reinstatements_allowed=enrollment.program.reinstatements_allowed,
        ),
        today=today or program_today(enrollment),
    )
    if target is EnrollmentStatus.COMPLETED:
        assessment = assess_enrollment(enrollment, today=today)
        if assessment is None or assessment.standing is not Standing.COMPLETED:
            unmet = "; ".join(assessment.reasons) if assessment and assessment.reasons else ""
            raise TransitionError(
                "The completion criteria are not met yet" + (f": {unmet}." if unmet else ".")
            )
    reinstating = is_reinstatement(current, target)
    if target is EnrollmentStatus.ACTIVE and not reinstating:
        if group is None:
            raise TransitionError("group: choose the group he will attend.")
        if group.program_id != enrollment.program_id:
            raise TransitionError("group: the group belongs to another program.")
        GroupAssignment.objects.create(enrollment=enrollment, group=group, starts_on=effective_on)
        enrollment.started_on = effective_on
        enrollment.group = group
    if reinstating:
        enrollment.reinstatements += 1
        enrollment.ended_on = None
        enrollment.discharge_reason = ""
        last = enrollment.assignments.order_by("-starts_on").first()
        if last is not None:
            GroupAssignment.objects.create(
                enrollment=enrollment, group=last.group, starts_on=effective_on
            )
            enrollment.group = last.group
    if target in (
        EnrollmentStatus.COMPLETED,
        EnrollmentStatus.DISCHARGED,
        EnrollmentStatus.DROPPED_OUT,
        EnrollmentStatus.TRANSFERRED,
    ):
        enrollment.ended_on = effective_on
        enrollment.assignments.filter(ends_on__isnull=True).update(ends_on=effective_on)
        if discharge_reason is not None:
            enrollment.discharge_reason = discharge_reason.value
    enrollment.status = target.value
    enrollment.status_changed_on = effective_on
    enrollment.save()
    event = EnrollmentEvent.objects.create(
        enrollment=enrollment,
        from_status=current.value,
        to_status=target.value,
        effective_on=effective_on,
        reason=reason.strip(),
        discharge_reason=discharge_reason.value if discharge_reason else "",
        actor=actor,
    )
    refresh_standing(enrollment, today=today)
    # Drafts only, for the safety worker to confirm; nothing reaches a partner from here.
    prepare_partner_notifications(enrollment=enrollment, target=target, effective_on=effective_on)
    return event


@transaction.atomic
def refer_participant(
    *,
    actor: User | None,
    participant: Participant,
    program: Program,
    referral_source: ReferralSource,
    referred_on: dt.date,
    reason: str = "Referral received",
    **referral: str,
) -> Enrollment:
    """Open an enrollment in the referred state, with its first timeline event."""
    if participant.organization_id != program.organization_id:
        raise TransitionError("program: the program belongs to another organization.")
    if Enrollment.objects.filter(
        participant=participant, program=program, status__in=[s.value for s in OPEN_STATUSES]
    ).exists():
        raise TransitionError("program: he already has an open enrollment in this program.")
    enrollment = Enrollment.objects.create(
        participant=participant,
        program=program,
        referral_source=referral_source.value,
        referred_on=referred_on,
        status=EnrollmentStatus.REFERRED.value,
        status_changed_on=referred_on,
        **referral,
    )
    EnrollmentEvent.objects.create(
        enrollment=enrollment,
        from_status="",
        to_status=EnrollmentStatus.REFERRED.value,
        effective_on=referred_on,
        reason=reason,
        actor=actor,
    )
    return enrollment


def validate_participant(participant: Participant, *, check_unique: bool = True) -> None:
    """The intake record's field and constraint checks (``ValidationError`` names the field).

    ``check_unique=False`` leaves the code's uniqueness to the caller, which checks a whole
    batch in one query (:func:`alliance.participants.bulk.create_participants_bulk`).
    """
    participant.full_clean(validate_unique=check_unique, validate_constraints=check_unique)
    if not check_unique:
        for constraint in Participant._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                constraint.validate(Participant, participant)


@transaction.atomic
def register_referral(
    *,
    actor: User | None,
    participant: Participant,
    program: Program,
    referral_source: ReferralSource,
    referred_on: dt.date,
    **referral: str,
) -> Enrollment:
    """Save a new man's intake record and open his referral, both or neither."""
    participant.organization = program.organization
    validate_participant(participant)
    participant._history_user = actor  # type: ignore[attr-defined]
    participant.save()
    return refer_participant(
        actor=actor,
        participant=participant,
        program=program,
        referral_source=referral_source,
        referred_on=referred_on,
        **referral,
    )
