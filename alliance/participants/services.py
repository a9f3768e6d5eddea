"""Writes to enrollments: status changes and the stored compliance standing.

Every write runs in one transaction and leaves an attributable trace: an EnrollmentEvent for
status changes, a django-simple-history row for every field change.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CheckConstraint, QuerySet, Subquery
from django.utils import timezone

from alliance.core.compliance import (
    IN_THE_ROOM,
    ComplianceAssessment,
    Counted,
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
from alliance.core.session_hours import session_length, time_in_session
from alliance.core.vocabulary import AttendanceMark, Departure, ReferralSource
from alliance.fees.policy import completion_blocked
from alliance.history import set_history_user
from alliance.participants.models import (
    CompetencySignOff,
    Enrollment,
    EnrollmentEvent,
    GroupAssignment,
    LeaveOfAbsence,
    Participant,
    SignOffStatus,
)
from alliance.programs.competencies import required_competencies, required_competencies_by_program
from alliance.programs.models import (
    Attendance,
    CurriculumSession,
    Group,
    Program,
    SessionStatus,
)
from alliance.safety.notifications import prepare_partner_notifications


def program_today(enrollment: Enrollment) -> dt.date:
    return timezone.localdate(timezone=enrollment.program.tzinfo)


def core_numbers(program_id: int, group_id: int | None = None) -> frozenset[int]:
    """Core session numbers of the curriculum version ``group_id`` started with (without a
    group: the program's current version). One query either way.

    A man is held to the version his group started with (docs/programs.md).
    """
    version = (
        Group.objects.filter(pk=group_id)
        if group_id is not None
        else Program.objects.filter(pk=program_id)
    ).values("curriculum_version")
    items = CurriculumSession.objects.filter(
        program_id=program_id, is_core=True, version=Subquery(version)
    )
    return frozenset(items.values_list("number", flat=True))


_RECORD_FIELDS = (
    "session__held_on",
    "mark",
    "minutes_late",
    "session__curriculum_session__number",
    "is_makeup",
    "session__status",
    "departure",
    "arrived_at",
    "left_at",
    "session__starts_at",
    "session__actual_start",
    "session__actual_end",
    "session__curriculum_session__duration_minutes",
    "session__group__program__session_minutes",
    "session__group__program__site__time_zone",
)


def _record(
    held_on: dt.date,
    mark: str,
    minutes_late: int,
    number: int | None,
    makeup: bool,
    status: str,
    departure: str,
    arrived_at: dt.time | None,
    left_at: dt.time | None,
    starts_at: dt.datetime,
    actual_start: dt.time | None,
    actual_end: dt.time | None,
    curriculum_minutes: int | None,
    program_minutes: int | None,
    time_zone: str,
) -> SessionRecord:
    length = session_length(actual_start, actual_end, curriculum_minutes or program_minutes)
    begins = actual_start or starts_at.astimezone(zoneinfo.ZoneInfo(time_zone)).time()
    came = AttendanceMark(mark) in IN_THE_ROOM
    times = time_in_session(
        begins=begins,
        length=length,
        arrived_at=arrived_at,
        left_at=left_at,
        minutes_late=minutes_late,
    )
    return SessionRecord(
        held_on=held_on,
        mark=AttendanceMark(mark),
        minutes_late=minutes_late,
        curriculum_number=number,
        is_makeup=makeup,
        cancelled=status == SessionStatus.CANCELLED,
        departure=Departure(departure) if came else Departure.STAYED,
        minutes_left_early=times.minutes_left_early,
        minutes_present=times.minutes_present if came else None,
        session_minutes=length,
    )


def session_records(enrollment: Enrollment) -> list[SessionRecord]:
    """His marks as the engine's records, in date order (its outcomes follow this order)."""
    rows = (
        Attendance.objects.filter(enrollment=enrollment)
        .order_by("session__held_on", "session_id")
        .values_list(*_RECORD_FIELDS)
    )
    return [_record(*row) for row in rows]


def _approved(sign_offs: QuerySet[CompetencySignOff]) -> list[tuple[str, dt.date]]:
    rows = sign_offs.filter(status=SignOffStatus.APPROVED, reviewed_on__isnull=False)
    return [(name, on) for name, on in rows.values_list("competency__name", "reviewed_on") if on]


def reinstatement_dates(enrollment: Enrollment) -> tuple[dt.date, ...]:
    events = enrollment.events.filter(
        to_status=EnrollmentStatus.ACTIVE,
        from_status__in=[EnrollmentStatus.DISCHARGED, EnrollmentStatus.DROPPED_OUT],
    ).values_list("effective_on", flat=True)
    return tuple(sorted(events))


def assess_enrollment(
    enrollment: Enrollment,
    *,
    today: dt.date | None = None,
    core: frozenset[int] | None = None,
    records: list[SessionRecord] | None = None,
) -> ComplianceAssessment | None:
    """The compliance engine's verdict for an enrollment that has started, else ``None``.

    Pass ``records`` (from `session_records`) to line ``assessment.outcomes`` up with them.
    """
    if enrollment.started_on is None:
        return None
    program = enrollment.program
    if core is None:
        core = core_numbers(program.pk, enrollment.group_id)
    required = required_competencies(program)
    policy = program.attendance_policy(core, required)
    approved = (
        _approved(CompetencySignOff.objects.filter(enrollment=enrollment)) if required else []
    )
    facts = EnrollmentFacts(
        started_on=enrollment.started_on,
        referral_source=ReferralSource(enrollment.referral_source),
        reinstated_on=reinstatement_dates(enrollment),
        leaves=tuple(enrollment.leaves.values_list("starts_on", "ends_on")),
        competencies_approved=tuple(approved),
    )
    return assess_compliance(
        policy,
        session_records(enrollment) if records is None else records,
        facts,
        today=today or program_today(enrollment),
    )


@dataclass(frozen=True)
class Assessed:
    """An enrollment's assessment, and what each of his marked sessions counts as."""

    assessment: ComplianceAssessment
    by_session: dict[int, Counted]


def assess_enrollments(
    enrollments: QuerySet[Enrollment], *, today: dt.date | None = None
) -> dict[int, Assessed]:
    """The engine's verdict for every started enrollment here, in a fixed number of queries.

    For exports and rosters that need the engine's counts for many men at once.
    """
    started = list(
        enrollments.filter(started_on__isnull=False).select_related("program__site").order_by("pk")
    )
    ids = [e.pk for e in started]
    records: dict[int, list[SessionRecord]] = defaultdict(list)
    sessions: dict[int, list[int]] = defaultdict(list)
    rows = (
        Attendance.objects.filter(enrollment_id__in=ids)
        .order_by("enrollment_id", "session__held_on", "session_id")
        .values_list("enrollment_id", "session_id", *_RECORD_FIELDS)
    )
    for enrollment_id, session_id, *row in rows:
        records[enrollment_id].append(_record(*row))
        sessions[enrollment_id].append(session_id)
    reinstated: dict[int, list[dt.date]] = defaultdict(list)
    for enrollment_id, on in (
        EnrollmentEvent.objects.filter(
            enrollment_id__in=ids,
            to_status=EnrollmentStatus.ACTIVE,
            from_status__in=[EnrollmentStatus.DISCHARGED, EnrollmentStatus.DROPPED_OUT],
        )
        .order_by("effective_on")
        .values_list("enrollment_id", "effective_on")
    ):
        reinstated[enrollment_id].append(on)
    core: dict[int, set[int]] = defaultdict(set)
    for program_id, number in CurriculumSession.objects.filter(
        program_id__in={e.program_id for e in started}, is_core=True
    ).values_list("program_id", "number"):
        core[program_id].add(number)
    leaves: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for enrollment_id, first, last in LeaveOfAbsence.objects.filter(
        enrollment_id__in=ids
    ).values_list("enrollment_id", "starts_on", "ends_on"):
        leaves[enrollment_id].append((first, last))
    approved: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for enrollment_id, name, approved_on in CompetencySignOff.objects.filter(
        enrollment_id__in=ids, status=SignOffStatus.APPROVED, reviewed_on__isnull=False
    ).values_list("enrollment_id", "competency__name", "reviewed_on"):
        if approved_on is not None:
            approved[enrollment_id].append((name, approved_on))
    programs = {e.program_id: e.program for e in started}
    competencies = required_competencies_by_program(programs.values())
    result = {}
    for enrollment in started:
        assert enrollment.started_on is not None
        policy = enrollment.program.attendance_policy(
            frozenset(core[enrollment.program_id]), competencies[enrollment.program_id]
        )
        facts = EnrollmentFacts(
            started_on=enrollment.started_on,
            referral_source=ReferralSource(enrollment.referral_source),
            reinstated_on=tuple(reinstated[enrollment.pk]),
            leaves=tuple(leaves[enrollment.pk]),
            competencies_approved=tuple(approved[enrollment.pk]),
        )
        assessment = assess_compliance(
            policy,
            records[enrollment.pk],
            facts,
            today=today or program_today(enrollment),
        )
        by_session = dict(zip(sessions[enrollment.pk], assessment.outcomes, strict=True))
        result[enrollment.pk] = Assessed(assessment, by_session)
    return result


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
            current_discharge_reason=enrollment.discharge_reason,
        ),
        today=today or program_today(enrollment),
    )
    if target is EnrollmentStatus.COMPLETED:
        assessment = assess_enrollment(enrollment, today=today)
        if assessment is None or assessment.standing is not Standing.COMPLETED:
            unmet = "; ".join(assessment.reasons) if assessment and assessment.reasons else ""
            if assessment is not None and assessment.still_needed:
                unmet = "; ".join(filter(None, [unmet, f"still needed: {assessment.still_needed}"]))
            raise TransitionError(
                "The completion criteria are not met yet" + (f": {unmet}." if unmet else ".")
            )
        # Unpaid fees stop completion only where the organization turned that on for the
        # referring agency, whose standard requires it (alliance.fees.policy); never otherwise.
        unpaid = completion_blocked(enrollment)
        if unpaid:
            raise TransitionError(f"Completion is on hold: {unpaid}.")
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
    set_history_user(participant, actor)
    participant.save()
    return refer_participant(
        actor=actor,
        participant=participant,
        program=program,
        referral_source=referral_source,
        referred_on=referred_on,
        **referral,
    )
