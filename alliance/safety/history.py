"""The history of one partner record, newest first, for the safety worker's History page.

Partner records and concerns keep every version (django-simple-history, columns encrypted like
the live ones); each version is compared with the one before it. Releases and notifications are
never edited, only revoked or closed, and carry who and when on the row, so their events are
read from the row itself. Values are decrypted: only the safety worker (and an admin inside a
break-glass window for this record) ever reaches this page.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from alliance.safety.models import (
    ConcernLevel,
    ContactMethod,
    NotificationKind,
    NotificationStatus,
    PartnerRecord,
    SafetyConcern,
)

PARTNER_LABELS = {
    "name": "Name",
    "relationship": "Relationship",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "language": "Language",
    "safe_times": "When it is safe",
    "safe_methods": "How it is safe",
    "cautions": "Never do",
    "notes": "Notes",
}
CONCERN_LABELS = {
    "level": "Level",
    "raised_on": "Raised on",
    "narrative": "Narrative",
    "resolved_on": "Resolved on",
    "resolution": "Resolution",
}
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    #: Revocations record only the day, not the moment.
    day_only: bool
    who: User | None
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%-d %b %Y")
    return str(value)


def _level(value: object) -> str:
    return ConcernLevel(value).label if value in ConcernLevel.values else _text(value)


def _diff(
    labels: dict[str, str],
    old: Any,
    new: Any,
    shown: dict[str, Callable[[object], str]],
) -> list[Change]:
    changes = []
    for name, label in labels.items():
        show = shown.get(name, _text)
        before = show(getattr(old, name)) if old is not None else ""
        after = show(getattr(new, name)) if new is not None else ""
        if before != after:
            changes.append(Change(label, before, after))
    return changes


def _versions(
    rows: list[Any],
    subject: Callable[[Any], str],
    labels: dict[str, str],
    shown: dict[str, Callable[[object], str]],
) -> list[Event]:
    events = []
    previous: dict[int, Any] = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        old = previous.get(row.id)
        deleted = row.history_type == "-"
        changes = _diff(labels, old, None if deleted else row, shown)
        previous[row.id] = row
        if row.history_type == "~" and not changes:
            continue  # saved with no shown field changed
        events.append(
            Event(
                at=row.history_date,
                day_only=False,
                who=row.history_user,
                subject=subject(row),
                action=ACTIONS.get(row.history_type, "Changed"),
                changes=changes,
            )
        )
    return events


def _day_start(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def partner_history(record: PartnerRecord) -> list[Event]:
    """Every change to the record, its concerns, releases and notifications, newest first."""
    zone = zoneinfo.ZoneInfo(record.organization.time_zone)
    events = _versions(
        list(PartnerRecord.history.filter(id=record.pk).select_related("history_user")),
        lambda row: "Partner record",
        PARTNER_LABELS,
        {},
    )
    events += _versions(
        list(SafetyConcern.history.filter(partner_id=record.pk).select_related("history_user")),
        lambda row: f"Concern raised {_text(row.raised_on)}",
        CONCERN_LABELS,
        {"level": _level},
    )
    for release in record.releases.select_related("recorded_by", "revoked_by"):
        subject = f"Release: {release.get_kind_display()}"
        events.append(
            Event(
                at=release.recorded_at,
                day_only=False,
                who=release.recorded_by,
                subject=subject,
                action="Recorded",
                changes=[
                    Change("Kind of news", "", release.get_kind_display()),
                    Change("Signed on", "", _text(release.signed_on)),
                ],
            )
        )
        if release.revoked_on is not None:
            events.append(
                Event(
                    at=_day_start(release.revoked_on, zone),
                    day_only=True,
                    who=release.revoked_by,
                    subject=subject,
                    action="Revoked",
                    changes=[Change("Revoked on", "", _text(release.revoked_on))],
                )
            )
    for note in record.notifications.select_related("closed_by"):
        kind = NotificationKind(note.kind).label if note.kind else "Contact"
        subject = f"Notification: {kind}, {_text(note.event_on)}"
        if note.kind:
            events.append(
                Event(
                    at=note.prepared_at,
                    day_only=False,
                    who=None,
                    subject=subject,
                    action="Prepared",
                    changes=[Change("Message", "", note.message)],
                )
            )
        if note.closed_at is not None:
            status = NotificationStatus(note.status).label
            changes = [Change("Status", NotificationStatus.PENDING.label, status)]
            if not note.kind:
                changes = [Change("Status", "", status), Change("Message", "", note.message)]
            if note.method:
                changes.append(Change("How", "", ContactMethod(note.method).label))
            if note.closing_note:
                changes.append(Change("Note", "", note.closing_note))
            events.append(
                Event(
                    at=note.closed_at,
                    day_only=False,
                    who=note.closed_by,
                    subject=subject,
                    action="Logged" if not note.kind else status,
                    changes=changes,
                )
            )
    # Stable sort: events of the same moment keep the order they were built in, reversed.
    events.reverse()
    events.sort(key=lambda e: e.at, reverse=True)
    return events
