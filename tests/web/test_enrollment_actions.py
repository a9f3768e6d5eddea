"""GET/POST /enrollments/<id>/<action>/ — status changes behind a confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from alliance.participants.models import Enrollment, EnrollmentEvent, GroupAssignment
from tests.web.helpers import MISSING_ID, assert_redirects_to_login, assert_same_not_found, text

TODAY = "2025-03-10"


def url(enrollment, action: str) -> str:
    enrollment_id = enrollment if isinstance(enrollment, int) else enrollment.pk
    return reverse("enrollment-action", args=[enrollment_id, action])


def discharge(**overrides: str) -> dict[str, str]:
    data = {
        "effective_on": TODAY,
        "reason": "Third unexcused absence; probation informed.",
        "discharge_reason": "non_compliance",
        "confirm": "on",
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_get_shows_the_confirmation_form_and_writes_nothing(world, as_user):
    response = as_user(world.mona).get(url(world.breach, "discharge"))

    assert response.status_code == 200
    body = text(response)
    assert "Discharge: RIV-103 in Respectful Relationships" in body
    assert 'name="confirm"' in body
    assert 'name="discharge_reason"' in body
    assert 'name="group"' not in body
    assert 'value="2025-03-10"' in body  # today in the program's time zone, not UTC's 9 March
    world.breach.refresh_from_db()
    assert world.breach.status == "active"


def test_a_manager_discharges_him_with_a_reason(world, as_user):
    events_before = EnrollmentEvent.objects.filter(enrollment=world.breach).count()
    response = as_user(world.mona).post(url(world.breach, "discharge"), discharge())

    assert response.status_code == 302
    assert response["Location"] == reverse("participant", args=[world.breach.participant_id])
    assert "Discharge: recorded for RIV-103." in messages_of(response)
    enrollment = Enrollment.objects.get(pk=world.breach.pk)
    assert (enrollment.status, enrollment.discharge_reason) == ("discharged", "non_compliance")
    assert enrollment.ended_on == dt.date(2025, 3, 10)
    assert enrollment.actions_due == []
    event = EnrollmentEvent.objects.filter(enrollment=enrollment).latest("id")
    assert (event.from_status, event.to_status, event.actor) == ("active", "discharged", world.mona)
    assert event.reason == "Third unexcused absence; probation informed."
    assert EnrollmentEvent.objects.filter(enrollment=enrollment).count() == events_before + 1
    assert not GroupAssignment.objects.filter(enrollment=enrollment, ends_on__isnull=True)


def test_post_without_confirm_writes_nothing(world, as_user):
    data = discharge()
    del data["confirm"]
    response = as_user(world.mona).post(url(world.breach, "discharge"), data)

    assert response.status_code == 400
    assert "This field is required" in text(response)
    world.breach.refresh_from_db()
    assert world.breach.status == "active"
    assert not EnrollmentEvent.objects.filter(enrollment=world.breach, to_status="discharged")


def test_a_discharge_needs_a_coded_reason(world, as_user):
    response = as_user(world.mona).post(
        url(world.breach, "discharge"), discharge(discharge_reason="")
    )

    assert response.status_code == 400
    assert "choose the coded reason for a discharge" in text(response)
    world.breach.refresh_from_db()
    assert world.breach.status == "active"


def test_a_change_dated_in_the_future_is_refused(world, as_user):
    response = as_user(world.mona).post(
        url(world.breach, "discharge"), discharge(effective_on="2025-03-11")
    )

    assert response.status_code == 400
    assert "cannot be in the future" in text(response)
    assert Enrollment.objects.get(pk=world.breach.pk).status == "active"


def test_an_action_not_open_in_his_status_is_refused_with_a_message(world, as_user):
    response = as_user(world.mona).post(url(world.breach, "reinstate"), discharge())

    assert response.status_code == 302
    assert "Reinstate is not available for this enrollment now." in messages_of(response)
    assert Enrollment.objects.get(pk=world.breach.pk).status == "active"


def test_a_discharged_man_can_be_reinstated_once_and_not_twice(world, as_user):
    client = as_user(world.mona)
    client.post(url(world.breach, "discharge"), discharge())
    reinstated = client.post(
        url(world.breach, "reinstate"),
        {"effective_on": TODAY, "reason": "Review held; back in group.", "confirm": "on"},
    )

    assert reinstated.status_code == 302
    enrollment = Enrollment.objects.get(pk=world.breach.pk)
    assert (enrollment.status, enrollment.reinstatements) == ("active", 1)
    assert GroupAssignment.objects.filter(
        enrollment=enrollment, group=world.group_a, ends_on__isnull=True
    ).exists()

    client.post(url(world.breach, "discharge"), discharge())
    again = client.post(
        url(world.breach, "reinstate"),
        {"effective_on": TODAY, "reason": "Second chance?", "confirm": "on"},
    )

    assert again.status_code == 400
    assert "allows 1 reinstatement(s) and 1 have been used" in text(again)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.reinstatements) == ("discharged", 1)


def test_activation_puts_him_in_the_chosen_group(world, as_user, client):
    response = as_user(world.olga).post(
        url(world.in_intake, "activate"),
        {
            "effective_on": TODAY,
            "reason": "Starts Monday group.",
            "group": str(world.group_a.pk),
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(pk=world.in_intake.pk)
    assert (enrollment.status, enrollment.started_on) == ("active", dt.date(2025, 3, 10))
    assert GroupAssignment.objects.get(enrollment=enrollment).group == world.group_a
    # Alice now has him on today's register.
    as_user(world.alice)
    register = client.get(reverse("session", args=[world.todays_session_a.pk]))
    assert "RIV-105" in text(register)


def test_activation_without_a_group_is_refused(world, as_user):
    response = as_user(world.mona).post(
        url(world.in_intake, "activate"),
        {"effective_on": TODAY, "reason": "Starts soon.", "confirm": "on"},
    )

    assert response.status_code == 400
    assert "choose the group he will attend" in text(response)
    assert Enrollment.objects.get(pk=world.in_intake.pk).status == "intake"


def test_a_facilitator_may_not_discharge(world, as_user):
    response = as_user(world.alice).post(url(world.breach, "discharge"), discharge())

    assert response.status_code == 302
    assert "Discharge is not available for this enrollment now." in messages_of(response)
    assert Enrollment.objects.get(pk=world.breach.pk).status == "active"
    assert not EnrollmentEvent.objects.filter(enrollment=world.breach, to_status="discharged")


def test_a_facilitator_may_activate_a_man_into_her_group(world, as_user):
    response = as_user(world.alice).post(
        url(world.in_intake, "activate"),
        {
            "effective_on": TODAY,
            "reason": "Starts Monday group.",
            "group": str(world.group_a.pk),
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    assert Enrollment.objects.get(pk=world.in_intake.pk).status == "active"


def test_an_unknown_action_is_a_404(world, as_user):
    response = as_user(world.mona).post(url(world.breach, "promote"), discharge())

    assert response.status_code == 404
    assert Enrollment.objects.get(pk=world.breach.pk).status == "active"


@pytest.mark.parametrize("persona", ["charlie", "petra", "eve", "outsider"])
def test_it_is_denied_like_a_missing_enrollment(world, as_user, persona):
    client = as_user(getattr(world, persona))

    assert_same_not_found(
        client.post(url(world.breach, "discharge"), discharge()),
        client.post(url(MISSING_ID, "discharge"), discharge()),
    )
    assert Enrollment.objects.get(pk=world.breach.pk).status == "active"


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.breach, "discharge")

    assert_redirects_to_login(client.post(path, discharge()), path)
    assert Enrollment.objects.get(pk=world.breach.pk).status == "active"


def test_completion_before_the_criteria_are_met_is_refused(world, as_user):
    # RIV-101 has attended 8 of the 20 sessions the program requires.
    response = as_user(world.mona).post(
        url(world.good, "complete"),
        {"effective_on": TODAY, "reason": "Finished?", "confirm": "on"},
    )

    assert response.status_code == 400
    assert "The completion criteria are not met yet" in text(response)
    assert Enrollment.objects.get(pk=world.good.pk).status == "active"
    assert not EnrollmentEvent.objects.filter(enrollment=world.good, to_status="completed")
