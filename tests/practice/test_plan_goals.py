"""Accountability plan goals: status changes with who/when history, shown on his page."""

from __future__ import annotations

import datetime as dt

from alliance.practice.models import PlanGoal, PlanGoalChange


def _goal(world, as_user) -> PlanGoal:
    as_user(world.alice).post(
        f"/enrollments/{world.good.pk}/plan/",
        {"goal": "Use a time-out before shouting", "review_on": "2025-04-07"},
    )
    return PlanGoal.objects.get()


def _page(client, world) -> str:
    return client.get(f"/participants/{world.good.participant_id}/practice/").content.decode()


def test_a_goal_moves_open_in_progress_met_with_who_and_when(world, as_user) -> None:
    goal = _goal(world, as_user)
    assert goal.status == PlanGoal.Status.OPEN
    client = as_user(world.alice)
    url = f"/plan-goals/{goal.pk}/status/"
    client.post(url, {"status": "in_progress", "note": "Tried it twice this week"})
    client = as_user(world.bob)
    client.post(url, {"status": "met", "review_on": "2025-05-05"})
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.MET
    assert goal.review_on == dt.date(2025, 5, 5)
    changes = list(PlanGoalChange.objects.filter(goal=goal))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "open"),
        ("open", "in_progress"),
        ("in_progress", "met"),
    ]
    assert [c.changed_by for c in changes] == [world.alice, world.alice, world.bob]
    assert all(c.changed_at is not None for c in changes)
    page = _page(as_user(world.alice), world)
    assert "Open → In progress" in page
    assert "Tried it twice this week" in page
    assert "In progress → Met" in page
    assert f"by {world.bob.get_full_name()}" in page


def test_revised_needs_a_note_and_dropped_is_recorded(world, as_user) -> None:
    goal = _goal(world, as_user)
    client = as_user(world.alice)
    url = f"/plan-goals/{goal.pk}/status/"
    response = client.post(url, {"status": "revised"}, follow=True)
    assert "say how the goal was revised" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.OPEN
    client.post(url, {"status": "revised", "note": "Smaller step: leave the room first"})
    client.post(url, {"status": "dropped", "note": "Replaced by a new goal"})
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.DROPPED
    assert PlanGoalChange.objects.filter(goal=goal).count() == 3


def test_bad_or_unchanged_status_is_refused_naming_the_field(world, as_user) -> None:
    goal = _goal(world, as_user)
    client = as_user(world.alice)
    url = f"/plan-goals/{goal.pk}/status/"
    page = client.post(url, {"status": "finished"}, follow=True).content.decode()
    assert "status" in page.lower()
    page = client.post(url, {"status": "open"}, follow=True).content.decode()
    assert "already open" in page
    assert PlanGoalChange.objects.filter(goal=goal).count() == 1


def test_others_get_the_same_404_and_change_nothing(world, as_user) -> None:
    goal = _goal(world, as_user)
    for user in (world.charlie, world.petra, world.eve, world.outsider):
        response = as_user(user).post(f"/plan-goals/{goal.pk}/status/", {"status": "met"})
        assert response.status_code == 404
    missing = as_user(world.alice).post("/plan-goals/999999/status/", {"status": "met"})
    assert missing.status_code == 404
    goal.refresh_from_db()
    assert goal.status == PlanGoal.Status.OPEN
