"""Intake through HTTP: appointments, the structured assessment, collateral contacts, external
risk scores and placement. Ian (intake, North) and the decision roles do intake; a facilitator,
an evaluator, a partner-safety worker and South's staff cannot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from alliance.intake.models import (
    Assessment,
    CollateralContact,
    IntakeAppointment,
    Placement,
    RiskScore,
)
from alliance.participants.models import Participant
from tests.conftest import CLINICAL_SENTINEL
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

ASSESSMENT = {
    "violence_history": f"Pushed her twice in 2024 {CLINICAL_SENTINEL}",
    "most_recent_incident": "An argument in January.",
    "threats": "yes",
    "threats_notes": "Said he would take the children.",
    "weapons_access": "no",
    "strangulation": "unknown",
    "stalking": "no",
    "substance_use": "concern",
    "substance_notes": "Drinks most evenings.",
    "children_in_home": "yes",
    "protective_order": "active",
    "summary": "Moderate needs.",
    "completed_on": "2025-03-10",
}


def test_ian_schedules_an_intake_and_sees_it_on_his_list(world, as_user):
    client = as_user(world.ian)
    response = client.post(
        f"/enrollments/{world.in_intake.pk}/intake/appointments/",
        {"starts_at": "2025-03-12T10:00", "site": world.north.pk, "with_whom": world.ian.pk},
    )
    assert response.status_code == 302
    appointment = IntakeAppointment.objects.get(enrollment=world.in_intake)
    assert appointment.status == "scheduled"
    assert appointment.site == world.north
    assert appointment.with_whom_id == world.ian.pk
    home = text(client.get("/intake/"))
    assert "RIV-105" in home
    assert "Wed 12 Mar 2025, 10:00" in home
    assert "RIV-201" not in home  # South's men are not his


def test_his_home_page_sends_the_intake_coordinator_to_his_intake_list(world, as_user):
    response = as_user(world.ian).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/intake/"


def test_a_kept_appointment_is_recorded_and_a_missed_one_leaves_the_upcoming_list(world, as_user):
    client = as_user(world.ian)
    client.post(
        f"/enrollments/{world.in_intake.pk}/intake/appointments/",
        {"starts_at": "2025-03-12T10:00", "site": world.north.pk},
    )
    appointment = IntakeAppointment.objects.get()
    client.post(f"/intake/appointments/{appointment.pk}/status/", {"status": "missed"})
    appointment.refresh_from_db()
    assert appointment.status == "missed"
    assert appointment.history.count() == 2  # scheduled, then missed: who and when kept
    assert "RIV-105" not in text(client.get("/intake/")).split("Waiting for intake")[0]


def test_an_appointment_with_a_bad_date_or_another_organizations_site_is_refused(world, as_user):
    client = as_user(world.ian)
    url = f"/enrollments/{world.in_intake.pk}/intake/appointments/"
    response = client.post(url, {"starts_at": "next week", "site": world.north.pk}, follow=True)
    assert "starts_at" in text(response)
    response = client.post(url, {"starts_at": "2025-03-12T10:00", "site": MISSING_ID}, follow=True)
    assert "Site: choose one of the listed sites." in text(response)
    assert not IntakeAppointment.objects.exists()


def test_the_assessment_is_saved_as_structured_fields_with_its_history(world, as_user):
    client = as_user(world.ian)
    url = f"/enrollments/{world.in_intake.pk}/intake/assessment/"
    assert client.get(url).status_code == 200
    response = client.post(url, ASSESSMENT)
    assert response.status_code == 302
    assessment = Assessment.objects.get(enrollment=world.in_intake)
    assert assessment.threats == "yes"
    assert assessment.substance_use == "concern"
    assert assessment.protective_order == "active"
    assert assessment.completed_on == dt.date(2025, 3, 10)
    assert assessment.updated_by_id == world.ian.pk
    client.post(url, ASSESSMENT | {"strangulation": "yes"})
    assert assessment.history.count() == 2
    record = text(client.get(f"/enrollments/{world.in_intake.pk}/intake/"))
    assert "Said he would take the children." in record


def test_an_assessment_with_an_unknown_answer_or_too_long_notes_is_refused_naming_the_field(
    world, as_user
):
    client = as_user(world.ian)
    url = f"/enrollments/{world.in_intake.pk}/intake/assessment/"
    response = client.post(url, ASSESSMENT | {"threats": "maybe"})
    assert response.status_code == 400
    assert "threats" in text(response)
    response = client.post(url, ASSESSMENT | {"threats_notes": "x" * 1001})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_a_collateral_contact_is_recorded_and_her_words_are_not_among_its_sources(world, as_user):
    client = as_user(world.bob)
    url = f"/enrollments/{world.in_intake.pk}/intake/collateral/"
    client.post(
        url,
        {"source": "probation", "contacted_on": "2025-03-07", "what_they_said": "Two breaches."},
    )
    contact = CollateralContact.objects.get()
    assert contact.assessment.enrollment == world.in_intake
    assert contact.what_they_said == "Two breaches."
    response = client.post(
        url, {"source": "partner", "contacted_on": "2025-03-07", "what_they_said": "x"}, follow=True
    )
    assert "source" in text(response)
    assert CollateralContact.objects.count() == 1


def test_a_risk_score_is_kept_and_the_latest_becomes_his_current_score(world, as_user):
    client = as_user(world.ian)
    url = f"/enrollments/{world.in_intake.pk}/intake/risk-scores/"
    base = {"instrument": "ODARA", "instrument_version": "2", "assessor": "J. Assessor"}
    client.post(url, base | {"score": "5", "band": "6 of 7", "assessed_on": "2025-03-08"})
    client.post(url, base | {"score": "3", "band": "4 of 7", "assessed_on": "2025-01-02"})
    assert RiskScore.objects.count() == 2
    man = Participant.objects.get(pk=world.in_intake.participant_id)
    assert man.risk_tool == "ODARA"
    assert man.risk_score == Decimal("5")  # the older score recorded later does not replace it
    assert man.risk_assessed_on == dt.date(2025, 3, 8)
    response = client.post(url, base | {"score": "-1", "assessed_on": "2025-03-08"}, follow=True)
    assert "score" in text(response)
    assert RiskScore.objects.count() == 2


def test_a_placement_needs_a_reason_and_the_latest_one_applies(world, as_user):
    client = as_user(world.bob)
    url = f"/enrollments/{world.in_intake.pk}/intake/placement/"
    response = client.post(url, {"level": "level_2", "reason": "", "decided_on": "2025-03-10"})
    assert not Placement.objects.exists()
    assert response.status_code == 302
    client.post(url, {"level": "level_2", "reason": "Moderate risk.", "decided_on": "2025-03-10"})
    placement = Placement.objects.get()
    assert placement.get_level_display() == "Level 2 (at least 9 months)"
    assert placement.decided_by_id == world.bob.pk


@pytest.mark.parametrize("who", ["alice", "eve", "petra", "charlie", "outsider"])
def test_who_does_not_do_intake_gets_the_same_404_as_for_a_missing_record(world, as_user, who):
    client = as_user(getattr(world, who))
    forbidden = client.get(f"/enrollments/{world.good.pk}/intake/assessment/")
    missing = client.get(f"/enrollments/{MISSING_ID}/intake/assessment/")
    assert_same_not_found(forbidden, missing)
    client.post(f"/enrollments/{world.good.pk}/intake/assessment/", ASSESSMENT)
    assert not Assessment.objects.exists()
