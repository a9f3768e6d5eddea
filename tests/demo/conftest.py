"""Fixtures for the demo tests: a signed-in client (see tests/web/conftest.py) for the pages
the demo's data must render."""

from __future__ import annotations

from tests.web import conftest as web

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
as_user = web.as_user
