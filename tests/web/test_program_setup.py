"""Programs: presets from named standards, every field editable, impossible policies refused,
the settings history. Olga administers Riverside (every program), Mona manages the programs of
Riverside North; Bob (supervisor) and Alice (facilitator) set nothing up."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliance.organizations.models import Role
from alliance.programs.models import Program
from tests.factories import make_organization, make_site, make_user
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def program_data(site, **overrides):
    data = {
        "name": "Men's Program 52",
        "site": site.pk,
        "description": "",
        "standard": "ca-52",
        "curriculum_length": 52,
        "session_minutes": 120,
        "meeting_interval_days": 7,
        "min_attended_sessions": 52,
        "max_unexcused_absences": 0,
        "max_excused_absences": 3,
        "max_total_absences": 3,
        "late_minutes_as_absence": "",
        "lates_per_unexcused_absence": "",
        "makeup_sessions_allowed": 0,
        "reinstatements_allowed": 0,
        "reinstatement_resets_absences": "on",
        "max_program_days": "",
        "report_interval_days": 90,
        "noncompliance_notice_days": "",
        "max_group_size": "",
        "completion_criteria": "52 sessions attended.",
    }
    data.update(overrides)
    return data


CREATE = reverse("programs:program_create")


def test_the_california_preset_fills_the_form_and_cites_the_penal_code(world, as_user):
    response = as_user(world.olga).get(CREATE, {"preset": "ca-52"})
    assert response.status_code == 200
    body = text(response)
    assert "California Penal Code § 1203.097" in body
    assert 'name="min_attended_sessions" value="52"' in body
    assert 'name="max_excused_absences" value="3"' in body
    assert 'name="session_minutes" value="120"' in body


def test_the_washington_preset_fills_the_group_size_limit_and_cites_the_wac(world, as_user):
    body = text(as_user(world.mona).get(CREATE, {"preset": "wa-level-2"}))
    assert "WAC 388-60B-0400" in body
    assert 'name="max_group_size" value="12"' in body
    assert 'name="min_attended_sessions" value="39"' in body


def test_an_admin_creates_a_program_from_the_preset_and_goes_on_to_its_curriculum(world, as_user):
    response = as_user(world.olga).post(CREATE, program_data(world.south))
    program = Program.objects.get(name="Men's Program 52")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:curriculum", args=[program.pk])
    assert program.organization == world.riverside
    assert program.standard == "ca-52"
    assert (program.max_excused_absences, program.max_unexcused_absences) == (3, 0)
    assert program.report_interval_days == 90


def test_every_preset_field_stays_editable(world, as_user):
    as_user(world.olga).post(
        CREATE, program_data(world.north, max_excused_absences=2, session_minutes=150)
    )
    program = Program.objects.get(name="Men's Program 52")
    assert program.max_excused_absences == 2
    assert program.session_minutes == 150


def test_more_required_sessions_than_the_curriculum_is_refused_with_why(world, as_user):
    response = as_user(world.olga).post(CREATE, program_data(world.north, min_attended_sessions=60))
    assert response.status_code == 400
    body = text(response)
    assert "Sessions required to complete: 60 sessions are required" in body
    assert "nobody could complete" in body
    assert not Program.objects.filter(name="Men's Program 52").exists()


def test_a_deadline_shorter_than_the_sessions_take_is_refused_with_why(world, as_user):
    response = as_user(world.olga).post(CREATE, program_data(world.north, max_program_days=300))
    assert response.status_code == 400
    assert "Days allowed to complete: 300 days is too short" in text(response)
    assert "at least 358 days" in text(response)


def test_negative_absences_are_refused_naming_the_field(world, as_user):
    response = as_user(world.olga).post(
        CREATE, program_data(world.north, max_unexcused_absences=-1)
    )
    assert response.status_code == 400
    assert "Unexcused absences allowed: Ensure this value is greater than or equal to 0" in text(
        response
    )
    assert not Program.objects.filter(name="Men's Program 52").exists()


def test_a_missing_name_and_a_duplicate_name_are_refused_naming_the_field(world, as_user):
    client = as_user(world.olga)
    assert "Name: This field is required." in text(
        client.post(CREATE, program_data(world.north, name=""))
    )
    response = client.post(CREATE, program_data(world.north, name="Respectful Relationships"))
    assert response.status_code == 400
    assert "Name: another program already has this name." in text(response)


def test_a_manager_may_only_set_a_program_up_at_his_sites(world, as_user):
    response = as_user(world.mona).post(CREATE, program_data(world.south))
    assert response.status_code == 400
    assert "Site: Select a valid choice." in text(response)
    assert not Program.objects.filter(name="Men's Program 52").exists()


def test_a_manager_edits_his_program_and_the_history_shows_who_and_before_and_after(world, as_user):
    client = as_user(world.mona)
    url = reverse("programs:program_edit", args=[world.program.pk])
    data = program_data(
        world.north,
        name=world.program.name,
        standard="custom",
        curriculum_length=24,
        min_attended_sessions=20,
        max_unexcused_absences=3,
        max_excused_absences=3,
        max_total_absences="",
        max_program_days=180,
        report_interval_days="",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.max_unexcused_absences == 3
    history = text(client.get(reverse("programs:program_history", args=[world.program.pk])))
    assert "mona" in history
    assert "max unexcused absences: 2 → 3" in history


def test_the_program_page_cites_its_standard(world, as_user):
    as_user(world.olga).post(CREATE, program_data(world.north))
    program = Program.objects.get(name="Men's Program 52")
    body = text(as_user(world.olga).get(reverse("programs:program_detail", args=[program.pk])))
    assert "1203.097" in body
    assert "Next step: the curriculum" in body


@pytest.mark.parametrize("name", ["program_detail", "program_edit", "program_history"])
def test_a_program_of_another_site_is_hidden_like_a_missing_one(world, as_user, name):
    client = as_user(world.mona)
    forbidden = client.get(reverse(f"programs:{name}", args=[world.program_b.pk]))
    missing = client.get(reverse(f"programs:{name}", args=[MISSING_ID]))
    assert_same_not_found(forbidden, missing)
    assert (
        as_user(world.olga).get(reverse(f"programs:{name}", args=[world.program_b.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("persona", ["bob", "alice", "eve", "petra"])
def test_staff_who_do_not_manage_programs_get_not_found(world, as_user, persona):
    client = as_user(getattr(world, persona))
    assert client.get(reverse("programs:program_list")).status_code == 404
    assert client.post(CREATE, program_data(world.north)).status_code == 404
    assert not Program.objects.filter(name="Men's Program 52").exists()


def test_an_organization_without_sites_is_told_to_add_one_first(db, as_user):
    org = make_organization("Newcomers")
    admin = make_user("nadia", organization=org, role=Role.ORG_ADMIN)
    client = as_user(admin)
    body = text(client.get(reverse("programs:program_list")))
    assert "Next step: add a site" in body
    assert client.get(CREATE).status_code == 302


def test_an_organization_without_programs_is_shown_how_to_create_one(db, as_user):
    org = make_organization("Newcomers")
    make_site(org, "Main office")
    admin = make_user("nadia", organization=org, role=Role.ORG_ADMIN)
    body = text(as_user(admin).get(reverse("programs:program_list")))
    assert "Next step: create your first program" in body
    assert CREATE in body
    assert "<table" not in body
