"""Session schedules: generated from the group's day and time, skipping holidays; one session
cancelled (never anyone's absence) or moved. Holidays are the organization admin's list.

Olga administers Riverside; Mona manages Riverside North, where group A meets on Mondays at
09:30 and has nine sessions up to today (Monday 10 March 2025), today's not yet marked."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from alliance.participants.models import Enrollment
from alliance.participants.services import refresh_standing
from alliance.programs.models import Group, Holiday, Session, SessionStatus
from tests.web.conftest import TODAY
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

MONDAY = TODAY + dt.timedelta(days=7)


def new_group(world, **kw):
    defaults = {
        "program": world.program,
        "name": "Group E",
        "kind": "closed",
        "starts_on": MONDAY,
        "weekday": 0,
        "meeting_time": dt.time(18, 30),
    }
    defaults.update(kw)
    return Group.objects.create(**defaults)


def generate(client, group, count):
    return client.post(
        reverse("programs:group_sessions", args=[group.pk]), {"count": count}, follow=True
    )


def test_the_schedule_follows_the_meeting_day_and_the_curriculum_and_skips_holidays(world, as_user):
    group = new_group(world)
    Holiday.objects.create(
        organization=world.riverside, day=MONDAY + dt.timedelta(weeks=1), name="Easter Monday"
    )
    response = generate(as_user(world.mona), group, 3)
    sessions = list(group.sessions.order_by("held_on"))
    assert [s.held_on for s in sessions] == [
        MONDAY,
        MONDAY + dt.timedelta(weeks=2),
        MONDAY + dt.timedelta(weeks=3),
    ]
    assert [s.curriculum_session.number for s in sessions] == [1, 2, 3]
    assert [s.starts_at.astimezone(world.program.tzinfo).time() for s in sessions] == [
        dt.time(18, 30)
    ] * 3
    assert "3 session(s) scheduled. Skipped 24 Mar 2025 (Easter Monday)." in text(response)


def test_more_sessions_continue_after_the_last_one(world, as_user):
    group = new_group(world)
    client = as_user(world.mona)
    generate(client, group, 2)
    generate(client, group, 1)
    assert [s.curriculum_session.number for s in group.sessions.order_by("held_on")] == [1, 2, 3]
    assert group.sessions.order_by("held_on").last().held_on == MONDAY + dt.timedelta(weeks=2)


def test_a_bad_count_is_refused_naming_the_field(world, as_user):
    group = new_group(world)
    response = as_user(world.mona).post(
        reverse("programs:group_sessions", args=[group.pk]), {"count": 0}
    )
    assert response.status_code == 400
    assert "Sessions to add: Ensure this value is greater than or equal to 1." in text(response)
    assert not group.sessions.exists()


def test_a_group_without_sessions_says_how_to_generate_them(world, as_user):
    group = new_group(world)
    body = text(as_user(world.mona).get(reverse("programs:group_sessions", args=[group.pk])))
    assert "Next step: generate the schedule" in body
    assert "<table" not in body


def test_a_cancelled_session_has_its_reason_and_is_nobodys_absence(world, as_user):
    upcoming = Session.objects.create(
        group=world.group_a,
        held_on=MONDAY,
        starts_at=dt.datetime(2025, 3, 16, 20, 30, tzinfo=dt.UTC),
    )
    response = as_user(world.mona).post(
        reverse("programs:session_cancel", args=[upcoming.pk]),
        {"reason": "Facilitator ill"},
        follow=True,
    )
    upcoming.refresh_from_db()
    assert upcoming.status == SessionStatus.CANCELLED
    assert upcoming.cancel_reason == "Facilitator ill"
    assert "counts as nobody&#x27;s absence" in text(response)
    assert not upcoming.attendance.exists()


def test_a_cancellation_without_a_reason_is_refused_naming_the_field(world, as_user):
    session = world.todays_session_a
    response = as_user(world.mona).post(
        reverse("programs:session_cancel", args=[session.pk]), {"reason": ""}, follow=True
    )
    assert "reason: This field is required." in text(response)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_a_session_with_marks_cannot_be_cancelled_so_no_mark_is_hidden(world, as_user):
    held = world.sessions_a[2]  # RIV-102 was absent (unexcused) that day
    response = as_user(world.mona).post(
        reverse("programs:session_cancel", args=[held.pk]), {"reason": "Oops"}, follow=True
    )
    held.refresh_from_db()
    assert held.status == SessionStatus.HELD
    assert "attendance mark(s) are already recorded" in text(response)


def test_the_session_edit_form_also_refuses_to_cancel_a_held_session(world, as_user):
    held = world.sessions_a[2]
    response = as_user(world.alice).post(
        reverse("session-edit", args=[held.pk]),
        {"notes": "", "status": "cancelled", "revision": held.revision},
        follow=True,
    )
    held.refresh_from_db()
    assert held.status == SessionStatus.HELD
    assert "cannot be cancelled" in text(response)


def test_the_compliance_engine_never_counts_a_cancelled_session_as_an_absence(world):
    # Data from before cancellations were refused: a session cancelled with a mark on it.
    man = world.at_limit  # PPUPPUPP: two unexcused absences, at the limit
    assert man.standing == "at_limit"
    Session.objects.filter(pk=world.sessions_a[2].pk).update(status=SessionStatus.CANCELLED)
    refresh_standing(Enrollment.objects.select_related("program__site").get(pk=man.pk))
    man.refresh_from_db()
    assert man.standing == "good_standing"


def test_a_cancelled_session_is_restored(world, as_user):
    session = world.todays_session_a
    client = as_user(world.mona)
    client.post(reverse("programs:session_cancel", args=[session.pk]), {"reason": "Snow"})
    client.post(reverse("programs:session_cancel", args=[session.pk]), {"restore": "1"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.SCHEDULED, "")


def test_one_session_is_moved_and_the_move_is_in_the_group_history(world, as_user):
    group = new_group(world)
    client = as_user(world.mona)
    generate(client, group, 3)
    second = group.sessions.order_by("held_on")[1]
    response = client.post(
        reverse("programs:session_move", args=[second.pk]),
        {"held_on": "2025-03-25", "starts_at": "19:00"},
        follow=True,
    )
    second.refresh_from_db()
    assert second.held_on == dt.date(2025, 3, 25)
    assert second.starts_at.astimezone(world.program.tzinfo).time() == dt.time(19, 0)
    assert "moved to 25 Mar 2025" in text(response)
    assert [s.held_on for s in group.sessions.order_by("held_on")][::2] == [
        MONDAY,
        MONDAY + dt.timedelta(weeks=2),
    ]
    history = text(client.get(reverse("programs:group_history", args=[group.pk])))
    assert "held on: 24 Mar 2025 → 25 Mar 2025" in history


def test_a_move_onto_another_session_or_a_holiday_is_refused_with_why(world, as_user):
    group = new_group(world)
    client = as_user(world.mona)
    generate(client, group, 2)
    first, second = group.sessions.order_by("held_on")
    clash = client.post(
        reverse("programs:session_move", args=[first.pk]),
        {"held_on": second.held_on.isoformat(), "starts_at": "18:30"},
        follow=True,
    )
    assert "held_on: the group already has a session on 24 Mar 2025." in text(clash)
    Holiday.objects.create(organization=world.riverside, day=dt.date(2025, 3, 18), name="Closure")
    holiday = client.post(
        reverse("programs:session_move", args=[first.pk]),
        {"held_on": "2025-03-18", "starts_at": "18:30"},
        follow=True,
    )
    assert "held_on: 18 Mar 2025 is a holiday (Closure)." in text(holiday)
    bad = client.post(
        reverse("programs:session_move", args=[first.pk]),
        {"held_on": "not a date", "starts_at": "18:30"},
        follow=True,
    )
    assert "held_on: Enter a valid date." in text(bad)
    first.refresh_from_db()
    assert first.held_on == MONDAY


def test_a_session_of_another_site_is_hidden_like_a_missing_one(world, as_user):
    client = as_user(world.mona)
    forbidden = client.post(
        reverse("programs:session_cancel", args=[world.todays_session_b.pk]), {"reason": "x"}
    )
    missing = client.post(reverse("programs:session_cancel", args=[MISSING_ID]), {"reason": "x"})
    assert_same_not_found(forbidden, missing)
    world.todays_session_b.refresh_from_db()
    assert world.todays_session_b.status != SessionStatus.CANCELLED


def test_the_admin_keeps_the_holiday_list_and_is_told_of_sessions_already_on_a_new_holiday(
    world, as_user
):
    client = as_user(world.olga)
    url = reverse("programs:holidays")
    assert "No holidays yet" in text(client.get(url))
    response = client.post(url, {"day": TODAY.isoformat(), "name": "Closure"}, follow=True)
    assert Holiday.objects.filter(organization=world.riverside, day=TODAY).exists()
    assert "Group A already has a session that day: cancel or move it." in text(response)
    again = client.post(url, {"day": TODAY.isoformat(), "name": "Again"})
    assert again.status_code == 400
    assert "Day: 10 Mar 2025 is already a holiday." in text(again)
    blank = client.post(url, {"day": "", "name": ""})
    assert "Day: This field is required." in text(blank)
    assert "Name: This field is required." in text(blank)


def test_holidays_are_the_organization_admins_alone(world, as_user):
    response = as_user(world.mona).post(
        reverse("programs:holidays"), {"day": TODAY.isoformat(), "name": "Closure"}
    )
    assert response.status_code == 404
    assert not Holiday.objects.exists()
    theirs = Holiday.objects.create(organization=world.riverside, day=TODAY, name="Closure")
    outsider = as_user(world.outsider)
    forbidden = outsider.post(reverse("programs:holiday_remove", args=[theirs.pk]))
    missing = outsider.post(reverse("programs:holiday_remove", args=[MISSING_ID]))
    assert_same_not_found(forbidden, missing)
    assert Holiday.objects.filter(pk=theirs.pk).exists()


def test_a_group_without_a_meeting_day_meets_on_its_first_sessions_weekday(world, as_user):
    group = new_group(world, weekday=None, starts_on=MONDAY + dt.timedelta(days=3))
    generate(as_user(world.mona), group, 2)
    assert [s.held_on.weekday() for s in group.sessions.all()] == [3, 3]


def test_the_older_schedule_form_skips_holidays_too(world, as_user):
    group = new_group(world)
    Holiday.objects.create(organization=world.riverside, day=MONDAY, name="Closure")
    as_user(world.bob).post(
        reverse("group-schedule", args=[group.pk]),
        {"first_date": MONDAY.isoformat(), "weeks": 2},
    )
    assert [s.held_on for s in group.sessions.all()] == [MONDAY + dt.timedelta(weeks=1)]
