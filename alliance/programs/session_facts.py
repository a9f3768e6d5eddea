"""Session-level facts: when a session actually ran, when each man came and went, whether
he left early or was sent home (and why), and whether he attended by video with his identity
confirmed (``shared/research/bip_standards.md`` gap 8).

What these count for is the compliance engine's business (``alliance.core.compliance``);
this module records them, refuses what cannot be true, and refreshes the tallies and
standings that read them, in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.core.session_hours import minutes_between
from alliance.core.vocabulary import AttendanceMark, Departure
from alliance.history import set_history_user
from alliance.participants.models import Enrollment
from alliance.participants.services import refresh_standing
from alliance.programs.models import Attendance, Session, SessionStatus
from alliance.programs.services import AttendanceError, EditConflict, recount_session


@transaction.atomic
def record_session_times(
    *,
    actor: User | None,
    session: Session,
    actual_start: dt.time | None,
    actual_end: dt.time | None,
) -> Session:
    """Record when the session actually began and ended; his hours follow from them."""
    if (actual_start is None) != (actual_end is None):
        raise AttendanceError("actual_end: give both the start and the end, or neither.")
    if (
        actual_start is not None
        and actual_end is not None
        and minutes_between(actual_start, actual_end) < 1
    ):
        raise AttendanceError("actual_end: the end must be after the start.")
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError("This session was cancelled; it has no times to record.")
    current = Session.objects.select_for_update().get(pk=session.pk)
    current.actual_start = actual_start
    current.actual_end = actual_end
    set_history_user(current, actor)
    current.save(update_fields=["actual_start", "actual_end"])
    recount_session(current)
    for enrollment in Enrollment.objects.filter(attendance__session=current).distinct():
        refresh_standing(enrollment)
    return current


@transaction.atomic
def record_attendance_details(
    *,
    actor: User | None,
    attendance: Attendance,
    arrived_at: dt.time | None,
    left_at: dt.time | None,
    departure: Departure,
    departure_reason: str,
    by_video: bool,
    identity_confirmed: bool,
    expected_revision: int | None,
) -> Attendance:
    """Add times, an early departure or sending home, and video to a recorded mark.

    Refuses, naming the field: details on an absence; a departure without its reason; an
    early departure without the time he left; a leaving time before his arrival; video where
    the program does not allow it, or without his identity confirmed.
    """
    current = (
        # Lock his attendance row only: PostgreSQL cannot lock the nullable side of the outer
        # join to the curriculum session.
        Attendance.objects.select_for_update(of=("self",))
        .select_related("session__group__program__site", "session__curriculum_session")
        .get(pk=attendance.pk)
    )
    if expected_revision is None or expected_revision != current.revision:
        raise EditConflict(
            f"Someone else changed his mark (now {current.mark}) after you opened this page. "
            "Check it and try again.",
            current.revision,
        )
    session = current.session
    program = session.group.program
    if AttendanceMark(current.mark) not in IN_THE_ROOM:
        raise AttendanceError(
            "mark: times, leaving early, being sent home and video apply only to a man marked "
            "present or late."
        )
    reason = departure_reason.strip()
    if departure and not reason:
        what = "was sent home" if departure is Departure.SENT_HOME else "left early"
        raise AttendanceError(f"departure_reason: say why he {what}.")
    if len(reason) > 300:
        raise AttendanceError("departure_reason: keep the reason to 300 characters.")
    if departure is Departure.LEFT_EARLY and left_at is None:
        raise AttendanceError("left_at: give the time he left.")
    if arrived_at is not None and left_at is not None and left_at <= arrived_at:
        raise AttendanceError("left_at: he cannot leave before he arrived.")
    if by_video and not program.video_attendance_allowed:
        raise AttendanceError("by_video: this program does not allow attendance by video.")
    if by_video and not identity_confirmed:
        raise AttendanceError(
            "identity_confirmed: confirm that you saw it was him before recording video attendance."
        )
    current.arrived_at = arrived_at
    current.left_at = left_at
    current.departure = departure.value
    current.departure_reason = reason if departure else ""
    current.by_video = by_video
    current.identity_confirmed_by = actor if by_video else None
    current.revision += 1
    current.recorded_by = actor
    current.recorded_at = timezone.now()
    set_history_user(current, actor)
    current.save()
    recount_session(session)
    refresh_standing(current.enrollment)
    return current
