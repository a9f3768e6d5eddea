"""Signing in to his practice with a practice code and PIN instead of his phone link.

RIV-101 (``world.good``, Alice's group A) gets a code and PIN from Alice; RIV-102
(``world.at_limit``, same group) has his own. Charlie facilitates elsewhere and must not set
either. Every step goes through HTTP, as the man's browser would.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.test import Client

from alliance.organizations.participant_tokens import MAX_FAILURES as ADDRESS_LIMIT
from alliance.pin_hash import check_pin
from alliance.practice.models import (
    AccountabilityLog,
    Assignment,
    PinAttempt,
    PracticeLog,
    PracticePin,
    PracticeSession,
    Via,
)
from alliance.practice.phone import PRACTICE_COOKIE
from alliance.practice.pins import MAX_WRONG_PINS, REFUSED
from tests.practice.test_accountability import ACCOUNT
from tests.practice.test_homework import LOG, _assign_group

SIGN_IN = "/practice/sign-in/"


def _set_pin(world, as_user, enrollment=None, user=None):
    """Alice (or ``user``) sets his code and PIN; returns the response and (code, PIN)."""
    enrollment = enrollment or world.good
    response = as_user(user or world.alice).post(
        f"/enrollments/{enrollment.pk}/practice-pin/", {"action": "reset"}
    )
    body = response.content.decode()
    code = re.search(r'id="practice-code">([^<]+)<', body)
    pin = re.search(r'id="practice-pin">([^<]+)<', body)
    return response, (code.group(1), pin.group(1)) if code and pin else None


def _man(address: str = "10.1.0.1") -> Client:
    return Client(REMOTE_ADDR=address)


def _sign_in(client: Client, code: str, pin: str):
    return client.post(SIGN_IN, {"code": code, "pin": pin})


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def test_a_facilitator_sets_his_code_and_pin_shown_once_and_stored_only_hashed(
    world, as_user
) -> None:
    response, secrets = _set_pin(world, as_user)

    assert response.status_code == 200
    assert secrets is not None
    code, pin = secrets
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert re.fullmatch(r"\d{6}", pin)
    assert "no-store" in response["Cache-Control"]
    row = PracticePin.objects.get(enrollment=world.good)
    assert row.enabled
    assert row.issued_by == world.alice
    assert code.replace("-", "") not in row.code_hash
    assert pin not in row.pin_hash
    assert row.pin_hash.startswith("hmac-sha256$")
    assert check_pin(pin, row.pin_hash).ok
    # Shown once: his practice page says code sign-in is on, but not the code or the PIN.
    page = as_user(world.alice).get(f"/participants/{world.good.participant_id}/practice/")
    assert "Code sign-in is on" in page.content.decode()
    assert code not in page.content.decode()
    assert pin not in page.content.decode()


def test_only_staff_who_see_him_can_set_or_turn_off_his_pin(world, as_user) -> None:
    for user in (world.charlie, world.petra):
        for action in ("reset", "disable"):
            response = as_user(user).post(
                f"/enrollments/{world.good.pk}/practice-pin/", {"action": action}
            )
            assert response.status_code == 404
    assert not PracticePin.objects.exists()
    assert _man().post(f"/enrollments/{world.good.pk}/practice-pin/").status_code == 302


def test_he_signs_in_and_his_practice_pages_open_exactly_as_from_his_link(world, as_user) -> None:
    _assign_group(world, as_user)
    mine = Assignment.objects.get()  # group A's homework, his through his group
    as_user(world.charlie).post(
        f"/enrollments/{world.man_b.pk}/homework/",
        {"practice": mine.practice_id, "due_on": "2025-03-17"},
    )
    theirs = Assignment.objects.get(enrollment=world.man_b)
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()

    signed_in = _sign_in(man, code.lower(), pin)  # case and the dash do not matter

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/practice/"
    cookie = man.cookies[PRACTICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    home = man.get("/practice/")
    assert home.status_code == 200
    assert "Steady" in home.content.decode()
    assert "Sign out" in home.content.decode()
    assert f"/practice/do/{mine.pk}/" in home.content.decode()
    assert man.post(f"/practice/do/{mine.pk}/", {**LOG, "key": "k1"}).status_code == 200
    assert man.post("/practice/account/", {**ACCOUNT, "key": "a1"}).status_code == 200
    log = PracticeLog.objects.get()
    assert (log.enrollment, log.via) == (world.good, Via.SIGN_IN)
    assert AccountabilityLog.objects.get().enrollment == world.good
    # Only his: another man's homework answers 404, as for a link.
    assert man.get(f"/practice/do/{theirs.pk}/").status_code == 404
    assert man.post(f"/practice/do/{theirs.pk}/", {**LOG, "key": "x"}).status_code == 404
    assert PracticeLog.objects.count() == 1
    # Nothing of the staff side opens with his practice session.
    assert man.get(f"/participants/{world.good.participant_id}/practice/").status_code == 302


def test_his_reminder_switch_works_through_his_session(world, as_user) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, code, pin)

    response = man.post("/practice/reminders/", {"want": "no"})

    assert response.status_code == 302
    assert response["Location"] == "/practice/"
    from alliance.practice.models import ReminderSettings

    assert ReminderSettings.objects.get(enrollment=world.good).opted_out


@pytest.mark.parametrize("which", ["wrong PIN", "unknown code", "sign-in off"])
def test_every_refusal_gives_the_same_answer_and_no_session(world, as_user, which) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    if which == "sign-in off":
        as_user(world.alice).post(
            f"/enrollments/{world.good.pk}/practice-pin/", {"action": "disable"}
        )
    typed = {
        "wrong PIN": (code, _wrong(pin)),
        "unknown code": ("ZZZZ-ZZZZ", pin),
        "sign-in off": (code, pin),
    }[which]
    man = _man()

    response = _sign_in(man, *typed)

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert PRACTICE_COOKIE not in man.cookies
    assert not PracticeSession.objects.exists()
    assert man.get("/practice/").status_code == 410


def test_an_empty_form_is_refused_with_a_clear_message_and_counts_nothing(world) -> None:
    man = _man()
    response = man.post(SIGN_IN, {"code": "", "pin": ""})
    assert response.status_code == 200
    assert "Type your practice code and your PIN." in response.content.decode()
    assert not PinAttempt.objects.exists()


def test_without_a_session_the_pages_say_to_sign_in(world) -> None:
    man = _man()
    for path in ("/practice/", "/practice/account/", "/practice/do/1/"):
        response = man.get(path)
        assert response.status_code == 410
        assert SIGN_IN in response.content.decode()
    man.cookies[PRACTICE_COOKIE] = "forged"
    assert man.get("/practice/").status_code == 410


def test_five_wrong_pins_pause_his_code_only_and_only_for_fifteen_minutes(
    world, as_user, frozen_clock
) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    _, (other_code, other_pin) = _set_pin(world, as_user, enrollment=world.at_limit)
    guesser = _man("10.1.0.9")
    for _ in range(MAX_WRONG_PINS):
        assert REFUSED in _sign_in(guesser, code, _wrong(pin)).content.decode()

    # Paused: even his right PIN, from his own phone, gets the same answer; nothing is checked.
    him = _man("10.1.0.2")
    assert REFUSED in _sign_in(him, code, pin).content.decode()
    assert PinAttempt.objects.count() == MAX_WRONG_PINS
    # Another man's code is not paused.
    assert _sign_in(_man("10.1.0.3"), other_code, other_pin).status_code == 302
    frozen_clock.shift(dt.timedelta(minutes=15, seconds=1))
    assert _sign_in(him, code, pin).status_code == 302


def test_unknown_codes_are_limited_per_address_and_other_addresses_still_sign_in(
    world, as_user
) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    guesser = _man("10.1.0.9")
    for k in range(ADDRESS_LIMIT):
        assert _sign_in(guesser, f"AAAA-AA{k:02d}", "123456").status_code == 200

    refused = _sign_in(guesser, code, pin)

    assert refused.status_code == 429
    assert PRACTICE_COOKIE not in guesser.cookies
    assert _sign_in(_man("10.1.0.2"), code, pin).status_code == 302


def test_the_session_ends_after_thirty_idle_minutes(world, as_user, frozen_clock) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, code, pin)
    frozen_clock.shift(dt.timedelta(minutes=29))
    assert man.get("/practice/").status_code == 200  # using it keeps it open
    frozen_clock.shift(dt.timedelta(minutes=29))
    assert man.get("/practice/").status_code == 200

    frozen_clock.shift(dt.timedelta(minutes=30))

    response = man.get("/practice/")
    assert response.status_code == 410
    assert "Sign in again" in response.content.decode()
    assert PracticeSession.objects.get().ended_at is not None


def test_the_session_ends_a_day_after_sign_in_even_in_use(world, as_user, frozen_clock) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, code, pin)
    for _ in range(24 * 60 // 25):  # a page every 25 minutes for 23 h 55 min
        frozen_clock.shift(dt.timedelta(minutes=25))
        assert man.get("/practice/").status_code == 200

    frozen_clock.shift(dt.timedelta(minutes=25))

    assert man.get("/practice/").status_code == 410


def test_signing_out_ends_the_session_even_for_a_copied_cookie(world, as_user) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, code, pin)
    key = man.cookies[PRACTICE_COOKIE].value

    response = man.post("/practice/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert man.cookies[PRACTICE_COOKIE].value == ""
    assert man.get("/practice/").status_code == 410
    replay = _man("10.1.0.4")
    replay.cookies[PRACTICE_COOKIE] = key
    assert replay.get("/practice/").status_code == 410
    assert PracticeSession.objects.get().ended_at is not None


def test_turning_code_sign_in_off_ends_his_session_but_not_his_phone_link(
    world, as_user, phone_token
) -> None:
    token = phone_token()
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, code, pin)

    response = as_user(world.alice).post(
        f"/enrollments/{world.good.pk}/practice-pin/", {"action": "disable"}
    )

    assert response.status_code == 302
    assert not PracticePin.objects.get(enrollment=world.good).enabled
    assert man.get("/practice/").status_code == 410
    assert REFUSED in _sign_in(_man("10.1.0.5"), code, pin).content.decode()
    assert _man("10.1.0.6").get(f"/p/{token}/").status_code == 200


def test_a_new_code_and_pin_replace_the_old_ones_and_end_his_sessions(world, as_user) -> None:
    _, (old_code, old_pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, old_code, old_pin)

    _, (code, pin) = _set_pin(world, as_user)

    assert man.get("/practice/").status_code == 410
    assert REFUSED in _sign_in(_man("10.1.0.7"), old_code, old_pin).content.decode()
    assert _sign_in(_man("10.1.0.8"), code, pin).status_code == 302
    assert PracticePin.objects.count() == 1


def test_the_sign_in_form_is_refused_without_its_csrf_token(world, as_user) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.1.0.1")

    assert browser.post(SIGN_IN, {"code": code, "pin": pin}).status_code == 403
    page = browser.get(SIGN_IN)
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert not PracticeSession.objects.exists()


def test_the_sign_in_and_session_pages_are_sent_no_store(world, as_user) -> None:
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    responses = [man.get(SIGN_IN), _sign_in(man, code, _wrong(pin)), _sign_in(man, code, pin)]
    responses += [man.get("/practice/"), man.get("/practice/account/")]
    responses += [man.post("/practice/sign-out/"), man.get("/practice/")]
    for response in responses:
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


def test_his_code_and_pin_never_reach_a_log(world, as_user, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    _, (code, pin) = _set_pin(world, as_user)
    man = _man()
    _sign_in(man, code, _wrong(pin))
    _sign_in(man, "ZZZZ-ZZZZ", pin)
    _sign_in(man, code, pin)
    man.get("/practice/")
    man.post("/practice/sign-out/")

    for secret in (code, code.replace("-", ""), pin, _wrong(pin)):
        assert secret not in caplog.text


def test_his_code_and_pin_are_hidden_from_error_reports(world) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    response = _man().post(SIGN_IN, {"code": "ABCD-EFGH", "pin": "123456"})

    hidden = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert hidden["code"] != "ABCD-EFGH"
    assert hidden["pin"] != "123456"
