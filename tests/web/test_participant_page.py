"""GET /participants/<id>/ — timeline, standing, due actions and enrollment actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliance.participants.models import EnrollmentEvent
from tests.web.helpers import MISSING_ID, assert_redirects_to_login, assert_same_not_found, text


def url(participant_id: int) -> str:
    return reverse("participant", args=[participant_id])


def test_it_shows_his_timeline_newest_first(world, as_user):
    # The timeline is the History tab, one click from every tab (issue 18).
    response = as_user(world.alice).get(url(world.breach.participant_id) + "?tab=history")

    assert response.status_code == 200
    body = text(response)
    timeline = body[body.index('id="timeline"') :]
    # Status changes and attendance, each dated in the program's calendar.
    assert "Respectful Relationships: Intake → Active" in timeline
    assert "Respectful Relationships: Referred → Intake" in timeline
    assert "Group A: Absent" in timeline
    assert "Group A: Present" in timeline
    assert '<time datetime="2025-01-13">13 Jan 2025</time>' in timeline
    assert timeline.index("3 Mar 2025") < timeline.index("13 Jan 2025")


def test_it_shows_his_standing_reasons_and_the_actions_due(world, as_user):
    body = text(as_user(world.alice).get(url(world.breach.participant_id)))

    assert "3 unexcused absences exceed the limit of 2" in body
    assert "Due actions" in body
    assert "Non-compliance notice to probation due" in body
    assert "attended 5" in body


def test_it_names_his_standing_in_words(world, as_user):
    body = text(as_user(world.alice).get(url(world.breach.participant_id)))

    assert '<span class="standing in_breach">In breach</span>' in body


def test_a_facilitator_sees_no_decision_buttons_for_an_active_man(world, as_user):
    body = text(as_user(world.alice).get(url(world.breach.participant_id)))

    assert 'class="actions"' not in body
    assert reverse("enrollment-action", args=[world.breach.pk, "discharge"]) not in body
    assert "Record history" not in body


def test_a_manager_sees_the_decisions_open_to_an_active_man(world, as_user):
    body = text(as_user(world.mona).get(url(world.breach.participant_id)))

    for slug in ("complete", "discharge", "dropout", "transfer"):
        assert reverse("enrollment-action", args=[world.breach.pk, slug]) in body
    assert reverse("enrollment-action", args=[world.breach.pk, "reinstate"]) not in body
    assert reverse("participant-history", args=[world.breach.participant_id]) in body


def test_a_man_at_intake_can_be_activated_by_a_manager(world, as_user):
    body = text(as_user(world.mona).get(url(world.in_intake.participant_id)))

    assert reverse("enrollment-action", args=[world.in_intake.pk, "activate"]) in body


def test_it_shows_the_intake_facts(world, as_user):
    body = text(as_user(world.bob).get(url(world.good.participant_id)))

    assert "<dt>Birth year</dt><dd>1985</dd>" in body
    assert "Referral contact: P. Officer" in body


def test_it_writes_nothing(world, as_user):
    before = EnrollmentEvent.objects.count()
    as_user(world.mona).get(url(world.breach.participant_id))

    assert EnrollmentEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["charlie", "petra", "eve", "outsider"])
def test_it_answers_404_to_staff_who_may_not_see_him_exactly_as_for_a_missing_man(
    world, as_user, persona
):
    client = as_user(getattr(world, persona))

    assert_same_not_found(client.get(url(world.breach.participant_id)), client.get(url(MISSING_ID)))


def test_a_facilitator_cannot_open_a_man_of_another_group_in_her_program(world, as_user):
    client = as_user(world.alice)

    assert_same_not_found(client.get(url(world.man_c.participant_id)), client.get(url(MISSING_ID)))


def test_charlie_sees_his_own_man(world, as_user):
    response = as_user(world.charlie).get(url(world.man_b.participant_id))

    assert response.status_code == 200
    assert "RIV-201" in text(response)


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.breach.participant_id)

    assert_redirects_to_login(client.get(path), path)
