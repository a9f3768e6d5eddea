"""Handling an incident: the procedure and its clock, actions recorded, a new offence put on
record as an outcome event, and the supervisor's close."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.incidents import services
from alliance.incidents.models import Incident, IncidentStatus
from alliance.organizations.models import Role
from alliance.outcomes.models import OutcomeEvent
from tests.factories import make_user
from tests.incidents.conftest import ACCOUNT
from tests.web.conftest import NOW
from tests.web.helpers import text


@pytest.fixture
def incident(world) -> Incident:
    return services.flag_incident(
        actor=world.alice,
        enrollment=world.good,
        kind="new_violence",
        occurred_at=NOW - dt.timedelta(hours=2),
        account=ACCOUNT,
        immediate_risk=False,
        now=NOW,
        link_base="http://testserver/",
    )


def _action(client, incident, **overrides):
    data = {"kind": "partner_contacted", "taken_at": "2025-03-10T09:30", "note": "Safety plan"}
    data.update(overrides)
    return client.post(f"/incidents/{incident.pk}/actions/", data)


def test_petra_reads_the_account_and_the_procedure(world, as_user, incident) -> None:
    services.save_procedure(
        actor=world.olga,
        organization=world.riverside,
        program=None,
        text="Call the partner first, then the police if she cannot be reached.",
        respond_within_hours=12,
        immediate_within_hours=1,
        partner_notice_business_days=2,
    )
    page = text(as_user(world.petra).get(f"/incidents/{incident.pk}/"))
    assert ACCOUNT in page
    assert "Call the partner first" in page
    assert "(the organization's procedure)" in page
    # The clock was set when it was flagged (24 hours), not moved by the later procedure.
    assert "11 Mar 2025 09:45" in page


def test_an_incident_with_no_response_is_overdue_on_the_homes(
    world, as_user, incident, frozen_clock
) -> None:
    frozen_clock.shift(dt.timedelta(hours=25))
    assert "1 overdue" in text(as_user(world.petra).get("/safety/"))
    assert "1 overdue" in text(as_user(world.bob).get("/"))
    assert "Overdue" in text(as_user(world.bob).get(f"/incidents/{incident.pk}/"))


def test_a_recorded_action_answers_the_clock(world, as_user, incident, frozen_clock) -> None:
    petra = as_user(world.petra)
    response = _action(petra, incident)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.first_response_at is not None
    action = incident.actions.get()
    assert (action.kind, action.note, action.recorded_by_id) == (
        "partner_contacted",
        "Safety plan",
        world.petra.pk,
    )
    frozen_clock.shift(dt.timedelta(hours=25))
    assert "overdue" not in text(as_user(world.petra).get("/safety/")).lower()


def test_no_action_needed_requires_a_reason(world, as_user, incident) -> None:
    response = _action(as_user(world.bob), incident, kind="none_needed", note="")
    assert response.status_code == 400
    assert "note: give the reason" in text(response)
    assert not incident.actions.exists()


def test_actions_in_the_future_or_before_the_incident_are_refused(world, as_user, incident) -> None:
    bob = as_user(world.bob)
    future = _action(bob, incident, taken_at="2025-03-10T11:00")
    before = _action(bob, incident, taken_at="2025-03-09T09:00")
    assert "taken_at: an action cannot be in the future" in text(future)
    assert "taken_at: before the incident happened" in text(before)
    assert not incident.actions.exists()


def test_only_the_supervisor_closes_and_only_after_an_action(world, as_user, incident) -> None:
    petra = as_user(world.petra)
    assert petra.post(f"/incidents/{incident.pk}/close/", {"note": "done"}).status_code == 404
    bob = as_user(world.bob)
    early = bob.post(f"/incidents/{incident.pk}/close/", {"note": "done"})
    assert early.status_code == 400
    assert "record at least one action first" in text(early)
    _action(bob, incident, kind="police_informed", note="")
    response = bob.post(
        f"/incidents/{incident.pk}/close/", {"note": "Police attended.", "court_reportable": "on"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert (incident.closed_by_id, incident.court_reportable) == (world.bob.pk, True)
    assert incident.closing_note == "Police attended."
    again = _action(bob, incident)
    assert "it is closed" in text(again)


def test_suicide_risk_is_never_reported_to_a_court(world, as_user) -> None:
    incident = services.flag_incident(
        actor=world.alice,
        enrollment=world.good,
        kind="suicide_risk",
        occurred_at=NOW,
        account="He spoke of ending his life.",
        immediate_risk=True,
        now=NOW,
        link_base="http://testserver/",
    )
    bob = as_user(world.bob)
    _action(bob, incident, kind="crisis_line", note="", taken_at="2025-03-10T09:45")
    response = bob.post(f"/incidents/{incident.pk}/close/", {"court_reportable": "on"})
    assert response.status_code == 400
    assert "court_reportable: a suicide risk incident is not reported to a court" in text(response)
    assert Incident.objects.get(pk=incident.pk).status == IncidentStatus.OPEN


def test_a_new_offence_is_recorded_as_an_outcome_event(world, as_user, incident) -> None:
    petra = as_user(world.petra)
    response = petra.post(
        f"/incidents/{incident.pk}/offence/",
        {"kind": "ipv_police_report", "occurred_on": "2025-03-09"},
    )
    assert response.status_code == 302
    event = OutcomeEvent.objects.get(participant=world.good.participant)
    assert (event.kind, event.source, event.occurred_on, event.recorded_by_id) == (
        "ipv_police_report",
        "official_record",
        dt.date(2025, 3, 9),
        world.petra.pk,
    )
    incident.refresh_from_db()
    assert (incident.offence_kind, incident.offence_on) == (
        "ipv_police_report",
        dt.date(2025, 3, 9),
    )
    twice = petra.post(
        f"/incidents/{incident.pk}/offence/", {"kind": "ipv_charge", "occurred_on": "2025-03-09"}
    )
    assert "already recorded for this incident" in text(twice)
    assert OutcomeEvent.objects.count() == 1


def test_an_offence_in_the_future_or_of_a_partner_kind_is_refused(world, as_user, incident) -> None:
    petra = as_user(world.petra)
    future = petra.post(
        f"/incidents/{incident.pk}/offence/", {"kind": "ipv_charge", "occurred_on": "2025-03-12"}
    )
    assert "occurred_on:" in text(future)
    assert future.status_code == 400
    partner = petra.post(
        f"/incidents/{incident.pk}/offence/",
        {"kind": "partner_physical_abuse", "occurred_on": "2025-03-09"},
    )
    assert partner.status_code == 400
    assert "kind:" in text(partner)
    assert not OutcomeEvent.objects.exists()


def test_the_supervisor_of_another_site_sees_nothing(world, as_user, incident) -> None:

    sam = make_user("sam", organization=world.riverside, role=Role.SUPERVISOR, sites=[world.south])
    client = as_user(sam)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert "RIV-101" not in text(client.get("/incidents/"))
