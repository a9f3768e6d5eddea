"""GET /participants/<id>/history/ — who changed what, for supervisors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.helpers import MISSING_ID, assert_redirects_to_login, assert_same_not_found, text


def url(participant_id: int) -> str:
    return reverse("participant-history", args=[participant_id])


def discharge_breach(world, as_user) -> None:
    response = as_user(world.mona).post(
        reverse("enrollment-action", args=[world.breach.pk, "discharge"]),
        {
            "effective_on": "2025-03-10",
            "reason": "Third unexcused absence.",
            "discharge_reason": "non_compliance",
            "confirm": "on",
        },
    )
    assert response.status_code == 302


def test_the_supervisor_sees_who_changed_his_status_from_what_to_what(world, as_user, client):
    discharge_breach(world, as_user)
    as_user(world.bob)
    response = client.get(url(world.breach.participant_id))

    assert response.status_code == 200
    body = text(response)
    # In words (issue 18, D12): full names, field labels and choice labels, never raw values.
    assert "<td>Mona Tester</td>" in body
    assert "Status: Active → Discharged" in body
    assert "Discharge reason: — → Non compliance" in body
    assert "Enrollment, Respectful Relationships (changed)" in body
    assert "(created)" in body
    assert "non_compliance" not in body
    assert "(blank)" not in body


def test_the_supervisor_sees_attendance_corrections_and_who_made_them(world, as_user, client):
    mark = reverse("mark-attendance", args=[world.todays_session_a.pk, world.good.pk])
    as_user(world.alice)
    client.post(mark, {"mark": "present"})
    as_user(world.fred)
    client.post(mark, {"mark": "excused", "revision": "0"})
    as_user(world.bob)
    body = text(client.get(url(world.good.participant_id)))

    assert "<td>Alice Tester</td>" in body
    assert "<td>Fred Tester</td>" in body
    assert "Mark: Present → Excused" in body


@pytest.mark.parametrize("persona", ["bob", "mona", "olga"])
def test_it_is_open_to_decision_roles(world, as_user, persona):
    assert as_user(getattr(world, persona)).get(url(world.breach.participant_id)).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "fred", "charlie", "petra", "eve", "outsider"])
def test_it_is_denied_to_everyone_else_exactly_like_a_missing_man(world, as_user, persona):
    client = as_user(getattr(world, persona))

    assert_same_not_found(client.get(url(world.breach.participant_id)), client.get(url(MISSING_ID)))


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.breach.participant_id)

    assert_redirects_to_login(client.get(path), path)


def test_a_group_and_a_standing_read_as_their_names(world, as_user, client):
    discharge_breach(world, as_user)
    as_user(world.bob)
    body = text(client.get(url(world.breach.participant_id)))

    # His enrollment was created without a group, then assigned: the group by its name.
    assert f"Group: — → {world.group_a}" in body
    assert "in_breach" not in body
    assert "good_standing" not in body
    assert "<li>Standing: — → Good standing</li>" in body
    assert "<li>Standing: Good standing → In breach</li>" in body
    assert "enrollment " + str(world.breach.pk) not in body
