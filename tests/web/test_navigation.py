"""The main menu (alliance/navigation.py, issue 18 D5 and D32).

Every link in a role's menu opens for that role (never a 404 or 403), the pages each role's
work needs are in it, and nothing but "Sign out" shows before two-factor sign-in is complete.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import confirmed_device
from tests.web.helpers import text

MENU = re.compile(r'<nav aria-label="Main" class="menu">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"#]+)(?:#[^"]*)?"')


def menu_links(client: Client) -> list[str]:
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    found = MENU.search(text(response))
    assert found, "the page has no main menu"
    return sorted(set(HREF.findall(found.group(1))))


PERSONAS = ["alice", "bob", "mona", "olga", "eve", "petra", "ines"]

#: What each role's working day needs from the menu (D5): paths by URL name.
NEEDS = {
    "alice": ["participants", "engagement-risk", "practice-library", "self-practice"],
    "bob": [
        "participants",
        "engagement-risk",
        "dashboard",
        "evaluation",
        "access-log",
        "incidents",
        "identities",
        "intake-home",
    ],
    "mona": [
        "participants",
        "engagement-risk",
        "dashboard",
        "evaluation",
        "access-log",
        "practice-library",
        "self-practice",
        "programs:program_list",
        "fees:aging",
    ],
    "olga": ["settings", "data-rights", "participants", "dashboard", "access-log"],
    "eve": ["dashboard", "evaluation"],
    "petra": ["safety-home", "incidents"],
    "ines": ["intake-home", "identities", "fees:aging"],
}
#: And what a role must never be offered.
NEVER = {
    "alice": ["settings", "access-log", "safety-home", "dashboard", "identities"],
    "petra": ["participants", "dashboard", "engagement-risk", "identities"],
    "eve": ["participants", "engagement-risk", "safety-home", "identities"],
    "ines": ["participants", "engagement-risk", "safety-home", "dashboard"],
    "mona": ["safety-home", "settings"],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_link_opens_for_the_role(world, as_user, persona) -> None:
    client = as_user(getattr(world, persona))
    links = menu_links(client)
    assert links
    for path in links:
        response = client.get(path)
        status = response.status_code
        assert status in (200, 302), f"{persona}: {path} answered {status}"
        if response.status_code == 302:
            assert client.get(path, follow=True).status_code == 200, path


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_holds_what_the_role_needs_and_nothing_it_may_not_open(
    world, as_user, persona
) -> None:
    links = menu_links(as_user(getattr(world, persona)))
    for name in NEEDS[persona]:
        assert reverse(name) in links, f"{persona} has no link to {name}"
    for name in NEVER.get(persona, []):
        assert reverse(name) not in links, f"{persona} is offered {name}"


def test_a_facilitator_sees_his_groups_and_todays_session(world, as_user) -> None:
    links = menu_links(as_user(world.alice))
    assert reverse("group", args=[world.group_a.pk]) in links
    assert reverse("group", args=[world.group_b.pk]) not in links  # Charlie's group
    today = [s for s in world.sessions_a if s.held_on == world.today]
    assert today, "the world has a session today in group A"
    assert reverse("session", args=[today[0].pk]) in links


def test_a_manager_reaches_groups_and_sessions_by_clicking(world, as_user) -> None:
    """D5: from the manager's landing page to a roster, then to a session's attendance."""
    client = as_user(world.mona)
    links = menu_links(client)
    group_path = reverse("group", args=[world.group_a.pk])
    assert group_path in links
    roster = client.get(group_path)
    assert roster.status_code == 200
    session_paths = set(re.findall(r'href="(/sessions/\d+/)"', text(roster)))
    assert session_paths, "the roster links to its sessions"
    assert client.get(sorted(session_paths)[0]).status_code == 200


@pytest.mark.parametrize("step", ["two-factor-setup", "two-factor-verify"])
def test_before_two_factor_only_sign_out_shows(world, client, step) -> None:
    if step == "two-factor-verify":
        confirmed_device(world.mona)
    client.force_login(world.mona)
    response = client.get(reverse(step))
    assert response.status_code == 200
    body = text(response)
    assert 'aria-label="Main"' not in body
    assert reverse("dashboard") not in body
    assert reverse("participants") not in body
    assert body.count("Sign out") == 1
    assert 'role="search"' not in body


def test_the_search_box_is_a_get_form_for_clinical_roles_only(world, as_user, settings) -> None:
    body = text(as_user(world.alice).get(reverse("home")))
    search = re.search(r'<form class="search" role="search" method="get" action="([^"]+)"', body)
    try:
        reverse("participants:search")
    except Exception:
        assert search is None  # the endpoint is not there yet: no box that leads nowhere
    else:
        assert search is not None
        assert 'hx-get="' + search.group(1) + '"' in body


def test_the_menu_costs_two_queries_whatever_the_number_of_groups(world, as_user) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.navigation import Menu

    client = as_user(world.olga)
    response = client.get(reverse("home"))
    menu = response.context["menu"]
    fresh = Menu(menu.request, menu.membership)
    with CaptureQueriesContext(connection) as queries:
        fresh.sections  # noqa: B018
    assert len(queries) == 2
