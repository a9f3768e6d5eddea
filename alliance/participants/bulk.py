"""Bulk write paths for participants and enrollments: the demo and a caseload import.

The same rules as the single-row services in :mod:`alliance.participants.services`
(``validate_participant``, the core's ``check_transition``, ``assess_compliance``), checked for
every row before anything is written, so a bad row is refused with its row number and field
and nothing is saved. Bulk inserts, in one transaction, with one django-simple-history row per
participant and enrollment attributed to the actor (timeline events name their own actor).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
from alliance.participants.services import (
    STANDING_FIELDS,
    apply_assessment,
    core_numbers,
    program_today,
    validate_participant,
)
from alliance.programs.models import Attendance, Group

T = TypeVar("T")

#: Sent after a bulk write changed what these men's records say (attendance, enrollment status,
#: check-outs or measures), with ``enrollment_ids``: bulk writes bypass ``save()``, so
#: ``alliance.engagement.signals`` listens here to refresh their stored outlooks.
records_written = Signal()


def announce(enrollment_ids: Sequence[int]) -> None:
    """Send :data:`records_written` for these enrollments (none: nothing is sent)."""
    if enrollment_ids:
        records_written.send(sender=Enrollment, enrollment_ids=sorted(set(enrollment_ids)))


def chunks(ids: Sequence[T], size: int = 500) -> list[Sequence[T]]:
    """``ids`` in slices small enough for any database's limit on query parameters."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


class BulkRowError(ValueError):
    """A row of a bulk write that breaks a rule; the message names the row and the field."""


def _row_error(row: int, label: str, error: Exception) -> BulkRowError:
    if isinstance(error, ValidationError) and hasattr(error, "message_dict"):
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    else:
        detail = "; ".join(getattr(error, "messages", None) or [str(error)])
    return BulkRowError(f"row {row} ({label}): {detail}")


@transaction.atomic
def create_participants_bulk(
    *, actor: User | None, participants: Sequence[Participant]
) -> list[Participant]:
    """Save many new men's intake records in one transaction, all or none.

    Every row gets :func:`validate_participant`'s checks; codes must be new in their
    organization and unique within the batch. One history row per man, attributed to ``actor``.
    """
    seen: set[tuple[int, str]] = set()
    for row, participant in enumerate(participants, start=1):
        try:
            validate_participant(participant, check_unique=False)
        except ValidationError as error:
            raise _row_error(row, participant.code, error) from error
        key = (participant.organization_id, participant.code)
        if key in seen:
            raise BulkRowError(f"row {row} ({participant.code}): code: repeated in this batch.")
        seen.add(key)
    for organization_id in {org for org, _ in seen}:
        codes = [code for org, code in seen if org == organization_id]
        for chunk in chunks(codes):
            taken = Participant.objects.filter(organization_id=organization_id, code__in=chunk)
            first = taken.values_list("code", flat=True).first()
            if first is not None:
                raise BulkRowError(f"code: {first} is already a participant here.")
    created: list[Participant] = bulk_create_with_history(
        list(participants), Participant, batch_size=500, default_user=actor
    )
    return created


@dataclass(frozen=True)
class StatusChange:
    """One step of an enrollment's timeline after the referral."""

    target: EnrollmentStatus
    effective_on: dt.date
    reason: str
    discharge_reason: DischargeReason | None = None
    group: Group | None = None  # the group he joins, for a first activation
    actor: User | None = None


@dataclass(frozen=True)
class EnrollmentRecord:
    """An enrollment recorded elsewhere: the referral on an unsaved ``enrollment`` (with its
    participant, program, referral fields and ``referred_on``), then its later changes."""

    enrollment: Enrollment
    changes: tuple[StatusChange, ...] = ()
    reason: str = "Referral received"


