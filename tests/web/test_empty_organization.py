"""A brand-new organization (just made by ``alliance createadmin``): every page its admin can
reach from the menu opens, and none is a dead end."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliance.organizations.services import create_org_admin
from tests.factories import PASSWORD
from tests.web.helpers import text


@pytest.fixture
def nadia(db, frozen_clock):
    return create_org_admin(
        username="nadia", email="n@example.org", password=PASSWORD, organization_name="Northside"
    )


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "settings",
        "settings-organization",
        "settings-sites",
        "settings-staff",
        "settings-history",
        "data-rights",
        "participants",
        "dashboard",
        "caseload-import",
    ],
)
def test_every_page_of_an_empty_organization_opens_and_leads_somewhere(nadia, as_user, name):
    response = as_user(nadia).get(reverse(name))
    assert response.status_code == 200
    body = text(response)
    assert "<tbody></tbody>" not in body.replace("\n", "")
    assert reverse("settings") in body  # the menu always leads back to the checklist


def test_the_home_page_of_an_empty_organization_points_to_the_first_step(nadia, as_user):
    body = text(as_user(nadia).get(reverse("home")))
    assert "Next: <strong>Your organization</strong>" in body
    assert "Follow the set-up checklist above to create programs and groups." in body


def test_the_participant_list_and_dashboard_of_an_empty_organization_say_what_comes_first(
    nadia, as_user
):
    client = as_user(nadia)
    participants = text(client.get(reverse("participants")))
    assert "No men yet. Record the first one with" in participants
    assert reverse("referral-new") in participants
    assert reverse("caseload-import") in participants  # or the whole caseload at once
    dashboard = text(client.get(reverse("dashboard")))
    assert "No programs yet, so there is nothing to count." in dashboard


def test_the_caseload_import_of_an_organization_without_programs_says_to_set_one_up(nadia, as_user):
    body = text(as_user(nadia).get(reverse("caseload-import")))
    assert "You have no program yet" in body
    assert reverse("programs:program_list") in body
    assert "No file imported yet." in body
