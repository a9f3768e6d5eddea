"""Bulk write path for follow-up records: the CSV import and the demo.

Every follow-up window and outcome event gets the rules of
:mod:`alliance.outcomes.rules` (window in the past and in order, a checkpoint only and always
on a partner interview, no event in the future, no duplicate, a partner-reported event inside
one of her interview windows), for every row before anything is written; a bad row is refused
with its row number, the man's code and the field, and nothing is saved. One transaction, with
the import record that attributes every row to the person who brought it in (the tables have
no history: a record is corrected by a new import, not edited).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.outcomes.followup import SOURCE_OF_KIND, OutcomeKind, Source
from alliance.organizations.models import Organization
from alliance.outcomes.models import FollowUp, FollowUpImport, OutcomeEvent
from alliance.outcomes.rules import (
    EventRow,
    FollowUpRow,
    RejectedRow,
    check_against_store,
    event_problems,
    follow_up_problems,
)
from alliance.participants.bulk import BulkRowError, chunks
from alliance.participants.models import Participant


@dataclass(frozen=True)
class FollowUpRecord:
    """A search of official records, or a partner interview, covering these days."""

    participant_id: int
    source: Source
    window_start: dt.date
    window_end: dt.date
    checkpoint_months: int | None = None


@dataclass(frozen=True)
class EventRecord:
    """Something that happened after he left (its source follows from its kind)."""

    participant_id: int
    kind: OutcomeKind
    occurred_on: dt.date


@transaction.atomic
def record_follow_up_bulk(
    *,
    actor: User,
    organization: Organization,
    filename: str,
    follow_ups: Sequence[FollowUpRecord],
    events: Sequence[EventRecord],
    today: dt.date,
    rows: int | None = None,
) -> FollowUpImport:
    """Write follow-up windows and events (rows numbered follow-ups first, then events) with
    one import record naming ``actor``, ``filename`` and ``rows`` (the file's row count)."""
    men = sorted({r.participant_id for r in follow_ups} | {r.participant_id for r in events})
    codes: dict[int, str] = {}
    for chunk in chunks(men):
        codes.update(
            Participant.objects.filter(pk__in=chunk, organization=organization).values_list(
                "pk", "code"
            )
        )
    problems: list[RejectedRow] = []
    windows, happenings = [], []
    for row, f in enumerate(follow_ups, start=1):
        found = follow_up_problems(
            source=f.source,
            start=f.window_start,
            end=f.window_end,
            checkpoint=f.checkpoint_months,
            today=today,
        )
        problems += [RejectedRow(row, column, reason) for column, reason in found]
        windows.append(
            FollowUpRow(
                row, f.participant_id, f.source, f.window_start, f.window_end, f.checkpoint_months
            )
        )
    for row, e in enumerate(events, start=len(follow_ups) + 1):
        found = event_problems(on=e.occurred_on, today=today)
        problems += [RejectedRow(row, column, reason) for column, reason in found]
        happenings.append(EventRow(row, e.participant_id, e.kind, e.occurred_on))
    whose = [r.participant_id for r in follow_ups] + [r.participant_id for r in events]
    problems += [
        RejectedRow(row, "participant", "not a participant of this organization")
        for row, man in enumerate(whose, start=1)
        if man not in codes
    ]
    check_against_store(windows, happenings, problems.append)
    if problems:
        first = min(problems, key=lambda p: p.line)
        man = whose[first.line - 1]
        label = codes.get(man, f"participant {man}")
        raise BulkRowError(f"row {first.line} ({label}): {first.column}: {first.reason}")
    batch = FollowUpImport.objects.create(
        organization=organization,
        imported_by=actor,
        filename=filename[:255],
        rows=len(follow_ups) + len(events) if rows is None else rows,
        follow_ups=len(follow_ups),
        events=len(events),
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                participant_id=f.participant_id,
                source=f.source,
                window_start=f.window_start,
                window_end=f.window_end,
                checkpoint_months=f.checkpoint_months,
                imported_in=batch,
                recorded_by=actor,
            )
            for f in follow_ups
        ],
        batch_size=2000,
    )
    OutcomeEvent.objects.bulk_create(
        [
            OutcomeEvent(
                participant_id=e.participant_id,
                kind=e.kind,
                source=SOURCE_OF_KIND[e.kind],
                occurred_on=e.occurred_on,
                imported_in=batch,
                recorded_by=actor,
            )
            for e in events
        ],
        batch_size=2000,
    )
    return batch