def _replay(
    record: EnrollmentRecord, *, today: dt.date
) -> tuple[list[EnrollmentEvent], list[GroupAssignment]]:
    """Check every change with the core's rules and apply it to the unsaved enrollment.

    Returns the timeline events and the group assignments (unsaved, without enrollment ids).
    """
    e = record.enrollment
    if e.participant.organization_id != e.program.organization_id:
        raise TransitionError("program: the program belongs to another organization.")
    if e.referral_source not in {source.value for source in ReferralSource}:
        raise TransitionError(f"referral_source: {e.referral_source!r} is not a referral source.")
    if e.referred_on > today:
        raise TransitionError("referred_on: the referral date cannot be in the future.")
    current, last = EnrollmentStatus.REFERRED, e.referred_on
    e.status, e.status_changed_on = current.value, last
    events = [
        EnrollmentEvent(
            from_status="", to_status=current.value, effective_on=last, reason=record.reason
        )
    ]
    assignments: list[GroupAssignment] = []
    for change in record.changes:
        if change.target is EnrollmentStatus.COMPLETED:
            raise TransitionError(
                "completed: record his attendance first, then complete_enrollments_bulk."
            )
        check_transition(
            TransitionRequest(
                current=current,
                target=change.target,
                effective_on=change.effective_on,
                last_change_on=last,
                reason=change.reason,
                discharge_reason=change.discharge_reason,
                reinstatements_used=e.reinstatements,
                reinstatements_allowed=e.program.reinstatements_allowed,
            ),
            today=today,
        )
        if is_reinstatement(current, change.target):
            raise TransitionError("reinstated: a bulk record cannot reinstate; use the timeline.")
        if change.target is EnrollmentStatus.ACTIVE:
            group = change.group
            if group is None:
                raise TransitionError("group: choose the group he will attend.")
            if group.program_id != e.program_id:
                raise TransitionError("group: the group belongs to another program.")
            assignments.append(GroupAssignment(group=group, starts_on=change.effective_on))
            e.started_on, e.group = change.effective_on, group
        if change.target not in OPEN_STATUSES:
            e.ended_on = change.effective_on
            for assignment in assignments:
                assignment.ends_on = assignment.ends_on or change.effective_on
            if change.discharge_reason is not None:
                e.discharge_reason = change.discharge_reason.value
        events.append(
            EnrollmentEvent(
                from_status=current.value,
                to_status=change.target.value,
                effective_on=change.effective_on,
                reason=change.reason.strip(),
                discharge_reason=change.discharge_reason.value if change.discharge_reason else "",
                actor=change.actor,
            )
        )
        current, last = change.target, change.effective_on
        e.status, e.status_changed_on = current.value, last
    return events, assignments


@transaction.atomic
def open_enrollments_bulk(
    *, actor: User | None, records: Sequence[EnrollmentRecord], today: dt.date
) -> list[Enrollment]:
    """Write many enrollments with their timelines (referral, intake, start, leaving).

    Each change passes the same ``check_transition`` as :func:`change_enrollment_status`, in
    order; the referral event is attributed to ``actor``, later ones to their own actor.
    Completion needs his attendance (see :func:`complete_enrollments_bulk`); standing is
    stored by :func:`refresh_standings_bulk` once attendance is in.
    """
    timelines = []
    for row, record in enumerate(records, start=1):
        try:
            timelines.append(_replay(record, today=today))
        except (TransitionError, ValueError) as error:
            raise _row_error(row, record.enrollment.participant.code, error) from error
        if not record.enrollment.participant.pk:
            raise BulkRowError(f"row {row}: participant: save the participants first.")
    enrollments: list[Enrollment] = bulk_create_with_history(
        [r.enrollment for r in records], Enrollment, batch_size=500, default_user=actor
    )
    events, assignments = [], []
    for enrollment, (timeline, placed) in zip(enrollments, timelines, strict=True):
        for event in timeline:
            event.enrollment = enrollment
            event.actor = event.actor if event.to_status != EnrollmentStatus.REFERRED else actor
            events.append(event)
        for assignment in placed:
            assignment.enrollment = enrollment
            assignments.append(assignment)
    EnrollmentEvent.objects.bulk_create(events, batch_size=1000)
    GroupAssignment.objects.bulk_create(assignments, batch_size=1000)
    announce([e.pk for e in enrollments])
    return enrollments


def _records_by_enrollment(ids: Sequence[int]) -> dict[int, list[SessionRecord]]:
    records: dict[int, list[SessionRecord]] = defaultdict(list)
    for chunk in chunks(ids):
        rows = Attendance.objects.filter(enrollment_id__in=chunk).values_list(
            "enrollment_id",
            "session__held_on",
            "mark",
            "minutes_late",
            "session__curriculum_session__number",
            "is_makeup",
        )
        for enrollment_id, held_on, mark, minutes, number, makeup in rows:
            records[enrollment_id].append(
                SessionRecord(held_on, AttendanceMark(mark), minutes, number, makeup)
            )
    return records


