"""Curriculum: sessions with topic, core flag, duration and materials; reorder; versions.

Riverside's "Respectful Relationships" has 24 sessions (core: 1, 5, 10) and group A started
eight weeks ago, so its curriculum is in use: a change makes version 2, which group A does not
follow. Mona manages it; Charlie (facilitator at South) and Oscar (another organization) may
not touch it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from alliance.participants.services import assess_enrollment
from alliance.programs.models import CurriculumSession, Group
from tests.factories import make_program
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

NEW = {
    "topic": "Repair after harm",
    "is_core": "on",
    "duration_minutes": 120,
    "materials": "Handout 7",
}


def item(program, number, version=None):
    return CurriculumSession.objects.get(
        program=program, number=number, version=version or program.curriculum_version
    )


def test_a_session_is_added_at_the_end_of_an_unused_curriculum(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=3)
    response = as_user(world.mona).post(reverse("programs:curriculum", args=[program.pk]), NEW)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.curriculum_version == 1
    added = item(program, 4)
    assert (added.topic, added.is_core, added.duration_minutes, added.materials) == (
        "Repair after harm",
        True,
        120,
        "Handout 7",
    )


def test_a_session_without_a_topic_is_refused_naming_the_field(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=3)
    response = as_user(world.mona).post(
        reverse("programs:curriculum", args=[program.pk]), {**NEW, "topic": ""}
    )
    assert response.status_code == 400
    assert "Topic: This field is required." in text(response)
    assert program.curriculum.count() == 3


def test_a_negative_duration_is_refused_naming_the_field(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=3)
    response = as_user(world.mona).post(
        reverse("programs:curriculum", args=[program.pk]), {**NEW, "duration_minutes": -5}
    )
    assert response.status_code == 400
    assert "Duration minutes: Ensure this value is greater than or equal to 0" in text(response)


def test_changing_a_curriculum_in_use_makes_a_new_version_the_started_group_does_not_follow(
    world, as_user
):
    client = as_user(world.mona)
    first = item(world.program, 1)
    response = client.post(
        reverse("programs:curriculum_session_edit", args=[first.pk]),
        {"topic": "Welcome and agreements", "is_core": "", "duration_minutes": "", "materials": ""},
    )
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.curriculum_version == 2
    assert item(world.program, 1, version=2).topic == "Welcome and agreements"
    assert item(world.program, 1, version=1).topic == "Topic 1"
    world.group_a.refresh_from_db()
    assert world.group_a.curriculum_version == 1
    # His group started on version 1, where session 1 is core: he is still held to it.
    facts = assess_enrollment(world.late_joiner)
    assert facts is not None
    assert 1 in facts.core_sessions_missing


def test_a_group_that_has_not_started_moves_to_the_new_version(world, as_user):
    later = Group.objects.create(
        program=world.program,
        name="Group D",
        kind="closed",
        starts_on=world.today + dt.timedelta(days=14),
    )
    as_user(world.mona).post(reverse("programs:curriculum", args=[world.program.pk]), NEW)
    later.refresh_from_db()
    world.group_a.refresh_from_db()
    assert later.curriculum_version == 2
    assert world.group_a.curriculum_version == 1
    assert CurriculumSession.objects.filter(program=world.program, version=2).count() == 25


def test_sessions_are_reordered_up_and_down(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=3)
    client = as_user(world.mona)
    second = item(program, 2)
    client.post(reverse("programs:curriculum_move", args=[second.pk]), {"direction": "up"})
    assert [i.topic for i in program.curriculum.order_by("number")] == [
        "Topic 2",
        "Topic 1",
        "Topic 3",
    ]
    first = item(program, 1)
    client.post(reverse("programs:curriculum_move", args=[first.pk]), {"direction": "down"})
    assert [i.topic for i in program.curriculum.order_by("number")] == [
        "Topic 1",
        "Topic 2",
        "Topic 3",
    ]


def test_moving_the_first_session_up_is_refused_with_why(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=3)
    response = as_user(world.mona).post(
        reverse("programs:curriculum_move", args=[item(program, 1).pk]),
        {"direction": "up"},
        follow=True,
    )
    assert "direction: session 1 is already at that end." in text(response)


def test_removing_a_session_closes_the_gap(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=3)
    as_user(world.mona).post(reverse("programs:curriculum_remove", args=[item(program, 2).pk]))
    assert list(program.curriculum.order_by("number").values_list("number", "topic")) == [
        (1, "Topic 1"),
        (2, "Topic 3"),
    ]


def test_curriculum_changes_are_in_the_program_history(world, as_user):
    client = as_user(world.mona)
    client.post(reverse("programs:curriculum", args=[world.program.pk]), NEW)
    body = text(client.get(reverse("programs:program_history", args=[world.program.pk])))
    assert "curriculum v2, session 25 (Repair after harm)" in body
    assert "mona" in body


def test_an_empty_curriculum_says_what_to_do_next(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=0)
    body = text(as_user(world.mona).get(reverse("programs:curriculum", args=[program.pk])))
    assert "Next step: add the first session" in body
    assert "<table" not in body


def test_a_curriculum_session_of_another_site_is_hidden_like_a_missing_one(world, as_user):
    client = as_user(world.mona)
    other = item(world.program_b, 1)
    forbidden = client.get(reverse("programs:curriculum_session_edit", args=[other.pk]))
    missing = client.get(reverse("programs:curriculum_session_edit", args=[MISSING_ID]))
    assert_same_not_found(forbidden, missing)
    assert (
        as_user(world.olga)
        .get(reverse("programs:curriculum_session_edit", args=[other.pk]))
        .status_code
        == 200
    )


def test_a_facilitator_cannot_change_the_curriculum(world, as_user):
    response = as_user(world.alice).post(
        reverse("programs:curriculum", args=[world.program.pk]), NEW
    )
    assert response.status_code == 404
    assert world.program.curriculum.count() == 24


def test_a_reorder_is_one_change_per_session_in_the_history(world, as_user):
    program = make_program(world.north, "Fresh", curriculum=0)
    client = as_user(world.mona)
    for topic in ("One", "Two", "Three"):
        client.post(reverse("programs:curriculum", args=[program.pk]), {**NEW, "topic": topic})
    client.post(
        reverse("programs:curriculum_move", args=[item(program, 2).pk]), {"direction": "up"}
    )
    body = text(client.get(reverse("programs:program_history", args=[program.pk])))
    assert "number: 2 → 1" in body
    assert "number: 1 → 2" in body
    assert "→ 0" not in body


def test_the_new_version_is_in_the_program_history(world, as_user):
    client = as_user(world.mona)
    client.post(reverse("programs:curriculum", args=[world.program.pk]), NEW)
    body = text(client.get(reverse("programs:program_history", args=[world.program.pk])))
    assert "curriculum version: 1 → 2" in body
