"""Fixtures for the practice tests: the web personas (see tests/web/conftest.py)."""

from __future__ import annotations

import re

import pytest

from tests.web import conftest as web

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
world = web.world
as_user = web.as_user


@pytest.fixture
def phone_token(world, as_user):
    """Alice gives RIV-101 a phone link; returns the token from the page she sees."""

    def issue(enrollment=None) -> str:
        enrollment = enrollment or world.good
        response = as_user(world.alice).post(f"/enrollments/{enrollment.pk}/practice-link/")
        assert response.status_code == 200
        match = re.search(r"/p/([^/]+)/", response.content.decode())
        assert match
        return match.group(1)

    return issue
