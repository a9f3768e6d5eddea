"""Writes to sessions and attendance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alliance.core.compliance import (
    ATTENDED_OUTCOMES,
    IN_THE_ROOM,
    AttendancePolicy,
    Counted,
    counted_at_session,
)
from alliance.core.enrollment import EnrollmentStatus
from alliance.core.session_hours import session_length, time_in_session
from alliance.core.vocabulary import AttendanceMark, Departure
from alliance.history import set_history_user
from alliance.participants.models import Enrollment, GroupAssignment
from alliance.participants.services import refresh_standing
from alliance.programs.models import (
    Attendance,
    Session,
    SessionStatus,
)
from alliance.programs.signals import session_changed


class AttendanceError(ValueError):
    """Attendance that cannot be recorded; the message names the problem in plain words."""


class EditConflict(ValueError):
    """Someone else changed the record after this user loaded it."""

    def __init__(self, message: str, current_revision: int) -> None:
        super().__init__(message)
        self.current_revision = current_revision


def assigned_on(enrollment_id: int, group_id: int, day: dt.date) -> bool:
    return GroupAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        enrollment_id=enrollment_id,
        group_id=group_id,
        starts_on__lte=day,
    ).exists()


def check_eligible(
    session: Session,
    enrollment: Enrollment,
    *,
    is_makeup: bool,
    program_id: int | None = None,
    assigned: bool | None = None,
) -> None:
    """Refuse a mark for a man who was not in the session's group and program that day.

    ``program_id`` (of the session's group) and ``assigned`` (was he in the group that day)
    spare the queries when a bulk caller has already loaded them.
    """
    if program_id is None:
        program_id = session.group.program_id
    if enrollment.program_id != program_id:
        raise AttendanceError("He is not enrolled in this group's program.")
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError("This session was cancelled; attendance cannot be taken.")
    day = session.held_on
    started = enrollment.started_on
    if started is None or day < started or (enrollment.ended_on and day > enrollment.ended_on):
        raise AttendanceError(
            f"He was not an active participant on {day:%-d %b %Y}; attendance is refused."
        )
    if enrollment.status not in (EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED) and (
        enrollment.ended_on is None
    ):
        raise AttendanceError("His enrollment is not active.")
    if assigned is None and not is_makeup:
        assigned = assigned_on(enrollment.pk, session.group_id, day)
    if not is_makeup and not assigned:
        raise AttendanceError(
            f"He was not in this group on {day:%-d %b %Y}; record it as a make-up session instead."
        )


def clean_mark(mark: AttendanceMark, minutes_late: int) -> int:
    """The minutes late to store for ``mark`` (only a late mark keeps them)."""
    if minutes_late < 0 or minutes_late > 600:
        raise AttendanceError("minutes_late: give the minutes late, between 0 and 600.")
    return minutes_late if mark is AttendanceMark.LATE else 0


def planned_minutes(session: Session) -> int | None:
    curriculum = session.curriculum_session
    if curriculum is not None and curriculum.duration_minutes:
        return curriculum.duration_minutes
    return session.group.program.session_minutes


def session_begins(session: Session) -> dt.time:
    """When the session began, in the program's time zone."""
    if session.actual_start is not None:
        return session.actual_start
    return session.starts_at.astimezone(session.group.program.tzinfo).time()


def minutes_left_early(session: Session, left_at: dt.time | None) -> int:
    """How long before the end he left (0 when it is not known)."""
    length = session_length(session.actual_start, session.actual_end, planned_minutes(session))
    return time_in_session(
        begins=session_begins(session), length=length, arrived_at=None, left_at=left_at
    ).minutes_left_early


def recount_session(session: Session) -> None:
    """Store the session's mark tallies (read by the dashboard); see :func:`recount_sessions`."""
    recount_sessions({session.pk})


def recount_sessions(session_ids: Iterable[int]) -> None:
    """Store the mark tallies of these sessions (read by the dashboard), in a few queries.

    A mark counts as attended as the compliance engine counts it at its own session
    (``counted_at_session``): late by the program's late-as-absence minutes or more is not
    attended, and a cancelled session holds no marks that count.
    """
    ids = sorted(set(session_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sessions = {
            s.pk: s
            for s in Session.objects.filter(pk__in=chunk).select_related(
                "group__program__site", "curriculum_session"
            )
        }
        policies: dict[int, AttendancePolicy] = {}
        tallies = {pk: [0, 0] for pk in sessions}
        for session_id, mark, minutes_late, departure, left_at in Attendance.objects.filter(
            session_id__in=chunk
        ).values_list("session_id", "mark", "minutes_late", "departure", "left_at"):
            session = sessions[session_id]
            program = session.group.program
            if program.pk not in policies:
                policies[program.pk] = program.attendance_policy(frozenset())
            came = AttendanceMark(mark) in IN_THE_ROOM
            outcome = counted_at_session(
                AttendanceMark(mark),
                minutes_late,
                policies[program.pk],
                cancelled=session.status == SessionStatus.CANCELLED,
                departure=Departure(departure) if came else Departure.STAYED,
                minutes_left_early=minutes_left_early(session, left_at) if left_at else 0,
            )
            tallies[session_id][0] += outcome is not Counted.CANCELLED
            tallies[session_id][1] += outcome in ATTENDED_OUTCOMES
        Session.objects.bulk_update(
            [Session(pk=pk, marks_total=t, marks_attended=a) for pk, (t, a) in tallies.items()],
            ["marks_total", "marks_attended"],
        )


@transaction.atomic
def record_attendance(
    *,
    actor: User | None,
    session: Session,
    enrollment: Enrollment,
    mark: AttendanceMark,
    minutes_late: int = 0,
    note: str = "",
    is_makeup: bool = False,
    expected_revision: int | None = None,
) -> Attendance:
    """Record one man's attendance at one session.

    Idempotent: marking the same thing twice changes nothing. ``expected_revision`` is the
    revision the facilitator saw; if someone else changed the mark since, ``EditConflict`` is
    raised instead of overwriting their change. ``None`` means "I saw no mark".
    """
    minutes_late = clean_mark(mark, minutes_late)
    check_eligible(session, enrollment, is_makeup=is_makeup)
    # Marks for one session are written one at a time: the session row is locked first, so
    # on PostgreSQL a second facilitator waits, then sees the first one's mark (a conflict,
    # not a duplicate-key error) and the stored tallies count every committed mark.
    # (SQLite's BEGIN IMMEDIATE already serialises writers; there this is a no-op.)
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk").get()
    existing = (
        Attendance.objects.select_for_update()
        .filter(session=session, enrollment=enrollment)
        .first()
    )
    values: dict[str, object] = {
        "mark": mark.value,
        "minutes_late": minutes_late,
        "note": note.strip(),
        "is_makeup": is_makeup,
    }
    if mark not in IN_THE_ROOM:
        # An absence has no times, departure or video: clear what a present mark held.
        values |= {
            "arrived_at": None,
            "left_at": None,
            "departure": "",
            "departure_reason": "",
            "by_video": False,
            "identity_confirmed_by": None,
        }
    if existing is not None:
        unchanged = all(getattr(existing, k) == v for k, v in values.items())
        if unchanged:
            return existing
        if expected_revision is None or expected_revision != existing.revision:
            raise EditConflict(
                f"Someone else marked him {existing.mark} after you opened this page. "
                "Check the current mark and try again.",
                existing.revision,
            )
        for key, value in values.items():
            setattr(existing, key, value)
        existing.revision += 1
        existing.recorded_by = actor
        existing.recorded_at = timezone.now()
        existing.save()
        attendance = existing
    else:
        attendance = Attendance.objects.create(
            session=session,
            enrollment=enrollment,
            recorded_by=actor,
            recorded_at=timezone.now(),
            **values,
        )
    recount_session(session)
    if session.status == SessionStatus.SCHEDULED:
        Session.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)
        session.status = SessionStatus.HELD
    refresh_standing(enrollment)
    return attendance


@dataclass(frozen=True)
class EveryonePresent:
    """What "Mark everyone present" did: the men it marked, and those it had to leave."""

    marked: list[str]
    refused: list[tuple[str, str]]


def mark_everyone_present(
    *, actor: User | None, session: Session, enrollments: Iterable[tuple[Enrollment, bool]]
) -> EveryonePresent:
    """Mark present every man on the session's list who has no mark yet.

    ``enrollments`` are (enrollment, already marked) pairs from the session's list. A man
    already marked keeps his mark (a colleague's "Late" or "Excused" is never overwritten);
    a man the rules refuse (not active that day) is left unmarked and named, so the
    facilitator marks the exceptions one by one afterwards. Each mark goes through
    :func:`record_attendance`, in one transaction per man, so one refusal undoes nothing else.
    """
    marked: list[str] = []
    refused: list[tuple[str, str]] = []
    for enrollment, already in enrollments:
        if already:
            continue
        code = enrollment.participant.code
        try:
            record_attendance(
                actor=actor,
                session=session,
                enrollment=enrollment,
                mark=AttendanceMark.PRESENT,
                expected_revision=None,
            )
        except (AttendanceError, EditConflict) as exc:
            refused.append((code, str(exc)))
        else:
            marked.append(code)
    return EveryonePresent(marked=marked, refused=refused)


@transaction.atomic
def update_session(
    *,
    actor: User | None,
    session: Session,
    notes: str,
    status: SessionStatus,
    expected_revision: int,
) -> Session:
    """Edit a session's notes or status without losing a colleague's concurrent edit."""
    current = Session.objects.select_for_update().get(pk=session.pk)
    if current.revision != expected_revision:
        raise EditConflict(
            "Someone else saved this session after you opened it. Their version is shown; "
            "add your change again.",
            current.revision,
        )
    if status == SessionStatus.CANCELLED and current.status != SessionStatus.CANCELLED:
        marks = current.attendance.count()
        if marks:
            # A cancelled session must never count as anyone's absence: refuse rather than
            # leave marks on a session that did not take place.
            raise AttendanceError(
                f"status: {marks} attendance mark(s) are recorded for this session, so it was "
                "held and cannot be cancelled."
            )
    old_status = current.status
    current.notes = notes.strip()
    current.status = status.value
    current.revision += 1
    set_history_user(current, actor)
    current.save()
    # Cancelling a session (or un-cancelling it) changes what its marks count for.
    recount_session(current)
    for enrollment in Enrollment.objects.filter(attendance__session=current).distinct():
        refresh_standing(enrollment)
    if old_status != current.status and SessionStatus.CANCELLED in (old_status, current.status):
        change = "cancelled" if current.status == SessionStatus.CANCELLED else "restored"
        session_changed.send(sender=Session, session=current, change=change, previous_start=None)
    return current
