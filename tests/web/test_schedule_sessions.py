"""Scheduling weekly sessions from the group roster."""

from __future__ import annotations

import datetime as dt

from alliance.programs.models import Holiday, Session


def url(group_id: int) -> str:
    return f"/groups/{group_id}/schedule/"


def test_a_supervisor_adds_weekly_sessions_that_continue_the_curriculum(world, as_user):
    last = world.group_a.sessions.order_by("-held_on").first()
    first = last.held_on + dt.timedelta(weeks=1)

    response = as_user(world.bob).post(
        url(world.group_a.pk), {"first_date": first.isoformat(), "weeks": "3"}
    )

    assert response.status_code == 302
    new = list(Session.objects.filter(group=world.group_a, held_on__gte=first).order_by("held_on"))
    assert [s.held_on for s in new] == [first + dt.timedelta(weeks=k) for k in range(3)]
    numbers = [s.curriculum_session.number if s.curriculum_session else None for s in new]
    if last.curriculum_session is not None:
        assert numbers[0] in (last.curriculum_session.number + 1, None)
    assert new[0].history.first().history_user == world.bob


def test_days_that_already_have_a_session_are_skipped(world, as_user):
    existing = world.group_a.sessions.order_by("held_on").first().held_on
    before = Session.objects.filter(group=world.group_a).count()

    as_user(world.bob).post(
        url(world.group_a.pk), {"first_date": existing.isoformat(), "weeks": "1"}
    )

    assert Session.objects.filter(group=world.group_a).count() == before


def test_a_facilitator_may_not_schedule(world, as_user):
    before = Session.objects.count()
    response = as_user(world.alice).post(
        url(world.group_a.pk), {"first_date": "2025-06-02", "weeks": "2"}
    )
    assert response.status_code == 404
    assert Session.objects.count() == before


def test_too_many_weeks_is_refused_naming_the_field(world, as_user):
    before = Session.objects.count()
    response = as_user(world.bob).post(
        url(world.group_a.pk), {"first_date": "2025-06-02", "weeks": "500"}, follow=True
    )
    assert "weeks:" in response.content.decode()
    assert Session.objects.count() == before


def test_the_roster_form_and_the_set_up_page_share_one_generator(world, as_user):
    """Weekly sessions from the roster get the group's facilitators and skip a holiday like
    the set-up page's schedule (setup_services.generate_schedule), within the weeks asked."""
    last = world.group_a.sessions.order_by("-held_on").first()
    first = last.held_on + dt.timedelta(weeks=1)
    Holiday.objects.create(organization=world.riverside, day=first, name="Closure")

    as_user(world.bob).post(url(world.group_a.pk), {"first_date": first.isoformat(), "weeks": "3"})

    new = list(Session.objects.filter(group=world.group_a, held_on__gte=first).order_by("held_on"))
    assert [s.held_on for s in new] == [first + dt.timedelta(weeks=k) for k in (1, 2)]
    facilitators = set(world.group_a.facilitators.values_list("pk", flat=True))
    assert facilitators
    assert all(set(s.facilitators.values_list("pk", flat=True)) == facilitators for s in new)


def test_a_fortnightly_program_is_scheduled_every_other_week(world, as_user):
    world.program.meeting_interval_days = 14
    world.program.save()
    last = world.group_a.sessions.order_by("-held_on").first()
    first = last.held_on + dt.timedelta(weeks=2)

    as_user(world.bob).post(url(world.group_a.pk), {"first_date": first.isoformat(), "weeks": "5"})

    new = Session.objects.filter(group=world.group_a, held_on__gte=first).order_by("held_on")
    assert [s.held_on for s in new] == [first + dt.timedelta(weeks=k) for k in (0, 2, 4)]
