"""The rules a follow-up record must meet, shared by the CSV import
(:mod:`alliance.outcomes.services`) and the bulk path (:mod:`alliance.outcomes.bulk`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from alliance.core.outcomes.followup import PARTNER_CHECKPOINTS, SOURCE_OF_KIND, OutcomeKind, Source
from alliance.outcomes.models import FollowUp, OutcomeEvent


@dataclass(frozen=True)
class RejectedRow:
    line: int  # line of the file; the header is line 1
    column: str
    reason: str


@dataclass(frozen=True)
class FollowUpRow:
    line: int
    participant_id: int
    source: Source
    start: dt.date
    end: dt.date
    checkpoint: int | None


@dataclass(frozen=True)
class EventRow:
    line: int
    participant_id: int
    kind: OutcomeKind
    on: dt.date


def follow_up_problems(
    *,
    source: str,
    start: dt.date | None,
    end: dt.date | None,
    checkpoint: int | None,
    today: dt.date,
) -> list[tuple[str, str]]:
    """What is wrong with one follow-up window, as (column, reason): the rules the CSV import
    and :func:`alliance.outcomes.bulk.record_follow_up_bulk` share."""
    problems = []
    if end is not None and end > today:
        problems.append(("window_end", f"{end} is in the future"))
    if start and end and end < start:
        problems.append(("window_end", f"{end} is before window_start {start}"))
    if source == Source.PARTNER_REPORT:
        if checkpoint not in PARTNER_CHECKPOINTS:
            shown = "" if checkpoint is None else str(checkpoint)
            problems.append(
                ("checkpoint_months", f"{shown!r}: partner interviews are at 6 or 12 months")
            )
    elif checkpoint is not None:
        problems.append(("checkpoint_months", "only partner reports have a checkpoint"))
    return problems


def event_problems(*, on: dt.date | None, today: dt.date) -> list[tuple[str, str]]:
    """What is wrong with one outcome event's date, as (column, reason)."""
    if on is not None and on > today:
        return [("date", f"{on} is in the future")]
    return []


def check_against_store(
    follow_ups: Sequence[FollowUpRow],
    events: Sequence[EventRow],
    reject: Callable[[RejectedRow], None],
) -> None:
    """Rules that need other rows: duplicates, and partner events inside a partner window."""
    men = {f.participant_id for f in follow_ups} | {e.participant_id for e in events}
    windows: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    stored_windows: set[tuple[int, str, dt.date, dt.date]] = set()
    for pid, source, start, end in FollowUp.objects.filter(participant_id__in=men).values_list(
        "participant_id", "source", "window_start", "window_end"
    ):
        stored_windows.add((pid, source, start, end))
        if source == Source.PARTNER_REPORT:
            windows[pid].append((start, end))
    stored_events = set(
        OutcomeEvent.objects.filter(participant_id__in=men).values_list(
            "participant_id", "kind", "occurred_on"
        )
    )
    seen: dict[tuple[object, ...], int] = {}
    for f in follow_ups:
        window = (f.participant_id, f.source.value, f.start, f.end)
        key: tuple[object, ...] = window
        if window in stored_windows:
            reject(RejectedRow(f.line, "window_start", "this follow-up is already recorded"))
        elif key in seen:
            reject(RejectedRow(f.line, "window_start", f"same follow-up as line {seen[key]}"))
        seen[key] = f.line
        if f.source is Source.PARTNER_REPORT:
            windows[f.participant_id].append((f.start, f.end))
    for e in events:
        found = (e.participant_id, e.kind.value, e.on)
        key = found
        if found in stored_events:
            reject(RejectedRow(e.line, "date", "this event is already recorded"))
        elif key in seen:
            reject(RejectedRow(e.line, "date", f"same event as line {seen[key]}"))
        seen[key] = e.line
        if SOURCE_OF_KIND[e.kind] is Source.PARTNER_REPORT and not any(
            start <= e.on <= end for start, end in windows[e.participant_id]
        ):
            reject(
                RejectedRow(
                    e.line, "date", f"{e.on} is outside every partner interview window of this man"
                )
            )
