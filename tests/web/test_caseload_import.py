"""The caseload import: men, referrals, groups and past attendance from CSV or Excel.

Olga administers Riverside; Mona manages Riverside North ("Respectful Relationships", group A
meeting on Mondays, the last session today, Monday 10 March 2025). "Safe at Home" belongs to
Riverside South, which Mona does not manage. Charlie facilitates and may not import; Oscar
administers another organization.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from alliance.participants.caseload_import import COLUMN_NAMES
from alliance.participants.models import CaseloadImport, Enrollment, Participant
from alliance.programs.models import Attendance
from tests.web.helpers import text

URL = reverse("caseload-import")
HEADER = (
    "external_id",
    "code",
    "initials",
    "birth_year",
    "employment",
    "prior_offences",
    "prior_ipv_offences",
    "substance_use_concern",
    "program",
    "referral_source",
    "referred_on",
    "case_reference",
    "referral_contact_name",
    "intake_on",
    "group",
    "started_on",
    "attendance",
)


def rows(world) -> list[dict[str, str]]:
    """An active man in group A with three past marks, and one still referred."""
    a = [s.held_on for s in world.sessions_a]
    return [
        {
            "external_id": "OLD-1",
            "code": "NEW-001",
            "initials": "JD",
            "birth_year": "1985",
            "employment": "full_time",
            "substance_use_concern": "no",
            "program": world.program.name,
            "referral_source": "court",
            "referred_on": (a[-4] - dt.timedelta(days=10)).isoformat(),
            "case_reference": "CR-2025-0417",
            "referral_contact_name": "P. Officer",
            "intake_on": (a[-4] - dt.timedelta(days=3)).isoformat(),
            "group": world.group_a.name,
            "started_on": a[-3].isoformat(),
            "attendance": f"{a[-3]}; {a[-2]} excused; {a[-1]} late 10",
        },
        {
            "external_id": "OLD-2",
            "code": "NEW-002",
            "program": world.program.name,
            "referral_source": "self",
            "referred_on": a[-1].isoformat(),
        },
    ]


def csv_file(data: list[dict[str, str]], name: str = "caseload.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(data)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(data: list[dict[str, str]], name: str = "caseload.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    for row in data:
        values: list[object] = []
        for column in HEADER:
            value = row.get(column, "")
            # Excel holds dates and numbers as such, not as text.
            if column.endswith("_on") and value:
                value = dt.datetime.fromisoformat(value)
            elif column == "birth_year" and value:
                value = float(value)
            values.append(value or None)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def post(client, upload, action="import"):
    return client.post(URL, {"file": upload, "action": action})


def counts() -> tuple[int, int, int]:
    return Participant.objects.count(), Enrollment.objects.count(), Attendance.objects.count()


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_an_admin_imports_men_referrals_groups_and_past_attendance(world, as_user, make_file):
    before = counts()
    response = post(as_user(world.olga), make_file(rows(world)))
    assert response.status_code == 200, text(response)
    assert "Imported" in text(response)
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 3)
    active = Enrollment.objects.get(participant__code="NEW-001")
    assert active.participant.external_id == "OLD-1"
    assert active.participant.birth_year == 1985
    assert active.participant.substance_use_concern is False
    assert (active.status, active.group, active.case_reference) == (
        "active",
        world.group_a,
        "CR-2025-0417",
    )
    assert active.assignments.get().starts_on == world.sessions_a[-3].held_on
    marks = dict(active.attendance.values_list("session__held_on", "mark"))
    assert list(marks.values()) == ["present", "excused", "late"]
    assert active.standing  # compliance is computed for an imported man too
    referred = Enrollment.objects.get(participant__code="NEW-002")
    assert (referred.status, referred.group, referred.referral_source) == ("referred", None, "self")
    log = CaseloadImport.objects.get()
    assert (log.imported_by, log.outcome, log.participants, log.attendance) == (
        world.olga,
        "imported",
        2,
        3,
    )
    assert log.filename == ("caseload.csv" if make_file is csv_file else "caseload.xlsx")


def test_the_check_lists_what_would_be_created_and_writes_nothing(world, as_user):
    before = counts()
    response = post(as_user(world.olga), csv_file(rows(world)), action="check")
    body = text(response)
    assert response.status_code == 200
    assert "would create 2 men, 2 enrollments and 3 attendance marks" in body
    assert "NEW-001" in body
    assert "NEW-002" in body
    assert counts() == before
    assert not CaseloadImport.objects.exists()


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(world, as_user):
    data = rows(world)
    data[0]["referral_source"] = "judge"
    data[0]["attendance"] = "2025-03-04"  # a Tuesday: group A meets on Mondays
    data[1]["referred_on"] = "10/03/2025"
    data.append({**data[1], "external_id": "OLD-3", "code": "NEW-003", "group": "Group Z"})
    data.append({**data[1], "external_id": "OLD-4", "code": "RIV-101", "program": "Nope"})
    data.append({**data[1], "external_id": "OLD-1", "code": "NEW-005", "referred_on": ""})
    data[0]["birth_year"] = "1800"
    data[1].update(prior_offences="1", prior_ipv_offences="2")
    before = counts()
    response = post(as_user(world.olga), csv_file(data))
    assert response.status_code == 400
    body = text(response)
    problems = {(p.line, p.column) for p in response.context["report"].problems}
    assert problems >= {
        (2, "referral_source"),
        (2, "attendance"),
        (2, "birth_year"),
        (3, "referred_on"),
        (3, "prior_ipv_offences"),
        (4, "group"),
        (5, "code"),
        (5, "program"),
        (6, "external_id"),
        (6, "referred_on"),
    }
    assert "&#x27;judge&#x27; is not one of: court, probation" in body
    assert "Group A has no session on 2025-03-04" in body
    assert "RIV-101 is already a participant here" in body
    assert "repeats row 2" in body
    assert counts() == before
    log = CaseloadImport.objects.get()
    assert (log.outcome, log.participants, log.problems) == ("refused", 0, len(problems))


def test_a_mark_the_attendance_rules_refuse_is_named_by_the_mans_row(world, as_user):
    data = rows(world)
    data.insert(0, {**data[1], "external_id": "OLD-0", "code": "NEW-000"})
    data[1]["attendance"] = f"{world.sessions_a[-1].held_on} late 700"  # more than 600 minutes
    before = counts()
    response = post(as_user(world.olga), csv_file(data))
    assert response.status_code == 400
    problem = response.context["report"].problems[0]
    assert (problem.line, problem.column) == (3, "attendance")
    assert "minutes_late: give the minutes late, between 0 and 600" in problem.reason
    assert counts() == before


def test_importing_the_same_file_again_changes_nothing(world, as_user):
    client = as_user(world.olga)
    assert post(client, csv_file(rows(world))).status_code == 200
    after_first = counts()
    response = post(client, csv_file(rows(world)))
    assert response.status_code == 200
    assert "2 rows already imported left as they were" in text(response)
    assert counts() == after_first
    assert list(CaseloadImport.objects.values_list("participants", "unchanged")) == [
        (0, 2),
        (2, 0),
    ]


def test_a_new_row_added_to_an_imported_file_is_the_only_one_written(world, as_user):
    client = as_user(world.olga)
    post(client, csv_file(rows(world)))
    data = [*rows(world), {**rows(world)[1], "external_id": "OLD-9", "code": "NEW-009"}]
    response = post(client, xlsx_file(data))
    assert response.status_code == 200
    assert Participant.objects.filter(code__startswith="NEW-").count() == 3


def test_an_imported_man_cannot_come_back_under_another_code(world, as_user):
    client = as_user(world.olga)
    post(client, csv_file(rows(world)))
    data = rows(world)
    data[0]["code"] = "NEW-099"
    response = post(client, csv_file(data))
    assert response.status_code == 400
    problem = response.context["report"].problems[0]
    assert (problem.line, problem.column) == (2, "code")
    assert not Participant.objects.filter(code="NEW-099").exists()


def test_a_manager_imports_into_his_programs_only(world, as_user):
    client = as_user(world.mona)
    assert post(client, csv_file(rows(world))).status_code == 200
    data = [{**rows(world)[1], "external_id": "OLD-7", "code": "NEW-007"}]
    data[0]["program"] = world.program_b.name
    response = post(client, csv_file(data))
    assert response.status_code == 400
    assert "no program named &#x27;Safe at Home&#x27; among your programs" in text(response)
    assert not Participant.objects.filter(code="NEW-007").exists()


@pytest.mark.parametrize("persona", ["charlie", "alice", "bob", "eve", "petra"])
def test_staff_who_do_not_set_programs_up_cannot_import(world, as_user, persona):
    client = as_user(getattr(world, persona))
    before = counts()
    assert client.get(URL).status_code == 404
    assert post(client, csv_file(rows(world))).status_code == 404
    assert client.get(reverse("caseload-template-xlsx")).status_code == 404
    assert counts() == before


def test_another_organizations_admin_imports_nothing_into_riverside(world, as_user):
    post(as_user(world.olga), csv_file(rows(world), name="riverside.csv"))
    client = as_user(world.outsider)
    response = post(client, csv_file([{**rows(world)[1], "external_id": "Z", "code": "Z-1"}]))
    assert response.status_code == 400
    assert "no program named &#x27;Respectful Relationships&#x27;" in text(response)
    assert not Participant.objects.filter(code="Z-1").exists()
    assert "riverside.csv" not in text(client.get(URL))  # Riverside's log is not his


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (bytes(range(256)) * 50, "caseload.csv", "neither UTF-8 CSV text nor an Excel workbook"),
        (b"PK\x03\x04garbage" * 100, "caseload.xlsx", "not a readable Excel workbook"),
        (_zip_bomb(), "caseload.xlsx", "too large once unzipped"),
        (b"", "caseload.csv", "the file is empty"),
        (b'code,"unterminated\n' + b"x" * 200_000, "caseload.csv", "cannot be read as CSV"),
        (b"code,program\nA,B\n", "caseload.csv", "missing from the header"),
        (b"code,code,nickname\nA,B,C\n", "caseload.csv", "appears twice in the header"),
        (b"code,nickname\nA,B\n", "caseload.csv", "not a column of the caseload template"),
    ],
    ids=[
        "binary",
        "fake-xlsx",
        "zip-bomb",
        "empty",
        "broken-csv",
        "missing-columns",
        "repeated-column",
        "unknown-column",
    ],
)
def test_a_garbage_file_is_refused_with_a_reason_and_nothing_is_written(
    world, as_user, content, name, reason
):
    before = counts()
    response = post(as_user(world.olga), SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert reason in text(response)
    assert counts() == before


def test_a_file_of_more_than_5000_rows_is_refused_naming_the_row(world, as_user):
    content = ",".join(HEADER) + "\n" + "x\n" * 5_001
    response = post(as_user(world.olga), SimpleUploadedFile("caseload.csv", content.encode()))
    assert response.status_code == 400
    problem = response.context["report"].problems[0]
    assert (problem.line, problem.reason) == (5_002, "more than 5000 rows: split the file")
    assert not Participant.objects.filter(code="x").exists()


def test_a_post_without_a_file_asks_for_one(world, as_user):
    response = as_user(world.olga).post(URL, {"action": "import"})
    assert response.status_code == 400
    assert "Choose a CSV or Excel (.xlsx) file." in text(response)
    assert not CaseloadImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_unread(world, as_user):
    big = SimpleUploadedFile("caseload.csv", b"x" * (5 * 1024 * 1024 + 1))
    response = post(as_user(world.olga), big)
    assert response.status_code == 400
    assert "larger than 5 MB" in text(response)
    assert not CaseloadImport.objects.exists()


def test_a_file_with_too_many_problems_lists_the_first_hundred(world, as_user):
    data = [{**rows(world)[1], "external_id": f"X{i}", "code": f"X{i}"} for i in range(300)]
    for row in data:
        row["referral_source"] = "judge"
    response = post(as_user(world.olga), csv_file(data))
    report = response.context["report"]
    assert (report.problem_count, len(report.problems)) == (300, 100)
    assert report.problems[0].line == 2
    assert "and 200 more problems" in text(response)


def test_the_templates_have_every_column_and_an_example_row(world, as_user):
    client = as_user(world.olga)
    response = client.get(reverse("caseload-template-csv"))
    header, example = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(header) == COLUMN_NAMES
    assert len(example) == len(header)
    response = client.get(reverse("caseload-template-xlsx"))
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert tuple(c.value for c in sheet[1]) == COLUMN_NAMES
    assert sheet.max_row == 2
    assert workbook["Columns"].max_row == len(COLUMN_NAMES) + 1


def test_the_page_explains_the_columns_and_shows_the_log(world, as_user):
    client = as_user(world.olga)
    post(client, csv_file(rows(world)))
    body = text(client.get(URL))
    assert "<code>external_id</code>" in body
    assert "Group A" in body  # the groups to name in the file
    assert "caseload.csv" in body
    assert "Imported" in body
