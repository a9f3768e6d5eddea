"""Two-factor: new recovery codes for a signed-in, verified staff member."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django_otp.plugins.otp_static.models import StaticToken

from alliance.organizations.twofactor import RECOVERY_CODES, _stored_form, current_code
from tests.factories import PASSWORD
from tests.web.conftest import confirmed_device
from tests.web.helpers import text

PAGE = "/two-factor/recovery-codes/"
VERIFY = "/two-factor/"


def shown_codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{5}-[a-z2-7]{3})</code></li>", text(response))


def stored(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_the_page_is_linked_from_the_account_area_and_asks_for_an_app_code(world, as_user):
    client = as_user(world.alice)

    home = client.get("/")
    page = client.get(PAGE)

    assert f'href="{PAGE}"' in text(home)
    assert "Two-factor: new recovery codes" in text(home)
    assert page.status_code == 200
    assert 'for="id_code"' in text(page)
    assert "no-store" in page["Cache-Control"]


def test_a_current_app_code_gives_ten_new_codes_once_and_the_old_ones_stop(world, as_user, caplog):
    client = as_user(world.alice)
    device = confirmed_device(world.alice)
    client.post(PAGE, {"code": current_code(device)})
    old = stored(world.alice)
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second step may be used once more in this test
    device.save()
    caplog.clear()

    with caplog.at_level(logging.INFO):
        response = client.post(PAGE, {"code": current_code(device)})

    codes = shown_codes(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert len(set(codes)) == RECOVERY_CODES
    assert stored(world.alice) == {_stored_form(c) for c in codes}
    assert not old & stored(world.alice)
    assert "Your old recovery codes no longer work" in text(response)
    records = [r for r in caplog.records if r.name == "alliance.security"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert f"user id={world.alice.pk}" in message
    assert "username=alice" in message
    assert not any(c in message or c.replace("-", "") in message for c in codes)
    # Shown once: opening the page again shows the form, not the codes.
    assert shown_codes(client.get(PAGE)) == []


def test_the_old_codes_no_longer_sign_in_and_a_new_one_does(world, as_user, client, frozen_clock):
    signed_in = as_user(world.alice)
    device = confirmed_device(world.alice)
    first = shown_codes(signed_in.post(PAGE, {"code": current_code(device)}))
    frozen_clock.shift(dt.timedelta(seconds=31))
    second = shown_codes(signed_in.post(PAGE, {"code": current_code(device)}))
    signed_in.post("/logout/")
    assert client.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302

    old = client.post(VERIFY, {"code": first[0], "next": "/"})
    frozen_clock.shift(dt.timedelta(seconds=5))
    new = client.post(VERIFY, {"code": second[0], "next": "/"})

    assert old.status_code == 400
    assert new.status_code == 302


def test_a_wrong_code_is_refused_clearly_then_throttled_and_nothing_changes(
    world, as_user, frozen_clock
):
    client = as_user(world.alice)
    device = confirmed_device(world.alice)
    first = client.post(PAGE, {"code": current_code(device)})
    before = stored(world.alice)
    frozen_clock.shift(dt.timedelta(seconds=31))

    wrong = client.post(PAGE, {"code": "000000" if current_code(device) != "000000" else "111111"})
    right_too_soon = client.post(PAGE, {"code": current_code(device)})

    assert first.status_code == 200
    assert wrong.status_code == 400
    assert "That code did not match" in text(wrong)
    assert shown_codes(wrong) == []
    assert right_too_soon.status_code == 400
    assert "Too many wrong codes" in text(right_too_soon)
    assert stored(world.alice) == before
    frozen_clock.shift(dt.timedelta(seconds=31))
    assert len(shown_codes(client.post(PAGE, {"code": current_code(device)}))) == RECOVERY_CODES


def test_a_recovery_code_is_not_accepted_to_make_new_ones(world, as_user):
    client = as_user(world.alice)
    device = confirmed_device(world.alice)
    codes = shown_codes(client.post(PAGE, {"code": current_code(device)}))
    before = stored(world.alice)

    response = client.post(PAGE, {"code": codes[0]})

    assert response.status_code == 400
    assert "A recovery code is not accepted here" in text(response)
    assert stored(world.alice) == before


def test_a_password_only_session_is_sent_to_the_second_factor_first(world, client):
    confirmed_device(world.alice)
    client.post("/login/", {"username": "alice", "password": PASSWORD})

    response = client.post(PAGE, {"code": current_code(confirmed_device(world.alice))})

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not StaticToken.objects.filter(device__user=world.alice).exists()
