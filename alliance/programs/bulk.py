"""Bulk write paths for programs: attendance (the demo and a caseload import), a curriculum,
and sessions that were held.

Attendance:

Every mark passes the same checks as :func:`alliance.programs.services.record_attendance`
(``clean_mark``, ``check_eligible``) before anything is written, with the groups and group
assignments loaded once for the whole batch; a bad row is refused with its row number and
nothing is saved. Marks are new: a mark that already exists is refused (edits go through the
single-row service, which guards against overwriting a colleague's change). One transaction,
one history row per mark attributed to whoever recorded it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.core.vocabulary import AttendanceMark
from alliance.history import set_history_user
from alliance.participants.bulk import BulkRowError, announce, chunks, refresh_standings_bulk
from alliance.participants.models import Enrollment, GroupAssignment
from alliance.programs.models import (
    Attendance,
    CurriculumSession,
    Group,
    Program,
    Session,
    SessionStatus,
)
from alliance.programs.services import (
    AttendanceError,
    check_eligible,
    clean_mark,
    recount_sessions,
)
from alliance.programs.setup_services import (
    SetupError,
    check_curriculum_values,
    editable_version,
)


@dataclass(frozen=True)
class Mark:
    """One man's attendance at one session, as recorded by ``recorded_by`` at ``recorded_at``
    (the bulk call's actor and the current time when not given)."""

    session: Session
    enrollment: Enrollment
    mark: AttendanceMark
    minutes_late: int = 0
    note: str = ""
    is_makeup: bool = False
    recorded_by: User | None = None
    recorded_at: dt.datetime | None = None


def _assignments(enrollment_ids: list[int]) -> dict[int, list[tuple[int, dt.date, dt.date | None]]]:
    found: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for chunk in chunks(enrollment_ids):
        for enrollment_id, group_id, starts, ends in GroupAssignment.objects.filter(
            enrollment_id__in=chunk
        ).values_list("enrollment_id", "group_id", "starts_on", "ends_on"):
            found[enrollment_id].append((group_id, starts, ends))
    return found


@transaction.atomic
def record_attendance_bulk(
    *,
    actor: User | None,
    marks: Sequence[Mark],
    refresh_standings: bool = True,
    today: dt.date | None = None,
) -> list[Attendance]:
    """Record many new marks: validated like ``record_attendance``, written in bulk.

    As the single-row service does, a scheduled session that gets a mark becomes held, the
    sessions' tallies are recounted, and (unless ``refresh_standings`` is false, for a caller
    that completes enrollments first and refreshes after) each man's standing is stored.
    """
    now = timezone.now()
    program_of = dict(
        Group.objects.filter(pk__in={m.session.group_id for m in marks}).values_list(
            "pk", "program_id"
        )
    )
    enrollment_ids = sorted({m.enrollment.pk for m in marks})
    assignments = _assignments(enrollment_ids)
    existing: set[tuple[int, int]] = set()
    for chunk in chunks(enrollment_ids):
        existing.update(
            Attendance.objects.filter(enrollment_id__in=chunk).values_list(
                "session_id", "enrollment_id"
            )
        )
    seen: set[tuple[int, int]] = set()
    rows = []
    for row, m in enumerate(marks, start=1):
        day = m.session.held_on
        assigned = any(
            group_id == m.session.group_id and starts <= day and (ends is None or ends >= day)
            for group_id, starts, ends in assignments[m.enrollment.pk]
        )
        pair = (m.session.pk, m.enrollment.pk)
        try:
            minutes = clean_mark(m.mark, m.minutes_late)
            check_eligible(
                m.session,
                m.enrollment,
                is_makeup=m.is_makeup,
                program_id=program_of[m.session.group_id],
                assigned=assigned,
            )
            if pair in existing or pair in seen:
                raise AttendanceError("he already has a mark for this session.")
        except AttendanceError as error:
            raise AttendanceError(
                f"row {row} ({m.enrollment.participant.code}, {day:%-d %b %Y}): {error}"
            ) from error
        seen.add(pair)
        attendance = Attendance(
            session=m.session,
            enrollment=m.enrollment,
            mark=m.mark.value,
            minutes_late=minutes,
            note=m.note.strip(),
            is_makeup=m.is_makeup,
            recorded_by=m.recorded_by or actor,
            recorded_at=m.recorded_at or now,
        )
        set_history_user(attendance, m.recorded_by or actor)
        rows.append(attendance)
    created: list[Attendance] = bulk_create_with_history(
        rows, Attendance, batch_size=2000, default_user=actor
    )
    session_ids = {m.session.pk for m in marks}
    for chunk in chunks(sorted(session_ids)):
        Session.objects.filter(pk__in=chunk, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.HELD
        )
    recount_sessions(session_ids)
    announce([m.enrollment.pk for m in marks])
    if refresh_standings:
        enrollments = list({m.enrollment.pk: m.enrollment for m in marks}.values())
        refresh_standings_bulk(enrollments=enrollments, today=today)
    return created


@dataclass(frozen=True)
class Topic:
    """One session of a curriculum."""

    topic: str
    is_core: bool = False
    duration_minutes: int | None = None
    materials: str = ""


@transaction.atomic
def add_curriculum_bulk(
    *, actor: User | None, program: Program, topics: Sequence[Topic]
) -> list[CurriculumSession]:
    """``add_curriculum_session`` for many: appended in order to the version an edit may
    change (a copy if groups have started on the current one), each checked by
    ``check_curriculum_values``, one history row each naming ``actor``."""
    for row, t in enumerate(topics, start=1):
        try:
            check_curriculum_values(dataclasses.asdict(t))
        except SetupError as error:
            raise BulkRowError(f"row {row} ({t.topic[:40]!r}): {error}") from error
    version = editable_version(program, actor)
    last = (
        CurriculumSession.objects.filter(program=program, version=version)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    ) or 0
    items = []
    for offset, t in enumerate(topics, start=1):
        item = CurriculumSession(
            program=program,
            version=version,
            number=last + offset,
            topic=t.topic.strip(),
            is_core=t.is_core,
            duration_minutes=t.duration_minutes,
            materials=t.materials,
        )
        set_history_user(item, actor)
        items.append(item)
    created: list[CurriculumSession] = bulk_create_with_history(
        items, CurriculumSession, batch_size=500, default_user=actor
    )
    return created


@transaction.atomic
def hold_sessions_bulk(
    *, actor: User | None, sessions: Sequence[Session], today: dt.date
) -> list[Session]:
    """Mark scheduled sessions as held, as ``update_session`` does for one (a new revision,
    a history row naming ``actor``); a session still to come, or cancelled, is refused."""
    for row, session in enumerate(sessions, start=1):
        if session.held_on > today:
            raise BulkRowError(
                f"row {row} ({session.held_on:%-d %b %Y}): held_on: a session still to come "
                "cannot have been held."
            )
        if session.status == SessionStatus.CANCELLED:
            raise BulkRowError(
                f"row {row} ({session.held_on:%-d %b %Y}): status: the session was cancelled."
            )
    for session in sessions:
        session.status = SessionStatus.HELD.value
        session.revision += 1
        set_history_user(session, actor)
    bulk_update_with_history(
        list(sessions), Session, ["status", "revision"], batch_size=500, default_user=actor
    )
    return list(sessions)
