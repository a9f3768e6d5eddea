"""The outreach workflow through HTTP: reach out, act, record what happened."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliance.core.engagement.outreach import OutreachStatus, next_status
from alliance.engagement.models import OutreachAction, OutreachAlert
from alliance.engagement.services import raise_outreach_alerts

pytestmark = pytest.mark.django_db


def test_alice_reaches_out_acts_and_records_the_outcome(world, as_user) -> None:
    client = as_user(world.alice)
    response = client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    alert = OutreachAlert.objects.get(enrollment=world.breach)
    assert response.status_code == 302
    assert response["Location"] == reverse("engagement-alert", args=[alert.pk])
    assert alert.status == OutreachStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == world.alice
    assert 0 < alert.next_two < 1

    client.post(
        reverse("engagement-action", args=[alert.pk]), {"kind": "phone_call", "note": "left msg"}
    )
    client.post(reverse("engagement-action", args=[alert.pk]), {"kind": "makeup_session"})
    alert.refresh_from_db()
    assert alert.status == OutreachStatus.ACTION_TAKEN
    assert list(alert.actions.values_list("kind", "recorded_by__username")) == [
        ("phone_call", "alice"),
        ("makeup_session", "alice"),
    ]

    client.post(reverse("engagement-outcome", args=[alert.pk]), {"outcome": "attended_next"})
    alert.refresh_from_db()
    assert alert.status == OutreachStatus.CLOSED
    assert alert.outcome == "attended_next"
    assert alert.outcome_by == world.alice

    listing = as_user(world.bob).get(reverse("engagement-risk"))
    assert {"recorded_by__username": "alice", "actions": 2, "alerts": 1} in listing.context[
        "by_facilitator"
    ]
    row = next(r for r in listing.context["rows"] if r.enrollment.pk == world.breach.pk)
    assert row.outreach_count == 2
    assert row.open_alert_id is None


def test_reaching_out_twice_reuses_the_open_alert(world, as_user) -> None:
    client = as_user(world.alice)
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    assert OutreachAlert.objects.filter(enrollment=world.breach).count() == 1


def test_an_outcome_before_any_action_is_refused(world, as_user) -> None:
    client = as_user(world.alice)
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    alert = OutreachAlert.objects.get(enrollment=world.breach)
    response = client.post(
        reverse("engagement-outcome", args=[alert.pk]), {"outcome": "reinstated"}, follow=True
    )
    assert "record at least one action" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == OutreachStatus.ACKNOWLEDGED
    assert alert.outcome == ""


def test_an_unknown_action_is_refused_and_nothing_is_written(world, as_user) -> None:
    client = as_user(world.alice)
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    alert = OutreachAlert.objects.get(enrollment=world.breach)
    client.post(reverse("engagement-action", args=[alert.pk]), {"kind": "shaming"})
    assert not OutreachAction.objects.exists()


def test_charlie_gets_the_same_404_for_missing_and_forbidden(world, as_user) -> None:
    as_user(world.alice).post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    alert = OutreachAlert.objects.get()
    client = as_user(world.charlie)
    forbidden = client.get(reverse("engagement-alert", args=[alert.pk]))
    missing = client.get(reverse("engagement-alert", args=[alert.pk + 999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    refused = client.post(reverse("engagement-action", args=[alert.pk]), {"kind": "phone_call"})
    assert refused.status_code == 404
    started = client.post(reverse("engagement-start-outreach", args=[world.good.pk]))
    assert started.status_code == 404
    assert not OutreachAction.objects.exists()
    assert OutreachAlert.objects.count() == 1


def test_acknowledging_an_alert_raised_by_the_nightly_command(world, as_user) -> None:
    created = raise_outreach_alerts(organization=world.riverside, today=world.today, band="low")
    assert created
    alert = created[0]
    assert alert.status == OutreachStatus.OPEN
    visible = alert.enrollment.program_id == world.program.pk
    client = as_user(world.olga)
    client.post(reverse("engagement-acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == OutreachStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == world.olga
    assert visible or alert.enrollment.program_id == world.program_b.pk
    # A second run does not duplicate unfinished alerts.
    again = raise_outreach_alerts(organization=world.riverside, today=world.today, band="low")
    assert not {a.enrollment_id for a in again} & {a.enrollment_id for a in created}


def test_the_workflow_rules_in_order() -> None:
    assert next_status("open", "acknowledge") == OutreachStatus.ACKNOWLEDGED
    assert next_status("acknowledged", "action") == OutreachStatus.ACTION_TAKEN
    assert next_status("action_taken", "action") == OutreachStatus.ACTION_TAKEN
    assert next_status("action_taken", "outcome") == OutreachStatus.CLOSED
    for status, event in [("open", "action"), ("closed", "action"), ("acknowledged", "outcome")]:
        with pytest.raises(ValueError, match="alert is"):
            next_status(status, event)
