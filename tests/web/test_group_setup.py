"""Groups: site, program, facilitators, capacity, language, modality, day and time, kind.

Mona manages Riverside North ("Respectful Relationships", group A run by Alice and Fred, four
men in it); group B belongs to Riverside South, which she must not see. The clock is Monday
10 March 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliance.organizations.models import Role
from alliance.programs.models import Group
from tests.factories import make_organization, make_program, make_site, make_user
from tests.web.conftest import TODAY
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

CREATE = reverse("programs:group_create")
NEXT_MONDAY = TODAY + dt.timedelta(days=7)


def group_data(world, **overrides):
    data = {
        "name": "Group E",
        "program": world.program.pk,
        "site": world.north.pk,
        "kind": "closed",
        "starts_on": NEXT_MONDAY.isoformat(),
        "weekday": 0,
        "meeting_time": "18:30",
        "capacity": 10,
        "language": "Spanish",
        "modality": "video",
        "facilitator": world.alice.pk,
        "co_facilitator": world.fred.pk,
    }
    data.update(overrides)
    return data


def test_a_manager_creates_a_group_and_goes_on_to_its_schedule(world, as_user):
    response = as_user(world.mona).post(CREATE, group_data(world))
    group = Group.objects.get(name="Group E")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:group_sessions", args=[group.pk])
    assert (group.language, group.modality, group.capacity, group.weekday) == (
        "Spanish",
        "video",
        10,
        0,
    )
    assert set(group.facilitators.all()) == {world.alice, world.fred}
    assert group.curriculum_version == world.program.curriculum_version


def test_the_co_facilitator_must_be_someone_else(world, as_user):
    response = as_user(world.mona).post(CREATE, group_data(world, co_facilitator=world.alice.pk))
    assert response.status_code == 400
    assert "Co-facilitator: the co-facilitator must be someone else." in text(response)
    assert not Group.objects.filter(name="Group E").exists()


def test_a_partner_safety_worker_cannot_facilitate(world, as_user):
    response = as_user(world.mona).post(CREATE, group_data(world, facilitator=world.petra.pk))
    assert response.status_code == 400
    assert "Facilitator: Select a valid choice." in text(response)
    assert not Group.objects.filter(name="Group E").exists()


def test_a_first_session_off_the_meeting_day_is_refused_naming_the_field(world, as_user):
    response = as_user(world.mona).post(CREATE, group_data(world, weekday=2))
    assert response.status_code == 400
    assert "First session: Monday 17 Mar 2025 is not a Wednesday" in text(response)


def test_a_missing_meeting_day_and_a_bad_time_are_refused_naming_the_fields(world, as_user):
    response = as_user(world.mona).post(CREATE, group_data(world, weekday="", meeting_time="25:99"))
    assert response.status_code == 400
    body = text(response)
    assert "Weekday: This field is required." in body
    assert "Meeting time: Enter a valid time." in body


def test_washington_caps_a_group_at_twelve(world, as_user):
    wa = make_program(
        world.north, "Level 2", curriculum=39, max_group_size=12, standard="wa-level-2"
    )
    response = as_user(world.mona).post(CREATE, group_data(world, program=wa.pk, capacity=13))
    assert response.status_code == 400
    assert "Capacity: Level 2 follows a standard that allows at most 12 men" in text(response)
    ok = as_user(world.mona).post(CREATE, group_data(world, program=wa.pk, capacity=12))
    assert ok.status_code == 302


def test_a_manager_cannot_create_a_group_in_a_program_of_another_site(world, as_user):
    response = as_user(world.mona).post(CREATE, group_data(world, program=world.program_b.pk))
    assert response.status_code == 400
    assert "Program: Select a valid choice." in text(response)


def test_editing_a_group_is_kept_in_its_history_with_before_and_after(world, as_user):
    client = as_user(world.olga)
    group = world.group_a
    data = group_data(
        world,
        name=group.name,
        starts_on=group.starts_on.isoformat(),
        weekday=group.starts_on.weekday(),
        meeting_time="09:30",
        capacity=8,
        language="English",
        modality="in_person",
    )
    assert client.post(reverse("programs:group_edit", args=[group.pk]), data).status_code == 302
    client.post(reverse("programs:group_edit", args=[group.pk]), {**data, "capacity": 12})
    body = text(client.get(reverse("programs:group_history", args=[group.pk])))
    assert "olga" in body
    assert "capacity: 8 → 12" in body


def test_a_new_assignment_over_capacity_warns(world, as_user):
    group = world.group_a
    Group.objects.filter(pk=group.pk).update(capacity=4)
    client = as_user(world.mona)
    response = client.post(
        reverse("enrollment-action", args=[world.in_intake.pk, "activate"]),
        {
            "effective_on": TODAY.isoformat(),
            "reason": "Joins group A",
            "group": group.pk,
            "confirm": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Group A now has 5 men for a capacity of 4." in text(response)


def test_an_assignment_within_capacity_does_not_warn(world, as_user):
    Group.objects.filter(pk=world.group_a.pk).update(capacity=12)
    response = as_user(world.mona).post(
        reverse("enrollment-action", args=[world.in_intake.pk, "activate"]),
        {
            "effective_on": TODAY.isoformat(),
            "reason": "Joins group A",
            "group": world.group_a.pk,
            "confirm": "on",
        },
        follow=True,
    )
    assert "Activate: recorded for RIV-105" in text(response)
    assert "for a capacity of" not in text(response)


@pytest.mark.parametrize("name", ["group_sessions", "group_edit", "group_history"])
def test_a_group_of_another_site_is_hidden_like_a_missing_one(world, as_user, name):
    client = as_user(world.mona)
    forbidden = client.get(reverse(f"programs:{name}", args=[world.group_b.pk]))
    missing = client.get(reverse(f"programs:{name}", args=[MISSING_ID]))
    assert_same_not_found(forbidden, missing)
    assert (
        as_user(world.olga).get(reverse(f"programs:{name}", args=[world.group_b.pk])).status_code
        == 200
    )


def test_a_facilitator_cannot_edit_her_own_group(world, as_user):
    response = as_user(world.alice).post(
        reverse("programs:group_edit", args=[world.group_a.pk]), group_data(world)
    )
    assert response.status_code == 404
    world.group_a.refresh_from_db()
    assert world.group_a.name == "Group A"


def test_an_organization_without_programs_is_sent_to_create_one(db, as_user):
    org = make_organization("Newcomers")
    make_site(org, "Main office")
    admin = make_user("nadia", organization=org, role=Role.ORG_ADMIN)
    response = as_user(admin).get(CREATE, follow=True)
    assert "Create a program first" in text(response)
    assert "Next step: create your first program" in text(response)


def test_saving_an_older_group_keeps_its_facilitators(world, as_user):
    # Group A was made with a list of facilitators only (Alice and Fred), no lead.
    client = as_user(world.mona)
    form = client.get(reverse("programs:group_edit", args=[world.group_a.pk])).context["form"]
    assert form["facilitator"].value() == world.alice.pk
    assert form["co_facilitator"].value() == world.fred.pk
    assert "Facilitators: Alice Tester, Fred Tester" in text(
        client.get(reverse("programs:group_sessions", args=[world.group_a.pk]))
    )
