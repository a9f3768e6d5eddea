"""Caseload import: any file is written whole or refused with reasons naming row and column,
a refused file writes nothing but its log line, and a file written once changes nothing when
imported again.
"""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.participants.caseload_import import COLUMN_NAMES, import_caseload
from alliance.participants.models import CaseloadImport, Enrollment, Participant
from alliance.programs.models import Attendance
from tests.properties.strategies import cells

DB = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DATES = ["2025-01-06", "2025-02-03", "2025-03-03", "2025-03-10", "2099-01-01", "2025-02-30"]


def values(world) -> dict[str, st.SearchStrategy[str]]:
    a = [s.held_on.isoformat() for s in world.sessions_a]
    return {
        "external_id": st.sampled_from(["A1", "A2", "A3", ""]),
        "code": st.sampled_from(["N-1", "N-2", "N-3", "RIV-101", ""]),
        "program": st.sampled_from([world.program.name, world.program_b.name, "Nope", ""]),
        "referral_source": st.sampled_from(["court", "self", "judge", ""]),
        "referred_on": st.sampled_from([*DATES, ""]),
        "intake_on": st.sampled_from([*DATES, ""]),
        "group": st.sampled_from([world.group_a.name, world.group_b.name, "", "Z"]),
        "started_on": st.sampled_from([*a[-4:], *DATES, ""]),
        "attendance": st.sampled_from(["", a[-1], f"{a[-2]} excused; {a[-1]}", "x"]) | cells,
        "birth_year": st.sampled_from(["", "1980", "1800", "x"]),
        "prior_offences": st.sampled_from(["", "1", "3"]),
        "prior_ipv_offences": st.sampled_from(["", "2", "-1"]),
    }


@st.composite
def caseload_files(draw: st.DrawFn, world) -> bytes:
    columns = values(world)
    header = list(columns)
    if draw(st.integers(0, 9)) == 0:
        header = draw(st.permutations(header))[: draw(st.integers(0, len(header)))]
    rows = [[draw(columns[c]) for c in header] for _ in range(draw(st.integers(1, 3)))]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8", "surrogatepass")


def counts() -> tuple[int, int, int]:
    return Participant.objects.count(), Enrollment.objects.count(), Attendance.objects.count()


def test_any_file_is_imported_whole_or_refused_without_writing(world):
    membership = world.olga.membership
    outcomes = {"written": 0, "refused": 0}

    @DB
    @given(caseload_files(world))
    def check(content: bytes) -> None:
        before, logged = counts(), CaseloadImport.objects.count()
        report = import_caseload(
            membership=membership,
            content=content,
            filename="caseload.csv",
            today=world.today,
            dry_run=False,
        )
        after = counts()
        assert CaseloadImport.objects.count() == logged + 1
        if report.ok:
            assert after == (
                before[0] + report.participants,
                before[1] + report.enrollments,
                before[2] + report.attendance,
            )
            outcomes["written"] += report.participants > 0
            again = import_caseload(
                membership=membership,
                content=content,
                filename="caseload.csv",
                today=world.today,
                dry_run=False,
            )
            assert again.ok
            assert counts() == after, "importing the same file again must change nothing"
        else:
            assert after == before, "a refused file must write nothing"
            outcomes["refused"] += 1
            for problem in report.problems:
                assert problem.line >= 1
                assert problem.column in (*COLUMN_NAMES, "", "(blank)") or problem.line == 1
                assert problem.reason.strip()

    check()
    assert outcomes["written"] > 0
    assert outcomes["refused"] > 0
