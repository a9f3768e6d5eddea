"""Wrong practice PINs sent at once for one man's code are checked at most up to his limit:
counting his wrong PINs and writing the attempt are one step under a lock on his row.

The PIN check is slowed down (as Argon2 is in production) so that, without that step, every
thread would count the failures before any had written its attempt.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.utils import timezone

from alliance.practice import pins
from alliance.practice.models import PinAttempt, PracticeSession
from alliance.practice.pins import (
    MAX_WRONG_PINS,
    SignInRefused,
    set_practice_pin,
    sign_in_with_code,
)
from tests.factories import build_world
from tests.reliability.conftest import TODAY
from tests.reliability.test_concurrent_writers import in_threads

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 12


def test_parallel_wrong_pins_for_one_code_check_at_most_his_limit(
    frozen_clock, monkeypatch
) -> None:
    world = build_world(TODAY)
    now = timezone.now()
    _, code, right = set_practice_pin(actor=world.alice, enrollment=world.good, now=now)  # type: ignore[arg-type]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    checked: list[str] = []
    real_check = pins.check_pin

    def slow_check(*args: Any) -> Any:
        checked.append("x")
        time.sleep(0.1)
        return real_check(*args)

    monkeypatch.setattr(pins, "check_pin", slow_check)
    start = threading.Barrier(PARALLEL)

    def try_wrong_pin(k: int) -> Any:
        start.wait(30)
        # Each from its own address: only his per-man limit can stop them.
        return sign_in_with_code(code=code, pin=wrong, client=f"10.9.0.{k}", now=now)

    results = in_threads(*[lambda k=k: try_wrong_pin(k) for k in range(PARALLEL)])

    assert all(isinstance(r, SignInRefused) for r in results)
    assert len(checked) == MAX_WRONG_PINS
    assert PinAttempt.objects.count() == MAX_WRONG_PINS
    # And the right PIN, now, is refused too: his code is paused, not opened.
    with pytest.raises(SignInRefused):
        sign_in_with_code(code=code, pin=right, client="10.9.1.1", now=now)
    assert not PracticeSession.objects.exists()
