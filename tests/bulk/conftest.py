"""Fixtures for the bulk write paths: the web personas' world (see tests/web/conftest.py)."""

from __future__ import annotations

from tests.web import conftest as web

_fast_passwords = web._fast_passwords
frozen_clock = web.frozen_clock
world = web.world
