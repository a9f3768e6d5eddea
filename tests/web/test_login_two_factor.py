"""Two-factor sign-in: set-up with an authenticator app, recovery codes, code entry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from alliance.organizations.models import Authenticator
from alliance.organizations.twofactor import RECOVERY_CODES, base32_secret, current_code
from tests.factories import PASSWORD
from tests.web.conftest import confirmed_device
from tests.web.helpers import text

SETUP = "/two-factor/setup/"
VERIFY = "/two-factor/"


def sign_in(client, username: str = "alice") -> None:
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def pending_device(user) -> Authenticator:
    return Authenticator.objects.get(user=user, confirmed=False)


def set_up(client, user) -> list[str]:
    """Go through set-up as a real user would; returns the recovery codes shown."""
    sign_in(client, user.username)
    client.get(SETUP)
    response = client.post(SETUP, {"code": current_code(pending_device(user)), "next": "/"})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{5}-[a-z2-7]{3})</code></li>", text(response))


def test_a_user_without_an_authenticator_is_sent_to_set_one_up(world, client):
    sign_in(client)

    response = client.get(f"/groups/{world.group_a.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fgroups%2F{world.group_a.pk}%2F"


def test_the_setup_page_shows_the_uri_a_qr_code_and_the_key_without_inline_script(world, client):
    sign_in(client)

    response = client.get(SETUP)

    body = text(response)
    device = pending_device(world.alice)
    assert response.status_code == 200
    assert "otpauth://totp/Alliance%3Aalice?secret=" in body
    assert "<svg" in body
    assert base32_secret(device) in body
    assert '<label for="id_code">' in body
    assert re.search(r"<script(?![^>]*\bsrc=)", body) is None
    assert "no-store" in response["Cache-Control"]
    # Reloading the page keeps the same secret: the app he already scanned still works.
    client.get(SETUP)
    assert Authenticator.objects.filter(user=world.alice).count() == 1


def test_a_wrong_code_does_not_confirm_the_authenticator(world, client):
    sign_in(client)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert "That code did not match" in text(response)
    assert not Authenticator.objects.filter(user=world.alice, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=world.alice).exists()
    assert client.get("/").status_code == 302


def test_confirming_shows_ten_recovery_codes_once_and_stores_them_hashed(world, client):
    codes = set_up(client, world.alice)

    assert len(codes) == RECOVERY_CODES == len(set(codes))
    tokens = StaticToken.objects.filter(device__user=world.alice)
    stored = set(tokens.values_list("token", flat=True))
    assert len(stored) == RECOVERY_CODES
    assert not stored & {c.replace("-", "") for c in codes}
    assert not stored & set(codes)
    assert Authenticator.objects.get(user=world.alice).confirmed
    assert "Today, Mon 10 Mar 2025" in text(client.get("/"))
    # Set-up is over: visiting it again cannot show the codes or add a second device.
    again = client.get(SETUP)
    assert again.status_code == 302
    assert Authenticator.objects.filter(user=world.alice).count() == 1


def test_a_user_with_an_authenticator_must_enter_a_code_before_any_page(world, client):
    device = confirmed_device(world.alice)
    sign_in(client)

    assert client.get("/")["Location"] == f"{VERIFY}?next=%2F"
    assert client.get(f"/sessions/{world.todays_session_a.pk}/").status_code == 302
    # Knowing the password is not enough to replace his authenticator.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": current_code(device), "next": "/dashboard/"})

    assert response["Location"] == "/dashboard/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(f"/sessions/{world.todays_session_a.pk}/").status_code == 200


def test_a_wrong_code_is_refused_and_then_throttled(world, client, frozen_clock):
    device = confirmed_device(world.alice)
    sign_in(client)

    wrong = client.post(VERIFY, {"code": "123456"})
    right_too_soon = client.post(VERIFY, {"code": current_code(device)})

    assert wrong.status_code == 400
    assert "That code did not match" in text(wrong)
    assert right_too_soon.status_code == 400
    assert "Too many wrong codes" in text(right_too_soon)
    assert DEVICE_ID_SESSION_KEY not in client.session
    frozen_clock.shift(dt.timedelta(seconds=31))
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302


def test_a_code_cannot_be_used_twice(world, client):
    device = confirmed_device(world.alice)
    code = current_code(device)
    sign_in(client)
    client.post(VERIFY, {"code": code})
    client.post("/logout/")
    sign_in(client)

    replay = client.post(VERIFY, {"code": code})

    assert replay.status_code == 400
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_a_recovery_code_works_once(world, client, frozen_clock):
    codes = set_up(client, world.alice)
    client.post("/logout/")
    sign_in(client)

    used = client.post(VERIFY, {"code": codes[0].upper(), "next": "/"})
    assert used.status_code == 302
    assert StaticToken.objects.filter(device__user=world.alice).count() == RECOVERY_CODES - 1
    client.post("/logout/")
    sign_in(client)
    frozen_clock.shift(dt.timedelta(seconds=5))
    again = client.post(VERIFY, {"code": codes[0]})

    assert again.status_code == 400
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_it_never_redirects_off_site_after_the_code(world, client, target):
    device = confirmed_device(world.alice)
    sign_in(client)

    response = client.post(VERIFY, {"code": current_code(device), "next": target})

    assert response["Location"] == "/"


def test_the_two_factor_pages_need_a_password_login_first(world, client):
    assert client.get(VERIFY)["Location"].startswith("/login/")
    assert client.get(SETUP)["Location"].startswith("/login/")
    assert SESSION_KEY not in client.session
