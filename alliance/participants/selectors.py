"""Reads for the participant page: his enrollments and a single dated timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.utils.text import capfirst

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


#: What each kind of record is called on the history page.
RECORD_LABELS = {
    "participant": "His record",
    "enrollment": "Enrollment",
    "attendance": "Attendance",
}
#: How each kind of change is called.
CHANGE_LABELS = {"+": "created", "~": "changed", "-": "deleted"}
#: Shown for an empty value ("Group: — → Group A").
EMPTY = "—"


def _describe(record: Any) -> str:
    if isinstance(record, Attendance.history.model):
        return f"Attendance, {record.session.group} on {record.session.held_on:%-d %b %Y}"
    name = str(record.instance_type._meta.model_name)
    label = RECORD_LABELS.get(name, capfirst(str(record.instance_type._meta.verbose_name)))
    program = getattr(record, "program", None) if name == "enrollment" else None
    return f"{label}, {program}" if program is not None else label


def _field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(field: Any, name: str) -> str:
    if field is None:
        return name.replace("_", " ").capitalize()
    return capfirst(str(field.verbose_name))


def _value(field: Any, value: Any, related: dict[tuple[Any, Any], str]) -> str:
    """A stored value as a person reads it: choices by their label, a related record by its
    name, a yes/no as Yes or No, a date as "3 Mar 2025", nothing as a dash."""
    if value is None or value == "":
        return EMPTY
    if field is not None and field.is_relation:
        return related.get((field.related_model, value), f"(record {value}, since removed)")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{value:%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    return str(value)


def _related_names(wanted: dict[Any, set[Any]]) -> dict[tuple[Any, Any], str]:
    """(model, pk) -> str(object), one query per kind of related record on the page."""
    names: dict[tuple[Any, Any], str] = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def history_rows(participant: Participant) -> list[dict[str, Any]]:
    """Every recorded change to his record and enrollments: who, when, what changed, in words
    ("Group: — → Group A", "Standing: — → In breach"; finding D12)."""
    raw: list[tuple[Any, list[Any]]] = []
    for model_history in (
        participant.history.all().select_related("history_user"),
        Enrollment.history.filter(participant_id=participant.pk).select_related(
            "history_user", "program"
        ),
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
                changes = [c for c in delta.changes if c.field not in HIDDEN_FIELDS]
            previous[record.id] = record
            raw.append((record, changes))
    wanted: dict[Any, set[Any]] = {}
    for record, changes in raw:
        model = record.instance_type
        for c in changes:
            field = _field(model, c.field)
            if field is not None and field.is_relation:
                wanted.setdefault(field.related_model, set()).update(
                    v for v in (c.old, c.new) if v not in (None, "")
                )
    related = _related_names(wanted)
    rows: list[dict[str, Any]] = []
    for record, changes in raw:
        model = record.instance_type
        described = []
        for c in changes:
            field = _field(model, c.field)
            described.append(
                (
                    _field_label(field, c.field),
                    _value(field, c.old, related),
                    _value(field, c.new, related),
                )
            )
        rows.append(
            {
                "when": record.history_date,
                "who": person_name(record.history_user, default="The system"),
                "what": _describe(record),
                "type": CHANGE_LABELS[record.history_type],
                "changes": described,
            }
        )
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows


def find_participants(
    membership: Membership,
    *,
    query: str,
    status: str,
    name_matches: Iterable[int] = (),
) -> QuerySet[Participant]:
    """Men the user may see whose code contains ``query`` or whose initials are ``query``, or
    whose name matched (``name_matches``: ids found by ``identity.search.names_matching``, for
    a role that may see names), newest code last; filtered by an enrollment status."""
    people = visible_participants(membership)
    if query:
        match = Q(code__icontains=query) | Q(initials__iexact=query)
        ids = list(name_matches)
        if ids:
            match |= Q(pk__in=ids)
        people = people.filter(match)
    if status:
        people = people.filter(enrollments__status=status)
    return (
        people.distinct()
        .prefetch_related(
            Prefetch(
                "enrollments",
                queryset=Enrollment.objects.select_related("program").order_by("-referred_on"),
            )
        )
        .order_by("code")
    )
