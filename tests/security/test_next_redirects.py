"""``next`` is data from the browser: every view that reads it goes to a local path or home,
never off-site, and never answers 500 (finding L3: ``next="'"`` was tried as a view name)."""

from __future__ import annotations

import pytest

from alliance.measures.models import Alert
from alliance.organizations.twofactor import current_code
from tests.factories import PASSWORD, World
from tests.measures.test_alerts import record_checkout
from tests.web.conftest import confirmed_device

#: Values the December test sent, and the ways browsers read a path as another host.
HOSTILE = [
    "'",
    "%",
    "é😀",
    "home",
    "participants",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/\t/evil.example",
    "/\x00",
]


def assert_stays_on_site(response, *, fallback: str) -> None:
    assert response.status_code == 302
    location = response["Location"]
    assert location == fallback
    assert "evil" not in location


@pytest.mark.parametrize("target", HOSTILE)
def test_acknowledging_an_alert_with_a_hostile_next_goes_home(
    world: World, as_user, target
) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    alert_id = Alert.objects.get().pk

    response = as_user(world.alice).post(f"/alerts/{alert_id}/acknowledge/", {"next": target})

    assert_stays_on_site(response, fallback="/")
    assert Alert.objects.get().acknowledged_at is not None


def test_acknowledging_an_alert_returns_to_the_local_page_it_came_from(
    world: World, as_user
) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    alert_id = Alert.objects.get().pk
    back = f"/participants/{world.good.participant_id}/?tab=measures"

    response = as_user(world.alice).post(f"/alerts/{alert_id}/acknowledge/", {"next": back})

    assert response.status_code == 302
    assert response["Location"] == back


@pytest.mark.parametrize("target", HOSTILE)
def test_the_second_factor_with_a_hostile_next_goes_home(world: World, client, target) -> None:
    device = confirmed_device(world.alice)
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302

    page = client.get("/two-factor/", {"next": target})
    response = client.post("/two-factor/", {"code": current_code(device), "next": target})

    assert page.status_code == 200
    assert "evil" not in page.content.decode()
    assert_stays_on_site(response, fallback="/")


@pytest.mark.parametrize("target", HOSTILE)
def test_the_login_form_with_a_hostile_next_goes_home(world: World, client, target) -> None:
    page = client.get("/login/", {"next": target})
    response = client.post("/login/", {"username": "alice", "password": PASSWORD, "next": target})

    assert page.status_code == 200
    assert "evil" not in page.content.decode()
    assert_stays_on_site(response, fallback="/")


def test_the_login_form_keeps_a_local_next(world: World, client) -> None:
    response = client.post(
        "/login/", {"username": "alice", "password": PASSWORD, "next": "/participants/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/participants/"
