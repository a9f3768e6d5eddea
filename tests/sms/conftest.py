"""The web personas for the text-message tests, and the in-memory SMS backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alliance.sms.backends import locmem
from tests.web import conftest as web

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
world = web.world
as_user = web.as_user


@pytest.fixture(autouse=True)
def outbox(settings) -> Iterator[list[locmem.Text]]:
    settings.SMS_BACKEND = "locmem"
    locmem.outbox.clear()
    locmem.failing_numbers.clear()
    yield locmem.outbox
    locmem.outbox.clear()
    locmem.failing_numbers.clear()
