"""Wrong two-factor codes slow down whoever makes them, for a bounded time (L11).

Someone who has Alice's password but not her phone signs in from 203.0.113.66 and types
wrong codes; Alice signs in from her own address, 198.51.100.7. The clock is time-machine's.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from alliance.organizations.models import Authenticator, SecondFactorFailure
from alliance.organizations.twofactor import current_code, enrol_for_demo
from tests.factories import PASSWORD
from tests.web.helpers import text

VERIFY = "/two-factor/"


def signed_in(address: str, username: str = "alice") -> Client:
    client = Client(REMOTE_ADDR=address)
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def wrong_for(device: Authenticator) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def alice_with_codes(world) -> tuple[Authenticator, list[str]]:
    _, codes = enrol_for_demo(world.alice, recovery_codes=3)
    return Authenticator.objects.get(user=world.alice), codes


def test_an_attacker_with_the_password_does_not_hold_back_alices_correct_code(
    world, frozen_clock, settings
):
    device, _ = alice_with_codes(world)
    attacker = signed_in("203.0.113.66")
    for _ in range(12):
        frozen_clock.shift(dt.timedelta(seconds=settings.TWO_FACTOR_THROTTLE_MAX_SECONDS + 1))
        assert attacker.post(VERIFY, {"code": wrong_for(device)}).status_code == 400
    assert "Too many wrong codes" in text(attacker.post(VERIFY, {"code": "123456"}))

    alice = signed_in("198.51.100.7")
    response = alice.post(VERIFY, {"code": current_code(device)})

    assert response.status_code == 302
    assert alice.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_wrong_recovery_codes_from_an_attacker_do_not_refuse_alices_recovery_code(world):
    _, codes = alice_with_codes(world)
    attacker = signed_in("203.0.113.66")
    for guess in ("aaaaa-aaa", "bbbbb-bbb", "ccccc-ccc"):
        attacker.post(VERIFY, {"code": guess})

    alice = signed_in("198.51.100.7")

    assert alice.post(VERIFY, {"code": codes[0]}).status_code == 302


def test_wrong_app_codes_do_not_throttle_a_recovery_code(world):
    device, codes = alice_with_codes(world)
    client = signed_in("198.51.100.7")
    assert client.post(VERIFY, {"code": wrong_for(device)}).status_code == 400
    assert "Too many wrong codes" in text(client.post(VERIFY, {"code": current_code(device)}))

    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302


def test_the_wait_doubles_then_stops_at_the_cap(world, frozen_clock, settings):
    settings.TWO_FACTOR_THROTTLE_MAX_SECONDS = 60
    device, _ = alice_with_codes(world)
    client = signed_in("203.0.113.66")
    waits = []
    for _ in range(9):
        client.post(VERIFY, {"code": wrong_for(device)})
        refused = text(client.post(VERIFY, {"code": wrong_for(device)}))
        waits.append(int(refused.split("Wait ")[1].split(" second")[0]))
        frozen_clock.shift(dt.timedelta(seconds=waits[-1]))

    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    # Right after the capped wait her correct code works, from the same address too.
    assert client.post(VERIFY, {"code": current_code(device)}).status_code == 302
    assert not SecondFactorFailure.objects.filter(kind="app").exists()  # forgotten on success


def test_failures_are_stored_without_the_address_and_guessing_is_logged(
    world, frozen_clock, caplog, settings
):
    settings.TWO_FACTOR_THROTTLE_MAX_SECONDS = 60
    device, _ = alice_with_codes(world)
    attacker = signed_in("203.0.113.66")
    with caplog.at_level(logging.WARNING, logger="alliance.security"):
        for _ in range(20):
            attacker.post(VERIFY, {"code": wrong_for(device)})
            frozen_clock.shift(dt.timedelta(seconds=60))

    stored = SecondFactorFailure.objects.all()
    assert stored.count() == 20
    assert {len(f.client_hash) for f in stored} == {64}
    assert "203.0.113.66" not in str(list(stored.values()))
    assert any("20 wrong codes in the last hour" in r.getMessage() for r in caplog.records)
