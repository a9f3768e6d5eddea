"""Fixtures for the training tests: the web personas (tests/web/conftest.py); the clock is
frozen at 09:45 on Monday 10 March 2025 in Riverside's time zone."""

from __future__ import annotations

from tests.web import conftest as web

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
world = web.world
as_user = web.as_user
