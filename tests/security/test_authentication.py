"""Authentication as a whole: password hashing, lockout, the two-factor rule on every view,
idle sessions, and the single-purpose tokens men use instead of passwords.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from alliance import settings as production
from alliance.measures.administration.tokens import create_participant_link, hash_token, open_kiosk
from alliance.measures.models import CHECKOUT, Kiosk, ParticipantLink
from alliance.measures.registry import definition_for
from alliance.organizations.middleware import OPEN_VIEWS
from alliance.organizations.models import TokenGuess
from alliance.organizations.participant_tokens import FAILURE_WINDOW, MAX_FAILURES
from alliance.practice.models import PracticeLink
from alliance.practice.tokens import create_practice_link
from tests.factories import PASSWORD
from tests.web.conftest import confirmed_device, login_verified
from tests.web.helpers import text

# --- passwords ------------------------------------------------------------------------------


def test_a_new_password_is_stored_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS

    user = get_user_model().objects.create_user("newcomer", password="a long new password")

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert user.password.startswith("argon2$argon2id$")
    assert check_password("a long new password", user.password)


# --- lockout --------------------------------------------------------------------------------


def wrong_login(client: Client, username: str = "alice"):
    return client.post("/login/", {"username": username, "password": "not the password"})


def test_five_failed_logins_lock_that_username_from_that_address(world, client, frozen_clock):
    for _ in range(production.AXES_FAILURE_LIMIT - 1):
        assert wrong_login(client).status_code == 200
    assert wrong_login(client).status_code == 429  # the fifth failure locks

    locked = client.post("/login/", {"username": "alice", "password": PASSWORD})

    assert locked.status_code == 429
    body = text(locked)
    assert "Sign-in locked" in body
    assert "locked for 30 minutes" in body
    assert "ask your organization admin" in body
    assert SESSION_KEY not in client.session
    # Fred, at the same office address, is not locked out by Alice's typing.
    other = Client()
    assert other.post("/login/", {"username": "fred", "password": PASSWORD}).status_code == 302
    # Nor is Alice from another address.
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert elsewhere.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_the_lockout_ends_after_the_cool_off(world, client, frozen_clock):
    for _ in range(production.AXES_FAILURE_LIMIT):
        wrong_login(client)
    frozen_clock.shift(production.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))

    response = client.post("/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice", failures_since_start__gt=0).exists()


def test_a_success_before_the_limit_starts_the_count_again(world, client):
    for _ in range(production.AXES_FAILURE_LIMIT - 1):
        wrong_login(client)
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    client.post("/logout/")
    for _ in range(production.AXES_FAILURE_LIMIT - 1):
        wrong_login(client)

    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


# --- every staff view needs a verified second factor ---------------------------------------

ARGUMENTS = {"int": "1", "signed_int": "1", "str": "x", "slug": "x", "path": "x"}


def every_route(resolver: URLResolver | None = None, prefix: str = ""):
    """(view name, example path) for every URL pattern, arguments filled with examples."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from every_route(entry, pattern)
        elif isinstance(entry, URLPattern):
            example = re.sub(r"<(?:(\w+):)?\w+>", lambda m: ARGUMENTS[m.group(1) or "str"], pattern)
            yield entry.name, "/" + example


# The REST API (alliance.api) authenticates each request itself and answers 401 in JSON, never
# a redirect (tests/api/test_api.py); its reference page is an ordinary staff page.
STAFF_ROUTES = [
    (name, path)
    for name, path in every_route()
    if name not in OPEN_VIEWS and not (path.startswith("/api/") and name != "reference")
]


def test_the_allow_list_names_only_views_that_exist():
    assert {name for name, _ in every_route()} >= OPEN_VIEWS


@pytest.mark.parametrize(("name", "path"), STAFF_ROUTES)
def test_every_staff_view_sends_a_password_only_session_to_the_second_factor(
    db, client, django_user_model, name, path
):
    # The middleware answers before any view runs, so no organization is needed.
    user = django_user_model.objects.create_user("staffer", password=PASSWORD)
    client.force_login(user)  # a password login: no second factor yet
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 302, name
        assert response["Location"].startswith("/two-factor/setup/?next="), name
    confirmed_device(user)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 302, name
        assert response["Location"].startswith("/two-factor/?next="), name


