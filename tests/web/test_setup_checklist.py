"""The organization admin's set-up checklist: on his home page until done, then in Settings.

Nadia has just run ``alliance createadmin`` for Northside, an empty organization. Olga
administers Riverside, which the test world has set up (sites, programs, groups, sessions,
staff).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliance.measures.models import MeasureSchedule, When
from alliance.organizations.models import Organization, Role
from alliance.organizations.services import create_org_admin
from alliance.organizations.setup import setup_checklist
from alliance.rights.models import RetentionPolicy
from tests.factories import PASSWORD, make_group, make_program, make_sessions, make_site, make_user
from tests.web.helpers import text


@pytest.fixture
def nadia(db, frozen_clock):
    return create_org_admin(
        username="nadia",
        email="nadia@example.org",
        password=PASSWORD,
        organization_name="Northside",
        time_zone="Europe/Madrid",
    )


def steps(organization: Organization) -> dict[str, bool]:
    return {s.key: s.done for s in setup_checklist(organization).steps}


def test_an_empty_organization_sees_every_step_to_do_with_what_it_is_for(nadia, as_user):
    response = as_user(nadia).get(reverse("home"))
    assert response.status_code == 200
    body = text(response)
    assert "Set-up checklist: 0 of 11 done" in body
    assert "Next: <strong>Your organization</strong>" in body
    for title in ("Sites", "Programs", "Curriculum", "Groups", "Staff", "Measure schedules"):
        assert f"<strong>{title}</strong>" in body
    assert "head and sign every letter and court report" in body
    assert reverse("settings-organization") in body
    assert reverse("settings-sites") in body
    assert reverse("settings-staff") in body
    assert reverse("data-rights") in body


def test_each_step_is_done_once_its_data_exists(nadia):
    organization = Organization.objects.get(name="Northside")
    assert not any(steps(organization).values())
    organization.address, organization.phone = "1 Main St", "+34 600 000 000"
    organization.signature_block = "Ana Director"
    organization.save()
    site = make_site(organization, "Centre")
    program = make_program(site, curriculum=3)
    assert steps(organization) == {
        "organization": True,
        "sites": True,
        "programs": True,
        "curriculum": True,
        "groups": False,
        "sessions": False,
        "caseload": False,
        "staff": False,
        "measures": False,
        "reminders": False,
        "retention": False,
    }
    facilitator = make_user("fay", organization=organization, role=Role.FACILITATOR, sites=[site])
    group = make_group(
        program, "Tuesday", starts_on=dt.date(2025, 3, 4), facilitators=[facilitator]
    )
    make_sessions(group, [dt.date(2025, 3, 4)])
    MeasureSchedule.objects.create(
        program=program, instrument_id="alliance_checkout", when=When.EVERY_SESSION
    )
    RetentionPolicy.objects.create(organization=organization, years=7)
    done = steps(organization)
    assert [k for k, v in done.items() if not v] == ["caseload", "reminders"]


def test_a_program_without_curriculum_leaves_the_curriculum_step_open(nadia):
    organization = Organization.objects.get(name="Northside")
    make_program(make_site(organization, "Centre"), curriculum=0)
    assert steps(organization)["programs"] is True
    assert steps(organization)["curriculum"] is False


def test_the_admin_confirms_a_step_with_nothing_to_count(nadia, as_user):
    client = as_user(nadia)
    response = client.post(reverse("settings-confirm-step"), {"step": "reminders", "back": "home"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "reminders" in Organization.objects.get(name="Northside").setup_confirmed


def test_confirming_a_step_that_has_data_to_count_is_refused_by_name(nadia, as_user):
    response = as_user(nadia).post(reverse("settings-confirm-step"), {"step": "staff"})
    assert response.status_code == 400
    assert "step: choose a step that can be confirmed by hand" in text(response)
    assert Organization.objects.get(name="Northside").setup_confirmed == []


def test_a_finished_checklist_leaves_the_home_page_but_stays_in_settings(world, as_user):
    organization = world.riverside
    organization.address, organization.phone, organization.signature_block = (
        "1 River Rd",
        "555 0100",
        "Olga",
    )
    organization.setup_confirmed = ["reminders", "measures", "retention"]
    organization.save()
    client = as_user(world.olga)
    assert "Set-up checklist" not in text(client.get(reverse("home")))
    response = client.get(reverse("settings"))
    assert response.status_code == 200
    assert "Set-up checklist: 11 of 11 done" in text(response)


def test_program_steps_come_from_the_programs_selector(world):
    assert steps(world.riverside)["programs"] is True
    assert steps(world.riverside)["groups"] is True
    assert steps(world.riverside)["sessions"] is True
    assert steps(world.riverside)["staff"] is True


@pytest.mark.parametrize("name", ["alice", "mona", "bob", "eve", "petra"])
def test_settings_are_hidden_from_everyone_but_the_organization_admin(world, as_user, name):
    client = as_user(getattr(world, name))
    assert client.get(reverse("settings")).status_code == 404
    assert "Set-up checklist" not in text(client.get(reverse("home"), follow=True))


def test_the_caseload_step_links_the_import_and_is_done_by_a_man_or_by_confirming(nadia, as_user):
    organization = Organization.objects.get(name="Northside")
    client = as_user(nadia)
    assert reverse("caseload-import") in text(client.get(reverse("settings")))
    assert steps(organization)["caseload"] is False
    response = client.post(reverse("settings-confirm-step"), {"step": "caseload"})
    assert response.status_code == 302
    assert steps(Organization.objects.get(name="Northside"))["caseload"] is True
