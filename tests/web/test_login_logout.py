"""/login/ and /logout/."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session as DjangoSession

from alliance.organizations.twofactor import current_code
from tests.factories import PASSWORD
from tests.web.conftest import confirmed_device
from tests.web.helpers import text


def test_the_login_page_has_labelled_fields(world, client):
    response = client.get("/login/")

    assert response.status_code == 200
    body = text(response)
    assert '<label for="id_username">' in body
    assert '<label for="id_password">' in body


def test_alice_logs_in_and_lands_on_her_home_after_her_code(world, client):
    device = confirmed_device(world.alice)
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session[SESSION_KEY]) == world.alice.pk
    assert DjangoSession.objects.count() == 1
    assert client.get("/")["Location"] == "/two-factor/?next=%2F"
    entered = client.post("/two-factor/", {"code": current_code(device), "next": "/"})
    assert entered["Location"] == "/"
    assert "Today, Mon 10 Mar 2025" in text(client.get("/"))


def test_login_returns_to_the_page_asked_for(world, client):
    target = f"/groups/{world.group_a.pk}/"
    response = client.post(
        f"/login/?next={target}", {"username": "alice", "password": PASSWORD, "next": target}
    )

    assert response["Location"] == target


def test_a_wrong_password_is_refused(world, client):
    response = client.post("/login/", {"username": "alice", "password": "not her password"})

    assert response.status_code == 200
    assert 'role="alert"' in text(response)
    assert DjangoSession.objects.count() == 0  # before client.session, which makes one
    assert SESSION_KEY not in client.session


def test_logout_ends_the_session(world, client):
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert SESSION_KEY not in client.session
    assert client.get("/").status_code == 302


def test_logout_by_get_is_refused(world, client):
    client.post("/login/", {"username": "alice", "password": PASSWORD})

    assert client.get("/logout/").status_code == 405
    assert int(client.session[SESSION_KEY]) == world.alice.pk
