"""The kiosk's list and PIN page as a shared tablet needs them (findings D13, D31)."""

from __future__ import annotations

import re

from alliance.core.vocabulary import AttendanceMark
from alliance.measures.administration.selectors import _distinct_labels
from alliance.participants.models import Participant
from tests.factories import World, mark
from tests.measures.test_kiosk import open_kiosk, sign_in
from tests.web.helpers import text


def test_the_pin_box_is_masked_numeric_and_not_remembered(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    page = text(anonymous.get(f"/kiosk/{token}/man/{world.good.pk}/"))
    box = re.search(r'<input[^>]*name="pin"[^>]*>', page)
    assert box is not None
    assert 'type="password"' in box.group(0)
    assert 'inputmode="numeric"' in box.group(0)
    assert 'autocomplete="off"' in box.group(0)
    # A wrong PIN is not written back into the box for the next person to see.
    wrong = f"{(int(pins[world.good.pk]) + 1) % 10000:04d}"
    again = text(sign_in(anonymous, token, world.good.pk, wrong))
    assert wrong not in again


def test_wrong_pins_lock_only_that_mans_sign_in(world: World, as_user, anonymous, pins) -> None:
    token = open_kiosk(as_user(world.alice), world)
    wrong = f"{(int(pins[world.good.pk]) + 1) % 10000:04d}"
    for _ in range(5):
        sign_in(anonymous, token, world.good.pk, wrong)
    locked = sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    assert locked.status_code == 429
    assert "Too many wrong PINs for this name" in text(locked)
    # The next man in the group still signs in.
    assert sign_in(anonymous, token, world.at_limit.pk, pins[world.at_limit.pk]).status_code == 302


def test_men_marked_absent_or_excused_are_not_on_the_kiosk(
    world: World, as_user, anonymous, pins
) -> None:
    mark(world.todays_session_a, world.at_limit, AttendanceMark.UNEXCUSED, actor=world.alice)
    mark(world.todays_session_a, world.breach, AttendanceMark.EXCUSED, actor=world.alice)
    mark(world.todays_session_a, world.good, AttendanceMark.PRESENT, actor=world.alice)
    token = open_kiosk(as_user(world.alice), world)
    body = text(anonymous.get(f"/kiosk/{token}/"))
    assert ">AB</a>" in body
    assert ">CD</a>" not in body
    assert ">EF</a>" not in body
    # And his PIN page is not reachable either.
    assert anonymous.get(f"/kiosk/{token}/man/{world.at_limit.pk}/").status_code == 404


def test_two_men_with_the_same_initials_are_told_apart_by_their_codes_last_digits(
    world: World, as_user, anonymous, pins
) -> None:
    Participant.objects.filter(code="RIV-102").update(initials="AB")
    token = open_kiosk(as_user(world.alice), world)
    body = text(anonymous.get(f"/kiosk/{token}/"))
    assert ">AB 01</a>" in body
    assert ">AB 02</a>" in body
    assert ">EF</a>" in body  # a man with his own initials gets no digits
    assert "RIV-" not in body


def test_labels_take_as_many_digits_as_needed() -> None:
    men = [(1, "JD", "NS-0169"), (2, "JD", "NS-0269"), (3, "KL", "NS-0369")]
    assert _distinct_labels(men) == ["JD 169", "JD 269", "KL"]
