"""GET /evaluation/: the de-identified program evaluation with re-offence curves."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.outcomes.models import OutcomeEvent
from tests.outcomes.cohort import add_exited_men, follow_up_csv
from tests.web.helpers import text

URL = "/evaluation/"


def test_evaluation_shows_flow_and_says_why_curves_are_missing(world, as_user) -> None:
    response = as_user(world.eve).get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Enrollment flow" in page
    assert "Referred: <strong>6</strong>" in page  # North's six men; RIV-201 is at South
    assert "Not analysed: no man has follow-up from this source yet." in page
    assert "Limitations" in page


def test_imported_follow_up_gives_raw_and_adjusted_curves(world, as_user) -> None:
    cohort = add_exited_men(world)
    body = follow_up_csv(cohort, dt.date(2025, 3, 1))
    client = as_user(world.mona)
    imported = client.post(
        "/evaluation/follow-up/import/",
        {"file": SimpleUploadedFile("f.csv", body.encode(), "text/csv")},
    )
    assert imported.status_code == 200, text(imported)[:2000]
    assert OutcomeEvent.objects.exists()

    page = text(as_user(world.eve).get(URL))
    assert "Any offence (official record)" in page
    assert "Hazard ratio, weighted (robust SE)" in page
    assert "Effective sample size after weighting" in page
    assert "not proof that completing the program caused it" in page
    assert page.count("<svg") >= 4
    # De-identified: no participant code reaches the evaluator's page.
    assert "EXT-0" not in page
    assert "RIV-1" not in page


def test_manager_sees_the_import_link_and_the_evaluator_does_not(world, as_user) -> None:
    assert "Import follow-up records" in text(as_user(world.mona).get(URL))
    assert "Import follow-up records" not in text(as_user(world.eve).get(URL))


def test_facilitators_and_partner_safety_get_404(world, as_user) -> None:
    for user in (world.alice, world.charlie, world.petra):
        assert as_user(user).get(URL).status_code == 404, user


def test_another_organizations_admin_sees_none_of_riverside(world, as_user) -> None:
    client = as_user(world.outsider)
    assert "Referred: <strong>0</strong>" in text(client.get(URL))
    assert client.get(URL, {"program": world.program.pk}).status_code == 404


def test_a_program_outside_the_managers_sites_is_404(world, as_user) -> None:
    response = as_user(world.mona).get(URL, {"program": world.program_b.pk})
    assert response.status_code == 404


def test_the_evaluation_downloads_as_a_pdf_with_the_charts(world, as_user) -> None:
    cohort = add_exited_men(world)
    body = follow_up_csv(cohort, dt.date(2025, 3, 1))
    as_user(world.mona).post(
        "/evaluation/follow-up/import/",
        {"file": SimpleUploadedFile("f.csv", body.encode(), "text/csv")},
    )
    response = as_user(world.eve).get("/evaluation/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 20_000  # text, tables and six SVG charts


def test_facilitators_and_partner_safety_cannot_download_the_pdf(world, as_user) -> None:
    for user in (world.alice, world.petra):
        assert as_user(user).get("/evaluation/report.pdf").status_code == 404, user
