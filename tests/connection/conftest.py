"""Web personas for the connection tests (Riverside, tests/factories.py)."""

from __future__ import annotations

from tests.web import conftest as web

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
world = web.world
as_user = web.as_user
