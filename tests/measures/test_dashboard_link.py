"""The program dashboard links to each program's measures page for the roles that see both."""

from __future__ import annotations

import pytest

from tests.factories import World


@pytest.mark.parametrize("persona", ["bob", "mona", "olga", "eve"])
def test_the_dashboard_links_to_the_program_measures_page(
    world: World, as_user, persona: str
) -> None:
    client = as_user(getattr(world, persona))
    html = client.get("/dashboard/").content.decode()
    target = f"/programs/{world.program.pk}/measures/"
    assert f'href="{target}"' in html
    assert client.get(target).status_code == 200


def test_a_chosen_program_links_only_to_its_own_measures(world: World, as_user) -> None:
    client = as_user(world.olga)
    html = client.get(f"/dashboard/?program={world.program_b.pk}").content.decode()
    assert f'href="/programs/{world.program_b.pk}/measures/"' in html
    assert f'href="/programs/{world.program.pk}/measures/"' not in html


def test_staff_of_one_site_get_no_link_to_another_sites_program(world: World, as_user) -> None:
    html = as_user(world.mona).get("/dashboard/").content.decode()
    assert f'href="/programs/{world.program_b.pk}/measures/"' not in html


@pytest.mark.parametrize("persona", ["alice", "petra"])
def test_roles_without_the_dashboard_get_neither(world: World, as_user, persona: str) -> None:
    response = as_user(getattr(world, persona)).get("/dashboard/")
    assert response.status_code == 404
    assert b"/measures/" not in response.content
