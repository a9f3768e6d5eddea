"""Wrong PINs typed at once on many tablets' worth of threads are checked at most up to the
limit (L1): counting the failures and writing the attempt are one step per kiosk.

The PIN check is slowed down (as Argon2 is in production) so that, without that step, every
thread would count the failures before any had written its attempt.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from alliance.measures.administration import tokens
from alliance.measures.administration.tokens import (
    KIOSK_MAX_FAILURES,
    KioskLocked,
    WrongPin,
    issue_kiosk_pin,
    kiosk_sign_in,
    open_kiosk,
)
from alliance.measures.models import KioskAttempt
from tests.factories import build_world
from tests.reliability.conftest import TODAY
from tests.reliability.test_concurrent_writers import in_threads

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 12


def test_parallel_wrong_pins_check_at_most_the_limit(frozen_clock, monkeypatch) -> None:
    world = build_world(TODAY)
    kiosk, _ = open_kiosk(actor=world.alice, session=world.todays_session_a)  # type: ignore[arg-type]
    right = issue_kiosk_pin(actor=world.alice, enrollment=world.good)  # type: ignore[arg-type]
    wrong = f"{(int(right) + 1) % 10000:04d}"
    real_check = tokens.check_pin

    def slow_check(*args: Any) -> Any:
        time.sleep(0.1)
        return real_check(*args)

    monkeypatch.setattr(tokens, "check_pin", slow_check)
    start = threading.Barrier(PARALLEL)

    def try_wrong_pin() -> Any:
        start.wait(30)
        return kiosk_sign_in(kiosk=kiosk, enrollment=world.good, pin=wrong)

    results = in_threads(*[try_wrong_pin] * PARALLEL)

    assert sum(isinstance(r, WrongPin) for r in results) == KIOSK_MAX_FAILURES
    assert sum(isinstance(r, KioskLocked) for r in results) == PARALLEL - KIOSK_MAX_FAILURES
    assert KioskAttempt.objects.filter(kiosk=kiosk).count() == KIOSK_MAX_FAILURES
