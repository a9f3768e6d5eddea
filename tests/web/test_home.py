"""GET / — a facilitator's day: today's sessions, groups, men needing attention."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.web.helpers import assert_redirects_to_login, text


def test_it_shows_alice_todays_session_by_the_local_date(world, as_user):
    # In UTC it is still Sunday 9 March; in Auckland it is Monday 10 March.
    response = as_user(world.alice).get("/")

    assert response.status_code == 200
    body = text(response)
    assert "Today, Mon 10 Mar 2025" in body
    today = body[body.index('id="today"') : body.index('id="attention"')]
    assert reverse("session", args=[world.todays_session_a.pk]) in today
    assert "No sessions today" not in today


def test_it_shows_the_start_time_in_the_programs_time_zone(world, as_user):
    body = text(as_user(world.alice).get("/"))

    assert "Group A</a> — 09:30" in body


def test_it_lists_the_men_needing_attention_with_the_reason(world, as_user):
    body = text(as_user(world.alice).get("/"))
    attention = body[body.index('id="attention"') : body.index('id="groups"')]

    assert "RIV-102" in attention
    assert "RIV-103" in attention
    assert "RIV-101" not in attention
    assert "3 unexcused absences exceed the limit of 2" in attention
    assert "At limit" in attention
    assert "In breach" in attention


def test_it_lists_her_groups_with_the_number_of_active_men(world, as_user):
    body = text(as_user(world.alice).get("/"))
    groups = body[body.index('id="groups"') :]

    assert "Group A</a> · Respectful Relationships · Closed cohort · 4 active" in groups
    assert "Group B" not in groups
    assert "Group C" not in groups


def test_charlie_sees_only_his_own_group_and_men(world, as_user):
    body = text(as_user(world.charlie).get("/"))

    assert reverse("session", args=[world.todays_session_b.pk]) in body
    assert reverse("session", args=[world.todays_session_a.pk]) not in body
    assert "Group A" not in body
    for code in ("RIV-101", "RIV-102", "RIV-103"):
        assert code not in body


def test_attention_follows_attendance_just_recorded(world, as_user):
    client = as_user(world.alice)
    client.post(
        reverse("mark-attendance", args=[world.todays_session_a.pk, world.at_limit.pk]),
        {"mark": "unexcused"},
    )
    body = text(client.get("/"))
    attention = body[body.index('id="attention"') : body.index('id="groups"')]
    row = attention[attention.index("RIV-102") :]

    assert "In breach" in row[: row.index("</tr>")]


@pytest.mark.parametrize("persona", ["mona", "eve"])
def test_managers_and_evaluators_are_sent_to_the_dashboard(world, as_user, persona):
    response = as_user(getattr(world, persona)).get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_partner_safety_worker_sees_no_participant_codes(world, as_user):
    response = as_user(world.petra).get("/")

    assert response.status_code == 200
    assert "RIV-10" not in text(response)


def test_the_outsider_sees_nothing_of_riverside(world, as_user):
    body = text(as_user(world.outsider).get("/"))

    assert "RIV-" not in body
    assert "Group A" not in body


def test_a_user_with_no_membership_gets_404(world, as_user):
    response = as_user(make_user("drifter")).get("/")

    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    assert_redirects_to_login(client.get("/"), "/")