def assess_enrollments(
    enrollments: Sequence[Enrollment], *, today: dt.date | None = None
) -> dict[int, ComplianceAssessment | None]:
    """:func:`assess_enrollment` for many enrollments, in a few queries (no reinstatements:
    bulk records never reinstate, see :func:`open_enrollments_bulk`)."""
    ids = [e.pk for e in enrollments]
    records = _records_by_enrollment(ids)
    reinstated: dict[int, list[dt.date]] = defaultdict(list)
    for chunk in chunks(ids):
        for enrollment_id, day in EnrollmentEvent.objects.filter(
            enrollment_id__in=chunk,
            to_status=EnrollmentStatus.ACTIVE,
            from_status__in=[EnrollmentStatus.DISCHARGED, EnrollmentStatus.DROPPED_OUT],
        ).values_list("enrollment_id", "effective_on"):
            reinstated[enrollment_id].append(day)
    core = {pid: core_numbers(pid) for pid in {e.program_id for e in enrollments}}
    result: dict[int, ComplianceAssessment | None] = {}
    for e in enrollments:
        if e.started_on is None:
            result[e.pk] = None
            continue
        facts = EnrollmentFacts(
            started_on=e.started_on,
            referral_source=ReferralSource(e.referral_source),
            reinstated_on=tuple(sorted(reinstated[e.pk])),
        )
        policy = e.program.attendance_policy(core[e.program_id])
        result[e.pk] = assess_compliance(
            policy, records[e.pk], facts, today=today or program_today(e)
        )
    return result


@transaction.atomic
def refresh_standings_bulk(
    *, enrollments: Sequence[Enrollment], today: dt.date | None = None
) -> None:
    """:func:`refresh_standing` for many enrollments, stored in a few bulk updates."""
    assessments = assess_enrollments(enrollments, today=today)
    for e in enrollments:
        apply_assessment(e, assessments[e.pk])
    Enrollment.objects.bulk_update(list(enrollments), STANDING_FIELDS, batch_size=500)


@dataclass(frozen=True)
class Completion:
    enrollment: Enrollment
    effective_on: dt.date
    reason: str = "Completion criteria met; certificate issued"


@transaction.atomic
def complete_enrollments_bulk(
    *, actor: User | None, completions: Sequence[Completion], today: dt.date
) -> None:
    """Complete many active enrollments whose criteria the compliance engine finds met.

    Same checks as :func:`change_enrollment_status` to ``completed``: the transition rules and
    the engine's verdict. Ends each group assignment and adds the timeline event.
    """
    assessments = assess_enrollments([c.enrollment for c in completions], today=today)
    events = []
    for row, completion in enumerate(completions, start=1):
        e = completion.enrollment
        try:
            check_transition(
                TransitionRequest(
                    current=EnrollmentStatus(e.status),
                    target=EnrollmentStatus.COMPLETED,
                    effective_on=completion.effective_on,
                    last_change_on=e.status_changed_on,
                    reason=completion.reason,
                    discharge_reason=None,
                    reinstatements_used=e.reinstatements,
                    reinstatements_allowed=e.program.reinstatements_allowed,
                ),
                today=today,
            )
            assessment = assessments[e.pk]
            if assessment is None or assessment.standing is not Standing.COMPLETED:
                raise TransitionError("The completion criteria are not met yet.")
        except TransitionError as error:
            raise _row_error(row, e.participant.code, error) from error
        e.status = EnrollmentStatus.COMPLETED.value
        e.ended_on = e.status_changed_on = completion.effective_on
        events.append(
            EnrollmentEvent(
                enrollment=e,
                from_status=EnrollmentStatus.ACTIVE.value,
                to_status=EnrollmentStatus.COMPLETED.value,
                effective_on=completion.effective_on,
                reason=completion.reason,
                actor=actor,
            )
        )
    for completion in completions:
        GroupAssignment.objects.filter(
            enrollment=completion.enrollment, ends_on__isnull=True
        ).update(ends_on=completion.effective_on)
    EnrollmentEvent.objects.bulk_create(events, batch_size=1000)
    bulk_update_with_history(
        [c.enrollment for c in completions],
        Enrollment,
        ["status", "ended_on", "status_changed_on"],
        batch_size=500,
        default_user=actor,
    )
    announce([c.enrollment.pk for c in completions])


