"""Flagging an incident: one step from his page or the session page, straight to the handlers'
home pages and inboxes, and never read back by facilitators."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from alliance.incidents.models import Incident
from tests.incidents.conftest import ACCOUNT, flag_data
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def _flag(client, world, **overrides):
    return client.post(
        f"/participants/{world.good.participant_id}/incidents/flag/", flag_data(**overrides)
    )


def test_alices_flag_reaches_petra_and_bob_in_the_same_request_cycle(
    handlers, as_user, django_capture_on_commit_callbacks
) -> None:
    world = handlers
    with django_capture_on_commit_callbacks(execute=True):
        response = _flag(as_user(world.alice), world)
    assert response.status_code == 302
    assert response["Location"] == f"/participants/{world.good.participant_id}/"
    incident = Incident.objects.get()
    assert (incident.kind, incident.immediate_risk, incident.flagged_by_id) == (
        "threat",
        False,
        world.alice.pk,
    )
    assert incident.enrollment_id == world.good.pk
    assert incident.program_id == world.program.pk
    # The clock: 24 hours by default from the flag.
    assert incident.respond_by - incident.flagged_at == dt.timedelta(hours=24)

    petra_home = text(as_user(world.petra).get("/safety/"))
    assert "Threat: RIV-101" in petra_home
    assert f"/incidents/{incident.pk}/" in petra_home
    assert ACCOUNT not in petra_home  # the list reads no account
    bob_home = text(as_user(world.bob).get("/"))
    assert "Threat: RIV-101" in bob_home

    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "petra@example.org"]
    for message in mail.outbox:
        assert message.subject == "A safety incident needs you"
        assert f"http://testserver/incidents/{incident.pk}/" in message.body
        for detail in (ACCOUNT, "RIV-101", "Threat", "threat", "Respectful"):
            assert detail not in message.body


def test_the_man_s_page_shows_alice_a_receipt_and_nothing_of_the_account(handlers, as_user) -> None:
    world = handlers
    alice = as_user(world.alice)
    response = _flag(alice, world)
    page = text(alice.get(response["Location"]))
    assert "Sent at 09:45 to the partner-safety worker and the supervisor" in page
    assert "Your flags about him: sent 10 Mar 2025 09:45" in page
    assert ACCOUNT not in page


def test_fred_and_alice_cannot_read_the_incident_back(handlers, as_user) -> None:
    world = handlers
    _flag(as_user(world.alice), world)
    incident = Incident.objects.get()
    for user in (world.alice, world.fred, world.charlie, world.eve, world.mona):
        client = as_user(user)
        assert_same_not_found(
            client.get(f"/incidents/{incident.pk}/"), client.get(f"/incidents/{MISSING_ID}/")
        )
    fred_page = text(as_user(world.fred).get(f"/participants/{world.good.participant_id}/"))
    assert "Your flags about him" not in fred_page
    assert ACCOUNT not in fred_page


def test_charlie_cannot_flag_about_a_man_outside_his_site(handlers, as_user) -> None:
    world = handlers
    response = _flag(as_user(world.charlie), world)
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_immediate_risk_runs_the_one_hour_clock(handlers, as_user) -> None:
    world = handlers
    _flag(as_user(world.alice), world, immediate_risk="yes", kind="weapon")
    incident = Incident.objects.get()
    assert incident.immediate_risk
    assert incident.respond_by - incident.flagged_at == dt.timedelta(hours=1)


def test_bad_input_is_refused_naming_the_field_and_nothing_is_recorded(handlers, as_user) -> None:
    world = handlers
    alice = as_user(world.alice)
    for overrides, field in (
        ({"account": "   "}, "account"),
        ({"account": "x" * 2001}, "account"),
        ({"kind": "gossip"}, "kind"),
        ({"occurred_at": "2025-03-11T09:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"immediate_risk": ""}, "immediate_risk"),
    ):
        response = _flag(alice, world, **overrides)
        assert response.status_code == 400, overrides
        assert f"{field}:" in text(response), overrides
    assert not Incident.objects.exists()


def test_a_flag_from_the_session_page_names_the_man_and_the_session(handlers, as_user) -> None:
    world = handlers
    alice = as_user(world.alice)
    session = world.todays_session_a
    page = text(alice.get(f"/sessions/{session.pk}/"))
    assert "Flag a safety incident" in page
    response = alice.post(
        f"/sessions/{session.pk}/incidents/flag/",
        flag_data(enrollment=str(world.breach.pk), kind="order_violation"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/sessions/{session.pk}/"
    incident = Incident.objects.get()
    assert (incident.participant_id, incident.session_id, incident.kind) == (
        world.breach.participant_id,
        session.pk,
        "order_violation",
    )


def test_a_man_not_in_the_session_cannot_be_chosen(handlers, as_user) -> None:
    world = handlers
    response = as_user(world.alice).post(
        f"/sessions/{world.todays_session_a.pk}/incidents/flag/",
        flag_data(enrollment=str(world.man_b.pk)),
    )
    assert response.status_code == 400
    assert "enrollment:" in text(response)
    assert not Incident.objects.exists()