@pytest.mark.parametrize(("name", "path"), STAFF_ROUTES)
def test_every_staff_view_sends_an_anonymous_visitor_to_log_in(db, client, name, path):
    response = client.get(path)

    assert response.status_code == 302, name
    assert response["Location"].startswith("/login/?next="), name


def test_token_pages_are_reachable_without_a_staff_session(world, client):
    # A wrong token answers "not found" itself instead of a redirect to sign in.
    for path in ("/r/nothing/", "/kiosk/nothing/", "/p/nothing/"):
        assert client.get(path).status_code == 404, path


# --- idle sessions --------------------------------------------------------------------------


def test_a_session_idle_longer_than_the_limit_is_logged_out(world, client, frozen_clock):
    login_verified(client, world.alice)
    idle = dt.timedelta(seconds=production.SESSION_COOKIE_AGE)

    frozen_clock.shift(idle - dt.timedelta(minutes=1))
    assert client.get("/").status_code == 200  # activity: the limit starts again
    frozen_clock.shift(idle - dt.timedelta(minutes=1))
    assert client.get("/").status_code == 200
    frozen_clock.shift(idle + dt.timedelta(seconds=1))
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_idle_limit_is_thirty_minutes_and_counts_from_the_last_request():
    assert production.SESSION_COOKIE_AGE == 30 * 60
    assert production.SESSION_SAVE_EVERY_REQUEST is True


# --- participant tokens ---------------------------------------------------------------------


def test_each_token_opens_only_its_own_kind_of_page(world, client):
    now = dt.datetime.now(dt.UTC)
    _, link = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
    )
    _, kiosk = open_kiosk(actor=world.alice, session=world.todays_session_a)
    _, phone = create_practice_link(actor=world.alice, enrollment=world.good, now=now)

    assert client.get(f"/r/{link}/").status_code == 200
    assert client.get(f"/kiosk/{kiosk}/").status_code == 200
    assert client.get(f"/p/{phone}/").status_code == 200
    for wrong in (f"/kiosk/{link}/", f"/p/{link}/", f"/r/{kiosk}/", f"/p/{kiosk}/"):
        assert client.get(wrong).status_code == 404, wrong
    for wrong in (f"/r/{phone}/", f"/kiosk/{phone}/"):
        assert client.get(wrong).status_code == 404, wrong
    # None of them opens a staff page.
    assert client.get("/")["Location"].startswith("/login/")


def test_every_token_is_stored_only_as_its_hash_and_expires(world):
    now = dt.datetime.now(dt.UTC)
    _, link = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
    )
    _, kiosk = open_kiosk(actor=world.alice, session=world.todays_session_a)
    _, phone = create_practice_link(actor=world.alice, enrollment=world.good, now=now)

    rows = [
        (ParticipantLink.objects.get(), link),
        (Kiosk.objects.get(), kiosk),
        (PracticeLink.objects.get(), phone),
    ]
    for row, token in rows:
        assert len(token) >= 43  # 32 random bytes
        assert row.token_hash == hash_token(token) != token
        assert token not in str(vars(row))
        assert now < row.expires_at <= now + dt.timedelta(days=7)


def test_guessing_tokens_is_refused_after_ten_misses_but_a_real_link_still_opens(
    world, client, frozen_clock
):
    _, link = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
    )
    for k in range(MAX_FAILURES // 2):
        assert client.get(f"/r/guess-{k}/").status_code == 404
        assert client.get(f"/kiosk/guess-{k}/").status_code == 404

    refused = client.get("/r/one-more-guess/")

    assert refused.status_code == 429
    assert "Too many attempts" in text(refused)
    # Refused guesses are no longer written: the table is capped per address and window.
    assert TokenGuess.objects.count() == MAX_FAILURES
    assert all(len(g.client_hash) == 64 for g in TokenGuess.objects.all())
    # The man holding a real link at the same address (a group room's NAT) is not held back.
    assert client.get(f"/r/{link}/").status_code == 200
    # Another address is not held back either, and the limit lifts after the window.
    assert Client(REMOTE_ADDR="10.1.2.3").get("/r/another-guess/").status_code == 404
    frozen_clock.shift(FAILURE_WINDOW + dt.timedelta(seconds=1))
    assert client.get("/r/one-more-guess/").status_code == 404