@dataclass(frozen=True)
class PastEnrollment:
    """An enrollment that began before it was recorded here: an alumnus's, or a program
    history brought in for the dropout model. ``enrollment`` is unsaved, with its participant
    (saved), program, referral fields, ``referred_on``, ``started_on`` (None: he never
    started), ``ended_on`` (None while it runs), ``status`` and ``attended_count``; ``group``
    is the group he attended, if it is recorded here."""

    enrollment: Enrollment
    group: Group | None = None
    reason: str = "Recorded from the program's past records"


def _past_steps(e: Enrollment) -> list[tuple[EnrollmentStatus, dt.date]]:
    """The status changes that lead from his referral to ``e.status``."""
    status = EnrollmentStatus(e.status)
    steps: list[tuple[EnrollmentStatus, dt.date]] = []
    if e.started_on is not None:
        steps += [(EnrollmentStatus.INTAKE, e.started_on), (EnrollmentStatus.ACTIVE, e.started_on)]
    if status in OPEN_STATUSES:
        if e.ended_on is not None:
            raise TransitionError(f"ended_on: an enrollment that is {status.value} has not ended.")
        if (status is EnrollmentStatus.ACTIVE) != (e.started_on is not None):
            raise TransitionError(
                "started_on: an active enrollment has a start, no other open one."
            )
        return steps
    if e.ended_on is None:
        raise TransitionError(f"ended_on: a {status.value.replace('_', ' ')} enrollment has ended.")
    return [*steps, (status, e.ended_on)]


@transaction.atomic
def record_past_enrollments_bulk(
    *, actor: User | None, records: Sequence[PastEnrollment], today: dt.date
) -> list[Enrollment]:
    """Write enrollments that began before they were recorded here, each path from referral to
    its status checked with the core's ``check_transition`` as :func:`open_enrollments_bulk`
    checks a timeline. Their sessions are not here (or are written after, by
    ``record_attendance_bulk``), so a completion is taken as recorded and the timeline stays
    in the records it came from: one history row per enrollment names ``actor``, and a group
    assignment covers his time in ``group``."""
    for row, record in enumerate(records, start=1):
        e = record.enrollment
        try:
            if not e.participant.pk:
                raise TransitionError("participant: save the participants first.")
            if e.participant.organization_id != e.program.organization_id:
                raise TransitionError("program: the program belongs to another organization.")
            if e.referral_source not in {source.value for source in ReferralSource}:
                raise TransitionError(
                    f"referral_source: {e.referral_source!r} is not a referral source."
                )
            if e.status not in {status.value for status in EnrollmentStatus}:
                raise TransitionError(f"status: {e.status!r} is not an enrollment status.")
            if record.group is not None and record.group.program_id != e.program_id:
                raise TransitionError("group: the group belongs to another program.")
            current, last = EnrollmentStatus.REFERRED, e.referred_on
            if last > today:
                raise TransitionError("referred_on: the referral date cannot be in the future.")
            for target, on in _past_steps(e):
                check_transition(
                    TransitionRequest(
                        current=current,
                        target=target,
                        effective_on=on,
                        last_change_on=last,
                        reason=record.reason,
                        discharge_reason=DischargeReason(e.discharge_reason)
                        if e.discharge_reason
                        else None,
                        reinstatements_used=0,
                        reinstatements_allowed=e.program.reinstatements_allowed,
                    ),
                    today=today,
                )
                current, last = target, on
        except (TransitionError, ValueError) as error:
            raise _row_error(row, e.participant.code, error) from error
        e.status_changed_on = last
    enrollments: list[Enrollment] = bulk_create_with_history(
        [r.enrollment for r in records], Enrollment, batch_size=500, default_user=actor
    )
    GroupAssignment.objects.bulk_create(
        [
            GroupAssignment(
                enrollment=e,
                group=r.group,
                starts_on=e.started_on or r.group.starts_on,
                ends_on=e.ended_on,
            )
            for e, r in zip(enrollments, records, strict=True)
            if r.group is not None
        ],
        batch_size=1000,
    )
    return enrollments
