"""Small-cell suppression in the research export, through HTTP as the evaluator (Eve)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import numpy as np
import pytest

from alliance.core.enrollment import EnrollmentStatus
from alliance.outcomes.export_jobs import produce_research_export
from alliance.outcomes.models import ResearchExport
from alliance.participants.models import Enrollment, Participant
from tests.factories import make_program
from tests.web.helpers import text

URL = "/evaluation/export/"
QUASI_IDENTIFIERS = (
    "income_band",
    "education",
    "relationship_status",
    "employment",
    "referral_source",
    "mandated",
    "age_band",
    "program",
)


@pytest.fixture(autouse=True)
def _seeded_export(monkeypatch) -> None:
    monkeypatch.setattr(
        "alliance.outcomes.research_export.fresh_rng", lambda: np.random.default_rng(2026)
    )


def _download(client, **form) -> dict[str, bytes]:
    asked = client.post(URL, {"format": "csv", "dates": "shift", **form})
    assert asked.status_code == 302, text(asked)[:2000]
    # Produced by the background task (its enqueue waits for a commit these tests never make).
    produce_research_export(ResearchExport.objects.latest("pk").pk)
    response = client.get(asked["Location"] + "download")
    assert response.status_code == 200, text(response)[:2000]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode())))


def _exited_men(world, program, *, completed: int, dropped: int, odd_one: bool = False) -> None:
    """Men alike in every quasi-identifier (born 1990, employed full time, court-referred);
    with ``odd_one`` the last of them is unemployed, alone in his combination."""
    total = completed + dropped
    for n in range(total):
        participant = Participant.objects.create(
            organization=world.riverside,
            code=f"SC-{program.pk}-{n:03d}",
            birth_year=1990,
            employment="unemployed" if odd_one and n == total - 1 else "full_time",
        )
        done = n < completed
        Enrollment.objects.create(
            participant=participant,
            program=program,
            referral_source="court",
            status=EnrollmentStatus.COMPLETED if done else EnrollmentStatus.DROPPED_OUT,
            referred_on=dt.date(2024, 1, 8),
            started_on=dt.date(2024, 1, 22),
            ended_on=dt.date(2024, 6, 3),
            status_changed_on=dt.date(2024, 6, 3),
            attended_count=20 if done else 5,
        )


def _summary(files: dict[str, bytes]) -> dict[str, dict[str, str]]:
    return {row["program"]: row for row in _rows(files["summary.csv"])}


def test_a_small_programs_export_shows_no_count_under_the_threshold(world, as_user) -> None:
    files = _download(as_user(world.eve))
    summary = _rows(files["summary.csv"])
    cells = [value for row in summary for key, value in row.items() if key != "program"]
    assert "suppressed" in cells
    for value in cells:
        assert value == "suppressed" or int(value) == 0 or int(value) >= 11
    enrollments = _rows(files["enrollments.csv"])
    assert enrollments  # Riverside's handful of men: every one alone or nearly so
    for row in enrollments:
        assert all(row[q] == "98" for q in QUASI_IDENTIFIERS)
    assert "age" not in enrollments[0]
    readme = files["README.txt"].decode()
    assert "threshold 11" in readme
    assert f"{len(enrollments)} of {len(enrollments)} record(s) were affected" in readme


def test_a_cell_exactly_at_the_threshold_is_shown(world, as_user) -> None:
    program = make_program(world.north, "Small Cells")
    _exited_men(world, program, completed=11, dropped=11)
    files = _download(as_user(world.eve), program=program.pk)
    row = _summary(files)["Small Cells"]
    assert (row["Completed"], row["Dropped out"], row["Total"]) == ("11", "11", "22")
    assert _summary(files)["Total"]["Total"] == "22"
    enrollments = _rows(files["enrollments.csv"])
    assert {r["employment"] for r in enrollments} == {"1"}  # full time, shared by 22 men
    assert (
        "0 cell(s) were under the threshold and 0 more were hidden" in files["README.txt"].decode()
    )


def test_a_lone_small_cell_takes_the_next_smallest_with_it(world, as_user) -> None:
    # 11 completed, 10 dropped out: the 10 is hidden, and the 11 too, or the row total (21)
    # would give the 10 away; likewise down the columns, in the Total row.
    program = make_program(world.north, "Small Cells")
    _exited_men(world, program, completed=11, dropped=10)
    files = _download(as_user(world.eve), program=program.pk)
    summary = _summary(files)
    assert summary["Small Cells"]["Dropped out"] == "suppressed"
    assert summary["Small Cells"]["Completed"] == "suppressed"
    assert summary["Small Cells"]["Total"] == "21"
    assert summary["Total"]["Completed"] == "suppressed"
    assert summary["Total"]["Dropped out"] == "suppressed"
    readme = files["README.txt"].decode()
    assert "2 cell(s) were under the threshold and 2 more were hidden" in readme


def test_the_man_alone_in_his_combination_has_his_quasi_identifiers_suppressed(
    world, as_user
) -> None:
    program = make_program(world.north, "Small Cells")
    _exited_men(world, program, completed=12, dropped=10, odd_one=True)
    files = _download(as_user(world.eve), program=program.pk)
    enrollments = _rows(files["enrollments.csv"])
    odd = [r for r in enrollments if r["employment"] == "98"]
    assert len(odd) == 1
    assert all(odd[0][q] == "98" for q in QUASI_IDENTIFIERS)
    others = [r for r in enrollments if r is not odd[0]]
    assert len(others) == 21
    assert {r["employment"] for r in others} == {"1"}
    assert {r["age_band"] for r in others} == {"2"}  # referred in 2024, born 1990: 25-34
    assert all(r["sessions_attended"] for r in enrollments)  # measures are not touched
    readme = files["README.txt"].decode()
    assert "1 of 22 record(s) were affected" in readme
    assert "unemployed" not in readme.lower()
    book = _rows(files["codebook.csv"])
    employment = next(r for r in book if r["variable"] == "employment")
    assert "98 = Suppressed (small group)" in employment["missing_codes"]


def test_the_threshold_comes_from_the_setting(world, as_user, settings) -> None:
    settings.RESEARCH_EXPORT_MIN_CELL = 10
    program = make_program(world.north, "Small Cells")
    _exited_men(world, program, completed=11, dropped=10)
    files = _download(as_user(world.eve), program=program.pk)
    assert _summary(files)["Small Cells"]["Dropped out"] == "10"
    assert "threshold 10" in files["README.txt"].decode()
