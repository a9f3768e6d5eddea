"""Writes: the follow-up CSV importer.

The file is checked row by row first; if any row is wrong nothing is written and the report
lists the first rejected rows (by line) with their line number, column and reason, and counts
the rest: a file of 50,000 bad rows must not become a 100 MB page. A value longer than
``MAX_VALUE_CHARS`` is refused without being quoted, and one longer than the csv module can
read ends the check with a message naming its line (it was a 500). If every row is right, all
of it is written in one transaction with an import record that attributes it.

Columns (header required, order free)::

    participant,record,source,kind,date,window_start,window_end,checkpoint_months

* ``record=follow_up``: ``source`` (official_record | partner_report), ``window_start`` and
  ``window_end`` (YYYY-MM-DD), ``checkpoint_months`` (6 or 12, partner reports only).
* ``record=event``: ``kind`` (see :class:`~alliance.core.outcomes.followup.OutcomeKind`),
  ``date``; ``source`` may be left blank (it follows from the kind) but must match if given.
  A partner-reported event must fall inside a partner interview window of the same man (in
  the file or already stored): a partner's report covers only the months she was asked about.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.outcomes.followup import (
    SOURCE_OF_KIND,
    OutcomeKind,
    Source,
)
from alliance.organizations.models import Membership
from alliance.outcomes.bulk import EventRecord, FollowUpRecord, record_follow_up_bulk
from alliance.outcomes.models import OutcomeEvent
from alliance.outcomes.rules import (
    EventRow,
    FollowUpRow,
    RejectedRow,
    check_against_store,
    event_problems,
    follow_up_problems,
)
from alliance.participants.permissions import visible_participants

COLUMNS = (
    "participant",
    "record",
    "source",
    "kind",
    "date",
    "window_start",
    "window_end",
    "checkpoint_months",
)
MAX_ROWS = 200_000
#: No column holds more than a code, a kind or a date: anything longer is refused unread.
MAX_VALUE_CHARS = 100
#: Problems listed on the page; the rest are counted.
MAX_LISTED = 100


@dataclass
class ImportReport:
    rows: int = 0
    follow_ups: int = 0
    events: int = 0
    #: The first ``MAX_LISTED`` problems by (line, column); ``problems`` counts them all.
    rejected: list[RejectedRow] = field(default_factory=list)
    problems: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problems == 0

    @property
    def unlisted(self) -> int:
        return self.problems - len(self.rejected)

    def reject(self, row: RejectedRow) -> None:
        """Count a problem; keep it only while it is among the first ``MAX_LISTED`` by line."""
        self.problems += 1
        self.rejected.append(row)
        if len(self.rejected) >= 2 * MAX_LISTED:  # amortised: memory stays bounded too
            self._keep_first()

    def _keep_first(self) -> None:
        self.rejected.sort(key=lambda r: (r.line, r.column))
        del self.rejected[MAX_LISTED:]


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def import_follow_up(
    *,
    membership: Membership,
    user: User,
    content: bytes,
    filename: str,
    today: dt.date,
) -> ImportReport:
    """Validate the whole file, then write all of it or none of it."""
    report = ImportReport()
    reject = report.reject
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        reject(RejectedRow(1, "", "the file is not UTF-8 text"))
        return report
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        reject(RejectedRow(1, "", f"the header cannot be read as CSV ({exc})"))
        return report
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        for column in missing:
            reject(RejectedRow(1, column, "missing from the header"))
        return report
    reader.fieldnames = header
    codes = dict(visible_participants(membership).values_list("code", "pk"))
    follow_ups: list[FollowUpRow] = []
    events: list[EventRow] = []
    while True:
        line = report.rows + 2  # the header is line 1
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The csv module's own limit (131,072 characters a value) or broken quoting: the
            # rest of the file cannot be read reliably, so the check stops here.
            reject(RejectedRow(line, "", f"cannot be read as CSV ({exc}): fix or split the file"))
            report._keep_first()
            return report
        report.rows += 1
        if report.rows > MAX_ROWS:
            reject(RejectedRow(line, "", f"more than {MAX_ROWS} rows: split the file"))
            report._keep_first()
            return report
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            reject(RejectedRow(line, "", "more values than header columns"))
            continue
        too_long = [k for k, v in row.items() if len(v) > MAX_VALUE_CHARS]
        if too_long:
            for column in too_long:
                reject(RejectedRow(line, column, f"longer than {MAX_VALUE_CHARS} characters"))
            continue
        parsed = _parse_row(line, row, codes, today, reject)
        if isinstance(parsed, FollowUpRow):
            follow_ups.append(parsed)
        elif isinstance(parsed, EventRow):
            events.append(parsed)
    check_against_store(follow_ups, events, reject)
    if not report.ok:
        report._keep_first()
        return report
    batch = record_follow_up_bulk(
        actor=user,
        organization=membership.organization,
        filename=filename,
        rows=report.rows,
        follow_ups=[
            FollowUpRecord(f.participant_id, f.source, f.start, f.end, f.checkpoint)
            for f in follow_ups
        ],
        events=[EventRecord(e.participant_id, e.kind, e.on) for e in events],
        today=today,
    )
    report.follow_ups, report.events, report.batch_id = len(follow_ups), len(events), batch.pk
    return report


def _parse_row(
    line: int,
    row: dict[str, str],
    codes: dict[str, int],
    today: dt.date,
    reject: Callable[[RejectedRow], None],
) -> FollowUpRow | EventRow | None:
    errors: list[RejectedRow] = []

    def bad(column: str, reason: str) -> None:
        errors.append(RejectedRow(line, column, reason))

    participant_id = codes.get(row["participant"])
    if not row["participant"]:
        bad("participant", "required")
    elif participant_id is None:
        bad("participant", f"no participant {row['participant']!r} in your programs")
    record = row["record"]
    result: FollowUpRow | EventRow | None = None
    if record == "follow_up":
        result = _parse_follow_up(line, row, participant_id, today, bad)
    elif record == "event":
        result = _parse_event(line, row, participant_id, today, bad)
    else:
        bad("record", f"{record!r} is not 'follow_up' or 'event'")
    for error in errors:
        reject(error)
    return None if errors else result


def _parse_follow_up(
    line: int,
    row: dict[str, str],
    participant_id: int | None,
    today: dt.date,
    bad: Callable[[str, str], None],
) -> FollowUpRow | None:
    source = row["source"]
    if source not in {s.value for s in Source}:
        bad("source", f"{source!r} is not one of {', '.join(s.value for s in Source)}")
    start, end = _date(row["window_start"]), _date(row["window_end"])
    if start is None:
        bad("window_start", f"{row['window_start']!r} is not a date (YYYY-MM-DD)")
    if end is None:
        bad("window_end", f"{row['window_end']!r} is not a date (YYYY-MM-DD)")
    raw = row["checkpoint_months"]
    checkpoint = int(raw) if raw.isdigit() and len(raw) < 4 else None
    if raw and checkpoint is None:
        bad("checkpoint_months", f"{raw!r}: partner interviews are at 6 or 12 months")
    else:
        for column, reason in follow_up_problems(
            source=source, start=start, end=end, checkpoint=checkpoint, today=today
        ):
            bad(column, reason)
    for column in ("kind", "date"):
        if row[column]:
            bad(column, "must be empty on a follow_up row")
    if participant_id is None or start is None or end is None or source not in set(Source):
        return None
    return FollowUpRow(line, participant_id, Source(source), start, end, checkpoint)


def _parse_event(
    line: int,
    row: dict[str, str],
    participant_id: int | None,
    today: dt.date,
    bad: Callable[[str, str], None],
) -> EventRow | None:
    kind = row["kind"]
    if kind not in {k.value for k in OutcomeKind}:
        bad("kind", f"{kind!r} is not one of {', '.join(k.value for k in OutcomeKind)}")
    elif row["source"] and row["source"] != SOURCE_OF_KIND[OutcomeKind(kind)]:
        bad("source", f"{kind} comes from {SOURCE_OF_KIND[OutcomeKind(kind)].value}")
    on = _date(row["date"])
    if on is None:
        bad("date", f"{row['date']!r} is not a date (YYYY-MM-DD)")
    for column, reason in event_problems(on=on, today=today):
        bad(column, reason)
    for column in ("window_start", "window_end", "checkpoint_months"):
        if row[column]:
            bad(column, "must be empty on an event row")
    if participant_id is None or on is None or kind not in set(OutcomeKind):
        return None
    return EventRow(line, participant_id, OutcomeKind(kind), on)


class OutcomeEventError(ValueError):
    """A single outcome event that cannot be recorded; the message starts with the field."""


@transaction.atomic
def record_outcome_event(
    *,
    actor: User,
    participant_id: int,
    kind: str,
    occurred_on: dt.date,
    today: dt.date,
) -> tuple[OutcomeEvent, bool]:
    """Record one official-record event (a new offence learned of during the program, e.g.
    from a safety incident); returns the event and whether it is new.

    Only official-record kinds: a partner-reported event belongs to a partner interview window
    (the CSV importer's rule) and is recorded by the follow-up import, not here. The same
    event already on file (same man, kind and day, e.g. from an import) is returned as it is.
    """
    if kind not in {k.value for k in OutcomeKind}:
        raise OutcomeEventError(f"kind: {kind!r} is not an outcome kind.")
    if SOURCE_OF_KIND[OutcomeKind(kind)] is not Source.OFFICIAL_RECORD:
        raise OutcomeEventError("kind: only official-record events are recorded one by one.")
    if occurred_on > today:
        raise OutcomeEventError(f"occurred_on: {occurred_on} is in the future.")
    event, created = OutcomeEvent.objects.get_or_create(
        participant_id=participant_id,
        kind=kind,
        occurred_on=occurred_on,
        defaults={"source": Source.OFFICIAL_RECORD.value, "recorded_by": actor},
    )
    return event, created
