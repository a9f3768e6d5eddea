"""Kiosk and practice PINs: a keyed HMAC (alliance/pin_hash.py), old Argon2 PINs still work.

Alice issued RIV-101's kiosk PIN before PINs were HMACs: it was stored as Argon2. He signs in
with it, and from then on it is stored as an HMAC under the configured key.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.utils import timezone

from alliance.measures.administration.tokens import issue_kiosk_pin, kiosk_sign_in, open_kiosk
from alliance.measures.models import KioskPin
from alliance.pin_hash import check_pin, hash_pin
from alliance.practice.models import PracticePin
from alliance.practice.pins import set_practice_pin, sign_in_with_code
from tests.factories import P, mark

pytestmark = pytest.mark.django_db


def test_a_pin_is_stored_as_a_salted_hmac_never_itself() -> None:
    first, second = hash_pin("4821"), hash_pin("4821")
    assert first.startswith("hmac-sha256$")
    assert "4821" not in first
    assert first != second  # a salt per PIN: equal PINs do not look equal
    assert check_pin("4821", first).ok
    assert not check_pin("4822", first).ok


def test_the_key_matters_and_an_older_key_still_verifies_then_moves_to_the_new() -> None:
    with override_settings(ALLIANCE_PIN_KEY="old-key"):
        stored = hash_pin("4821")
    with override_settings(ALLIANCE_PIN_KEY="new-key"):
        assert not check_pin("4821", stored).ok  # a copy without the key opens nothing
    with override_settings(ALLIANCE_PIN_KEY="new-key,old-key"):
        check = check_pin("4821", stored)
        assert check.ok
        assert check.rehashed is not None
        assert check_pin("4821", check.rehashed).rehashed is None  # now under the newest key
    with override_settings(ALLIANCE_PIN_KEY="new-key"):
        assert check_pin("4821", check.rehashed).ok


def test_an_old_argon2_kiosk_pin_signs_in_and_is_rehashed(world, frozen_clock) -> None:
    mark(world.todays_session_a, world.good, P)
    kiosk, _ = open_kiosk(actor=world.alice, session=world.todays_session_a)
    issue_kiosk_pin(actor=world.alice, enrollment=world.good)
    KioskPin.objects.filter(enrollment=world.good).update(pin_hash=make_password("2468"))
    assert kiosk_sign_in(kiosk=kiosk, enrollment=world.good, pin="2468")
    stored = KioskPin.objects.get(enrollment=world.good).pin_hash
    assert stored.startswith("hmac-sha256$")
    assert check_pin("2468", stored).ok


def test_an_old_argon2_practice_pin_signs_in_and_is_rehashed(world, frozen_clock) -> None:
    now = timezone.now()
    _, code, _ = set_practice_pin(actor=world.alice, enrollment=world.good, now=now)
    PracticePin.objects.filter(enrollment=world.good).update(pin_hash=make_password("135790"))
    session, _ = sign_in_with_code(code=code, pin="135790", client="198.51.100.7", now=now)
    assert session.enrollment_id == world.good.pk
    stored = PracticePin.objects.get(enrollment=world.good).pin_hash
    assert stored.startswith("hmac-sha256$")
    assert check_pin("135790", stored).ok
