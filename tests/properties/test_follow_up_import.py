"""Follow-up CSV import: any file is written whole or refused with reasons naming line and
column, and a refused file writes nothing at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.core.outcomes.followup import OutcomeKind, Source
from alliance.outcomes.models import FollowUp, FollowUpImport, OutcomeEvent
from alliance.outcomes.services import COLUMNS, import_follow_up
from tests.properties.strategies import cells

DB = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DATES = ["2024-06-01", "2024-12-31", "2025-03-01", "2025-03-10", "2099-01-01", "2025-02-30"]
values = {
    "participant": st.sampled_from(["RIV-101", "RIV-102", "RIV-201", "RIV-999", ""]) | cells,
    "record": st.sampled_from(["follow_up", "event", "", "Event"]) | cells,
    "source": st.sampled_from([s.value for s in Source] + [""]) | cells,
    "kind": st.sampled_from([k.value for k in OutcomeKind] + [""]) | cells,
    "date": st.sampled_from([*DATES, ""]) | cells,
    "window_start": st.sampled_from([*DATES, ""]) | cells,
    "window_end": st.sampled_from([*DATES, ""]) | cells,
    "checkpoint_months": st.sampled_from(["", "6", "12", "7"]) | cells,
}


def event_row(draw: st.DrawFn) -> list[str]:
    """A row that is valid on its own (it may still repeat one already stored)."""
    row = dict.fromkeys(COLUMNS, "")
    row["participant"] = draw(st.sampled_from(["RIV-101", "RIV-102", "RIV-103", "RIV-104"]))
    row["record"] = "event"
    # Partner-reported events need a partner follow-up window; these kinds do not.
    row["kind"] = draw(st.sampled_from([k.value for k in OutcomeKind if "partner" not in k]))
    row["date"] = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2025, 3, 9)))
    row["date"] = row["date"].isoformat()
    return [row[c] for c in COLUMNS]


@st.composite
def follow_up_files(draw: st.DrawFn) -> bytes:
    header = list(COLUMNS)
    if draw(st.integers(0, 9)) == 0:  # now and then a damaged header
        header = draw(st.permutations(header))[: draw(st.integers(0, len(header)))]
    valid = header == list(COLUMNS) and draw(st.booleans())
    rows = [
        event_row(draw) if valid else [draw(values.get(column, cells)) for column in header]
        for _ in range(draw(st.integers(0, 3)))
    ]
    if rows and draw(st.integers(0, 9)) == 0:
        rows[0].append("one too many")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue().encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 19)) == 0:
        text = b"\xff\xfe" + text  # not UTF-8
    return text


def counts() -> tuple[int, int, int]:
    return FollowUp.objects.count(), OutcomeEvent.objects.count(), FollowUpImport.objects.count()


def test_any_file_is_imported_whole_or_refused_without_writing(world):
    membership = world.mona.membership
    outcomes = {"written": 0, "refused": 0}

    @DB
    @given(follow_up_files())
    def check(content: bytes) -> None:
        before = counts()

        report = import_follow_up(
            membership=membership,
            user=world.mona,
            content=content,
            filename="follow-up.csv",
            today=world.today,
        )

        after = counts()
        if report.ok:
            assert after == (
                before[0] + report.follow_ups,
                before[1] + report.events,
                before[2] + 1,
            )
            assert report.follow_ups + report.events == report.rows
            outcomes["written"] += report.rows > 0
        else:
            assert after == before, "a refused file must write nothing"
            outcomes["refused"] += 1
            for rejected in report.rejected:
                assert rejected.line >= 1
                assert rejected.column in (*COLUMNS, "")
                assert rejected.reason.strip()

    check()
    # Both paths were exercised, so the property means something.
    assert outcomes["written"] > 0
    assert outcomes["refused"] > 0
