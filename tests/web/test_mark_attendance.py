"""POST /sessions/<id>/attendance/<enrollment>/ — one tap per man."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from alliance.programs.models import Attendance, Session
from tests.web.helpers import HTMX, MISSING_ID, assert_redirects_to_login, text


def url(session, enrollment_id) -> str:
    return reverse("mark-attendance", args=[session.pk, enrollment_id])


@pytest.mark.parametrize(
    ("mark", "minutes", "shown", "stored_minutes"),
    [
        ("present", "", "Present", 0),
        ("late", "12", "Late (12 min)", 12),
        ("excused", "", "Excused", 0),
        ("unexcused", "", "Absent", 0),
    ],
)
def test_it_records_each_mark_with_one_tap_and_returns_the_row_fragment(
    world, as_user, mark, minutes, shown, stored_minutes
):
    session = world.todays_session_a
    response = as_user(world.alice).post(
        url(session, world.good.pk), {"mark": mark, "minutes_late": minutes}, headers=HTMX
    )

    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith(f'<tr id="row-{world.good.pk}"')
    assert "<html" not in body
    assert shown in body
    assert 'aria-pressed="true"' in body
    attendance = Attendance.objects.get(session=session, enrollment=world.good)
    assert attendance.mark == mark
    assert attendance.minutes_late == stored_minutes
    assert attendance.recorded_by == world.alice
    assert Session.objects.get(pk=session.pk).status == "held"


def test_it_redirects_back_to_the_session_without_htmx(world, as_user):
    session = world.todays_session_a
    response = as_user(world.alice).post(url(session, world.good.pk), {"mark": "present"})

    assert response.status_code == 302
    assert response["Location"] == reverse("session", args=[session.pk])
    assert Attendance.objects.get(session=session, enrollment=world.good).mark == "present"


def test_it_ignores_minutes_late_for_a_mark_other_than_late(world, as_user):
    session = world.todays_session_a
    as_user(world.alice).post(
        url(session, world.good.pk), {"mark": "present", "minutes_late": "25"}, headers=HTMX
    )

    assert Attendance.objects.get(session=session, enrollment=world.good).minutes_late == 0


def test_marking_the_same_thing_twice_is_idempotent(world, as_user):
    session = world.todays_session_a
    client = as_user(world.alice)
    first = client.post(url(session, world.good.pk), {"mark": "present"}, headers=HTMX)
    second = client.post(url(session, world.good.pk), {"mark": "present"}, headers=HTMX)

    assert first.status_code == second.status_code == 200
    rows = Attendance.objects.filter(session=session, enrollment=world.good)
    assert rows.count() == 1
    assert rows.get().revision == 0
    assert rows.get().history.count() == 1


def test_it_refreshes_the_stored_standing_and_actions_due(world, as_user):
    # RIV-102 has used both unexcused absences; a third puts him in breach.
    assert world.at_limit.standing == "at_limit"
    response = as_user(world.alice).post(
        url(world.todays_session_a, world.at_limit.pk), {"mark": "unexcused"}, headers=HTMX
    )

    assert response.status_code == 200
    world.at_limit.refresh_from_db()
    assert world.at_limit.standing == "in_breach"
    codes = [a["code"] for a in world.at_limit.actions_due]
    assert "noncompliance_notice" in codes
    assert "warning_letter" not in codes


def test_it_refuses_a_man_who_was_not_yet_in_the_group_on_that_date(world, as_user):
    # RIV-104 joined in week 6; the first session was before he started.
    first_session = world.sessions_a[0]
    response = as_user(world.alice).post(
        url(first_session, world.late_joiner.pk), {"mark": "present"}, headers=HTMX
    )

    assert response.status_code == 409
    assert "was not an active participant on 13 Jan 2025" in text(response)
    assert not Attendance.objects.filter(
        session=first_session, enrollment=world.late_joiner
    ).exists()


def test_it_refuses_a_man_not_in_the_group_with_a_message_after_the_redirect(world, as_user):
    first_session = world.sessions_a[0]
    client = as_user(world.alice)
    response = client.post(url(first_session, world.late_joiner.pk), {"mark": "present"})

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("attendance is refused" in m for m in messages)
    page = client.get(response["Location"])
    assert "attendance is refused" in text(page)
    assert not Attendance.objects.filter(
        session=first_session, enrollment=world.late_joiner
    ).exists()


def test_it_refuses_a_man_of_another_program_as_if_he_did_not_exist(world, as_user):
    client = as_user(world.alice)
    other = client.post(url(world.todays_session_a, world.man_b.pk), {"mark": "present"})
    missing = client.post(url(world.todays_session_a, MISSING_ID), {"mark": "present"})

    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert not Attendance.objects.filter(enrollment=world.man_b, session__group=world.group_a)


def test_it_does_not_reveal_a_man_from_a_group_the_facilitator_does_not_run(world, as_user):
    # RIV-301 is in group C of the same program; Alice may not see him.
    client = as_user(world.alice)
    hidden = client.post(
        url(world.todays_session_a, world.man_c.pk), {"mark": "present"}, headers=HTMX
    )
    missing = client.post(url(world.todays_session_a, MISSING_ID), {"mark": "present"})

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert "RIV-301" not in text(hidden)
    assert not Attendance.objects.filter(enrollment=world.man_c, session__group=world.group_a)


def test_it_refuses_minutes_late_out_of_range_and_writes_nothing(world, as_user):
    response = as_user(world.alice).post(
        url(world.todays_session_a, world.good.pk),
        {"mark": "late", "minutes_late": "601"},
        headers=HTMX,
    )

    assert response.status_code >= 400
    assert "minutes_late" in text(response)
    assert not Attendance.objects.filter(session=world.todays_session_a, enrollment=world.good)


def test_it_refuses_an_unknown_mark(world, as_user):
    response = as_user(world.alice).post(
        url(world.todays_session_a, world.good.pk), {"mark": "asleep"}, headers=HTMX
    )

    assert response.status_code >= 400
    assert not Attendance.objects.filter(session=world.todays_session_a, enrollment=world.good)


def test_a_second_facilitator_with_a_stale_page_gets_a_conflict_not_an_overwrite(
    world, as_user, client
):
    session = world.todays_session_a
    # Fred opened the page before Alice marked RIV-101: he saw no mark (empty revision).
    as_user(world.alice).post(url(session, world.good.pk), {"mark": "present"}, headers=HTMX)
    as_user(world.fred)
    stale = client.post(
        url(session, world.good.pk), {"mark": "excused", "revision": ""}, headers=HTMX
    )

    assert stale.status_code == 409
    assert "Someone else marked him present" in text(stale)
    attendance = Attendance.objects.get(session=session, enrollment=world.good)
    assert (attendance.mark, attendance.revision) == ("present", 0)

    # The fragment he got back carries the current revision; retrying with it wins.
    retry = client.post(
        url(session, world.good.pk), {"mark": "excused", "revision": "0"}, headers=HTMX
    )

    assert retry.status_code == 200
    attendance.refresh_from_db()
    assert (attendance.mark, attendance.revision, attendance.recorded_by) == (
        "excused",
        1,
        world.fred,
    )
    history = list(attendance.history.order_by("history_id").values_list("mark", "history_user"))
    assert history == [("present", world.alice.pk), ("excused", world.fred.pk)]


def test_it_is_allowed_for_the_supervisor_of_the_site(world, as_user):
    response = as_user(world.bob).post(
        url(world.todays_session_a, world.good.pk), {"mark": "present"}, headers=HTMX
    )

    assert response.status_code == 200
    assert Attendance.objects.get(session=world.todays_session_a, enrollment=world.good)


@pytest.mark.parametrize("persona", ["charlie", "petra", "eve", "outsider"])
def test_it_is_denied_to_staff_who_may_not_take_this_register(world, as_user, persona):
    response = as_user(getattr(world, persona)).post(
        url(world.todays_session_a, world.good.pk), {"mark": "present"}, headers=HTMX
    )

    assert response.status_code == 404
    assert not Attendance.objects.filter(session=world.todays_session_a).exists()


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.todays_session_a, world.good.pk)
    response = client.post(path, {"mark": "present"})

    assert_redirects_to_login(response, path)
    assert not Attendance.objects.filter(session=world.todays_session_a).exists()


def test_it_refuses_get(world, as_user):
    response = as_user(world.alice).get(url(world.todays_session_a, world.good.pk))

    assert response.status_code == 405
