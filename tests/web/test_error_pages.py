"""Error pages carry the header and a way on (issue 18, D17); the 404 of a forbidden record
still says nothing about whether the record exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def test_the_404_has_the_menu_and_is_the_same_for_forbidden_and_missing(world, as_user) -> None:
    client = as_user(world.charlie)  # group B: RIV-103 of group A is not his
    forbidden = client.get(reverse("participant", args=[world.breach.participant_id]))
    missing = client.get(reverse("participant", args=[MISSING_ID]))
    assert_same_not_found(forbidden, missing)
    body = text(forbidden)
    assert "This page is not here" in body
    assert 'aria-label="Main"' in body
    assert 'href="/"' in body
    for word in ("participant", "RIV-", "exist"):
        assert word not in body.split("<main")[1], word


def test_the_404_of_a_signed_out_visitor_offers_sign_in(db) -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert reverse("login") in text(response)


def test_the_403_page_has_the_menu(world) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY  # noqa: F401  (the menu needs a verified user)

    request = RequestFactory().get("/somewhere/")
    request.user = world.mona
    request.user.is_verified = lambda: True  # type: ignore[attr-defined]
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    body = response.content.decode()
    assert "This action is not open to your account" in body
    assert 'aria-label="Main"' in body


def test_an_expired_form_says_so_and_nothing_was_saved(world) -> None:
    from tests.web.conftest import login_verified

    client = login_verified(Client(enforce_csrf_checks=True), world.mona)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form has expired" in text(response)
    assert "Nothing was saved" in text(response)


def test_a_405_has_a_page_and_keeps_its_allow_header(world, as_user) -> None:
    response = as_user(world.alice).get(reverse("logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    body = text(response)
    assert "This page cannot be opened this way" in body
    assert 'aria-label="Main"' in body
    assert response["Content-Type"].startswith("text/html")


def test_the_500_page_renders_without_a_request_or_the_database(rf) -> None:
    # No database fixture: any query would raise "Database access not allowed".
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert 'href="/"' in body
    assert 'aria-label="Main"' not in body  # no user, no menu: nothing that needs the database
