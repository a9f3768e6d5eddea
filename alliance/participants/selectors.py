"""Reads for the participant page: his enrollments and a single dated timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from alliance.organizations.models import Membership
from alliance.organizations.people import person_name
from alliance.participants.models import Enrollment, EnrollmentEvent, Participant
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Attendance, Session, SessionStatus
from alliance.programs.selectors import MARK_LABELS


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date
    kind: str  # "intake", "status", "attendance"
    title: str
    detail: str = ""
    actor: str = ""


def participant_timeline(participant: Participant) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    if participant.risk_assessed_on:
        entries.append(
            TimelineEntry(
                participant.risk_assessed_on,
                "intake",
                "External risk assessment",
                f"{participant.risk_tool} {participant.risk_tool_version}: "
                f"{participant.risk_score} ({participant.risk_band or 'no band'})",
                participant.risk_assessor,
            )
        )
    events = EnrollmentEvent.objects.filter(enrollment__participant=participant).select_related(
        "actor", "enrollment__program"
    )
    for event in events:
        label = event.get_to_status_display()
        title = f"{event.enrollment.program}: {label}"
        if event.from_status:
            title = f"{event.enrollment.program}: {event.get_from_status_display()} → {label}"
        detail = event.reason
        if event.discharge_reason:
            detail = f"{event.get_discharge_reason_display()} — {event.reason}"
        entries.append(
            TimelineEntry(
                event.effective_on,
                "status",
                title,
                detail,
                person_name(event.actor, default=""),
            )
        )
    attendance = Attendance.objects.filter(enrollment__participant=participant).select_related(
        "session__group", "session__curriculum_session"
    )
    for mark in attendance:
        session = mark.session
        topic = session.curriculum_session.topic if session.curriculum_session else session.topic
        label = MARK_LABELS[mark.mark]
        if mark.mark == "late":
            label = f"Late ({mark.minutes_late} min)"
        if mark.is_makeup:
            label += ", make-up"
        entries.append(
            TimelineEntry(
                session.held_on, "attendance", f"{session.group}: {label}", topic or "", ""
            )
        )
    entries.sort(
        key=lambda e: (e.day, {"intake": 0, "status": 1, "attendance": 2}[e.kind]), reverse=True
    )
    return entries


def attendance_entries(participant: Participant) -> list[TimelineEntry]:
    """His attendance marks alone, newest first (the attendance tab)."""
    return [e for e in participant_timeline(participant) if e.kind == "attendance"]


@dataclass(frozen=True)
class NextSession:
    enrollment: Enrollment
    session: Session


def next_sessions(enrollments: list[Enrollment], *, today: dt.date) -> list[NextSession]:
    """For each active enrollment, the next scheduled session of his current group (one query
    for all his enrollments)."""
    current = {
        e.group_id: e for e in enrollments if e.status == "active" and e.group_id is not None
    }
    if not current:
        return []
    sessions = (
        Session.objects.filter(
            group_id__in=current, held_on__gte=today, status=SessionStatus.SCHEDULED
        )
        .select_related("group", "curriculum_session")
        .order_by("group_id", "held_on", "starts_at")
    )
    found: dict[int, Session] = {}
    for session in sessions:
        found.setdefault(session.group_id, session)
    return [NextSession(current[g], s) for g, s in found.items()]


def participant_enrollments(participant: Participant) -> list[Enrollment]:
    return list(
        participant.enrollments.select_related("program__site")
        .prefetch_related("assignments__group")
        .order_by("-referred_on")
    )


#: Bookkeeping fields whose changes would only clutter the history page.
HIDDEN_FIELDS = frozenset(
    {"standing_reasons", "actions_due", "attended_count", "revision", "recorded_at"}
)


def _describe(record: Any) -> str:
    if isinstance(record, Attendance.history.model):
        return f"attendance, {record.session.group} on {record.session.held_on:%d %b %Y}"
    name = str(record._meta.verbose_name).replace("historical ", "")
    return f"{name} {record.id}"


def history_rows(participant: Participant) -> list[dict[str, Any]]:
    """Every recorded change to his record and enrollments: who, when, what changed."""
    rows: list[dict[str, Any]] = []
    for model_history in (
        participant.history.all().select_related("history_user"),
        Enrollment.history.filter(participant_id=participant.pk).select_related("history_user"),
        Attendance.history.filter(enrollment__participant_id=participant.pk).select_related(
            "history_user", "session__group"
        ),
    ):
        previous: dict[int, Any] = {}
        for record in reversed(list(model_history)):
            before = previous.get(record.id)
            changes = []
            if before is not None:
                delta = record.diff_against(before)
                changes = [
                    (c.field, c.old, c.new) for c in delta.changes if c.field not in HIDDEN_FIELDS
                ]
            previous[record.id] = record
            rows.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.get_username() if record.history_user else "system",
                    "what": _describe(record),
                    "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                    "changes": changes,
                }
            )
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows


def find_participants(membership: Membership, *, query: str, status: str) -> list[Participant]:
    """Men the user may see whose code or initials start with ``query``."""
    people = visible_participants(membership)
    if query:
        people = people.filter(Q(code__istartswith=query) | Q(initials__iexact=query))
    if status:
        people = people.filter(enrollments__status=status)
    return list(
        people.distinct()
        .prefetch_related(
            Prefetch(
                "enrollments",
                queryset=Enrollment.objects.select_related("program").order_by("-referred_on"),
            )
        )
        .order_by("code")
    )
