"""POST /sessions/<id>/attendance/<enrollment>/details/ and /sessions/<id>/times/: when he
came and went, left early or sent home (with the reason), video with identity confirmed."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages
from django.urls import reverse

from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, Program, Session
from tests.web.helpers import HTMX, MISSING_ID, assert_same_not_found, text


def mark(client, session, enrollment, value="present"):
    return client.post(
        reverse("mark-attendance", args=[session.pk, enrollment.pk]), {"mark": value}, headers=HTMX
    )


def details(client, session, enrollment, **data):
    attendance = Attendance.objects.filter(session=session, enrollment=enrollment).first()
    payload = {"revision": attendance.revision if attendance else ""} | data
    return client.post(
        reverse("attendance-details", args=[session.pk, enrollment.pk]), payload, headers=HTMX
    )


def test_a_man_sent_home_with_a_reason_is_an_unexcused_absence(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.at_limit)

    response = details(
        client, session, world.at_limit, departure="sent_home", departure_reason="Intoxicated"
    )

    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith(f'<tr id="row-{world.at_limit.pk}"')
    assert "sent home" in body
    row = Attendance.objects.get(session=session, enrollment=world.at_limit)
    assert (row.departure, row.departure_reason) == ("sent_home", "Intoxicated")
    # His third unexcused absence: the engine puts him in breach, and the tally agrees.
    assert Enrollment.objects.get(pk=world.at_limit.pk).standing == "in_breach"
    assert Session.objects.get(pk=session.pk).marks_attended == 0


def test_sent_home_or_left_early_without_a_reason_is_refused_naming_the_field(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)

    no_reason = details(client, session, world.good, departure="sent_home")
    no_time = details(client, session, world.good, departure="left_early", departure_reason="Bus")

    assert no_reason.status_code == no_time.status_code == 409
    assert "departure_reason" in text(no_reason)
    assert "left_at: give the time he left" in text(no_time)
    assert Attendance.objects.get(session=session, enrollment=world.good).departure == ""


def test_leaving_early_keeps_him_attending_by_default_and_records_his_times(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)

    response = details(
        client,
        session,
        world.good,
        arrived_at="09:30",
        left_at="10:15",
        departure="left_early",
        departure_reason="Childcare",
    )

    assert response.status_code == 200
    assert "left early 10:15" in text(response)
    row = Attendance.objects.get(session=session, enrollment=world.good)
    assert (row.arrived_at, row.left_at) == (dt.time(9, 30), dt.time(10, 15))
    assert Session.objects.get(pk=session.pk).marks_attended == 1


def test_a_program_rule_turns_a_long_early_departure_into_an_absence(world, as_user):
    Program.objects.filter(pk=world.program.pk).update(
        session_minutes=120, left_early_minutes_as_absence=30
    )
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)

    details(
        client, session, world.good, left_at="10:00", departure="left_early", departure_reason="Ill"
    )

    assert Session.objects.get(pk=session.pk).marks_attended == 0


def test_video_attendance_needs_identity_confirmed_and_records_who_confirmed(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)

    unconfirmed = details(client, session, world.good, by_video="on")
    confirmed = details(client, session, world.good, by_video="on", identity_confirmed="on")

    assert unconfirmed.status_code == 409
    assert "identity_confirmed" in text(unconfirmed)
    assert confirmed.status_code == 200
    assert "video, identity confirmed" in text(confirmed)
    row = Attendance.objects.get(session=session, enrollment=world.good)
    assert (row.by_video, row.identity_confirmed_by) == (True, world.alice)


def test_video_is_refused_where_the_program_does_not_allow_it(world, as_user):
    Program.objects.filter(pk=world.program.pk).update(video_attendance_allowed=False)
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)

    response = details(client, session, world.good, by_video="on", identity_confirmed="on")

    assert response.status_code == 409
    assert "does not allow attendance by video" in text(response)
    assert not Attendance.objects.get(session=session, enrollment=world.good).by_video


def test_details_are_refused_for_an_absence_and_cleared_when_he_is_marked_absent(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)
    details(client, session, world.good, by_video="on", identity_confirmed="on")
    row = Attendance.objects.get(session=session, enrollment=world.good)
    client.post(
        reverse("mark-attendance", args=[session.pk, world.good.pk]),
        {"mark": "excused", "revision": row.revision},
        headers=HTMX,
    )

    refused = details(client, session, world.good, departure="sent_home", departure_reason="x")

    assert refused.status_code == 409
    assert "apply only to a man marked present or late" in text(refused)
    row.refresh_from_db()
    assert (row.mark, row.by_video, row.identity_confirmed_by) == ("excused", False, None)


def test_a_stale_revision_is_a_conflict_not_an_overwrite(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    mark(client, session, world.good)

    response = details(client, session, world.good, revision="7", by_video="on")

    assert response.status_code == 409
    assert "Someone else changed his mark" in text(response)


def test_another_groups_facilitator_gets_the_same_404_as_for_a_missing_session(world, as_user):
    session = world.todays_session_a
    mark(as_user(world.alice), session, world.good)
    url = reverse("attendance-details", args=[session.pk, world.good.pk])
    forbidden = as_user(world.charlie).post(url, {"departure": "sent_home"})
    missing = as_user(world.charlie).post(
        reverse("attendance-details", args=[MISSING_ID, world.good.pk]), {"departure": "sent_home"}
    )

    assert_same_not_found(forbidden, missing)


def test_session_times_are_saved_and_an_end_before_the_start_is_refused(world, as_user):
    session, client = world.todays_session_a, as_user(world.alice)
    url = reverse("session-times", args=[session.pk])

    bad = client.post(url, {"actual_start": "11:00", "actual_end": "09:30"})
    good = client.post(url, {"actual_start": "09:35", "actual_end": "11:05"})

    assert "actual_end: the end must be after the start" in " ".join(
        str(m) for m in get_messages(bad.wsgi_request)
    )
    assert good.status_code == 302
    session.refresh_from_db()
    assert (session.actual_start, session.actual_end) == (dt.time(9, 35), dt.time(11, 5))
    assert "Actually began" in text(client.get(reverse("session", args=[session.pk])))
