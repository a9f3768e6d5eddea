"""The caseload import takes his legal name, date of birth and docket into the vault, or
names the row and column of a bad value (never quoting it) and writes nothing."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.identity.models import ParticipantIdentity
from alliance.participants.models import CaseloadImport, Participant
from tests.web.helpers import text

HEADER = [
    "external_id",
    "code",
    "program",
    "referral_source",
    "referred_on",
    "legal_first_name",
    "legal_last_name",
    "date_of_birth",
    "docket_number",
]


def upload(world, *rows: dict[str, str]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    for number, row in enumerate(rows, start=1):
        writer.writerow(
            {
                "external_id": f"OLD-{number}",
                "code": f"NEW-{number:03d}",
                "program": world.program.name,
                "referral_source": "court",
                "referred_on": "2025-03-03",
            }
            | row
        )
    return SimpleUploadedFile("caseload.csv", out.getvalue().encode(), content_type="text/csv")


def test_the_import_puts_name_birth_date_and_docket_in_the_vault(world, as_user):
    named = {
        "legal_first_name": "Quentin",
        "legal_last_name": "Placeholder",
        "date_of_birth": "1980-07-01",
        "docket_number": "CR-2025-7777",
    }

    response = as_user(world.olga).post(
        reverse("caseload-import"), {"file": upload(world, named, {}), "action": "import"}
    )

    assert response.status_code == 200
    identity = ParticipantIdentity.objects.get(participant__code="NEW-001")
    assert identity.legal_name == "Quentin Placeholder"
    assert identity.birth_date.isoformat() == "1980-07-01"
    assert identity.docket_number == "CR-2025-7777"
    assert identity.updated_by_id == world.olga.pk
    assert not ParticipantIdentity.objects.filter(participant__code="NEW-002").exists()


def test_a_bad_identity_is_named_by_row_and_column_and_nothing_is_written(world, as_user):
    before = Participant.objects.count()
    bad_date = {"legal_first_name": "Quentin", "legal_last_name": "X", "date_of_birth": "7/1/80"}
    no_last_name = {"legal_first_name": "Quentin"}
    too_young = {"legal_first_name": "Q", "legal_last_name": "Y", "date_of_birth": "2020-01-01"}

    response = as_user(world.olga).post(
        reverse("caseload-import"),
        {"file": upload(world, bad_date, no_last_name, too_young), "action": "import"},
    )

    assert response.status_code == 400
    problems = {(p.line, p.column) for p in response.context["report"].problems}
    assert problems == {(2, "date_of_birth"), (3, "legal_last_name"), (4, "date_of_birth")}
    body = text(response)
    assert "not a date written YYYY-MM-DD" in body
    assert "7/1/80" not in body  # the value is never quoted back
    assert Participant.objects.count() == before
    assert not ParticipantIdentity.objects.exists()
    assert CaseloadImport.objects.get().outcome == "refused"
