"""GET /sessions/<id>/ — the register for one session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliance.programs.models import Attendance
from tests.web.helpers import MISSING_ID, assert_redirects_to_login, assert_same_not_found, text


def url(session_id: int) -> str:
    return reverse("session", args=[session_id])


def test_it_lists_the_men_in_the_group_that_day_with_one_button_per_mark(world, as_user):
    session = world.todays_session_a
    response = as_user(world.alice).get(url(session.pk))

    assert response.status_code == 200
    body = text(response)
    for code in ("RIV-101", "RIV-102", "RIV-103", "RIV-104"):
        assert code in body
    assert "RIV-301" not in body
    assert "RIV-201" not in body
    for label in ("Present", "Late", "Excused", "Absent"):
        assert f">{label}</button>" in body
    assert reverse("mark-attendance", args=[session.pk, world.good.pk]) in body
    assert 'hx-post="' in body
    assert '<label for="late-' in body
    assert not Attendance.objects.filter(session=session).exists()


def test_it_leaves_out_a_man_who_had_not_joined_yet(world, as_user):
    response = as_user(world.alice).get(url(world.sessions_a[0].pk))

    assert "RIV-101" in text(response)
    assert "RIV-104" not in text(response)


def test_it_shows_the_current_mark_of_each_man(world, as_user):
    response = as_user(world.alice).get(url(world.sessions_a[2].pk))

    body = text(response)
    row = body[body.index(f'id="row-{world.at_limit.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Absent" in row
    assert 'class="mark unexcused"' in row


def test_it_shows_the_local_date_of_a_session_that_started_on_the_previous_utc_day(world, as_user):
    # Today's 09:30 Auckland session started at 20:30 UTC on Sunday 9 March.
    session = world.todays_session_a
    assert str(session.starts_at.astimezone(dt.UTC)) == "2025-03-09 20:30:00+00:00"
    response = as_user(world.alice).get(url(session.pk))

    body = text(response)
    assert "Mon 10 Mar 2025" in body
    assert "9 March" not in body


def test_it_shows_the_start_time_in_the_programs_time_zone(world, as_user):
    response = as_user(world.alice).get(url(world.todays_session_a.pk))

    assert "starts 09:30 (Pacific/Auckland time)" in text(response)
    assert "20:30" not in text(response)


def test_it_shows_the_notes_form_with_the_current_revision(world, as_user):
    response = as_user(world.alice).get(url(world.todays_session_a.pk))

    body = text(response)
    assert '<label for="id_notes">' in body
    assert 'name="revision" value="0"' in body


def test_it_is_open_to_the_supervisor_and_the_organization_admin(world, as_user, client):
    for persona in (world.bob, world.olga, world.fred):
        as_user(persona)
        assert client.get(url(world.todays_session_a.pk)).status_code == 200


@pytest.mark.parametrize("persona", ["charlie", "petra", "eve", "outsider"])
def test_it_answers_404_to_staff_who_may_not_see_it_exactly_as_for_a_missing_session(
    world, as_user, persona
):
    client = as_user(getattr(world, persona))
    forbidden = client.get(url(world.todays_session_a.pk))
    missing = client.get(url(MISSING_ID))

    assert_same_not_found(forbidden, missing)
    assert "RIV-101" not in text(forbidden)


def test_charlie_sees_his_own_session_but_not_alices(world, as_user):
    client = as_user(world.charlie)

    assert client.get(url(world.todays_session_b.pk)).status_code == 200
    assert client.get(url(world.todays_session_a.pk)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.todays_session_a.pk)

    assert_redirects_to_login(client.get(path), path)
