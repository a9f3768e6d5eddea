"""Fixtures for the measures tests: the web personas (see tests/web/conftest.py) plus
initials and kiosk PINs for the men of group A, and helpers to fill in forms.

Group A's session today (Monday 10 March 2025, 09:30 Auckland) is ``world.todays_session_a``;
the clock is frozen at 09:45 that morning.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alliance.measures.administration.tokens import issue_kiosk_pin
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.participants.models import Participant
from tests.factories import P, World, mark
from tests.web import conftest as web

# The web personas and their autouse settings, shared with tests/web.
_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
world = web.world
as_user = web.as_user

CHECKOUT_ITEMS = [item.id for item in definition_for(CHECKOUT).items]
RATING_ITEMS = ["rating_participation", "rating_openness", "rating_alliance"]


def answers(values: dict[str, object], key: str = "k" * 32) -> dict[str, object]:
    """A posted form: ``item_<id>`` fields plus the idempotency key."""
    return {"key": key, **{f"item_{k}": v for k, v in values.items()}}


def checkout(*values: object, key: str = "k" * 32) -> dict[str, object]:
    return answers(dict(zip(CHECKOUT_ITEMS, values, strict=False)), key=key)


def token_in(html: str, prefix: str) -> str:
    found = re.search(rf"{prefix}([A-Za-z0-9_\-]+)/", html)
    assert found, f"no {prefix} link in the page"
    return found.group(1)


@pytest.fixture
def group_a_present(world: World) -> World:
    """Everyone in group A marked present at today's session."""
    for enrollment in (world.good, world.at_limit, world.breach, world.late_joiner):
        mark(world.todays_session_a, enrollment, P, actor=world.alice)
    return world


@pytest.fixture
def pins(world: World) -> dict[int, str]:
    """Initials and a kiosk PIN for every man in group A (enrollment id → PIN)."""
    initials = {"RIV-101": "AB", "RIV-102": "CD", "RIV-103": "EF", "RIV-104": "GH"}
    for code, letters in initials.items():
        Participant.objects.filter(code=code).update(initials=letters)
    return {
        e.pk: issue_kiosk_pin(actor=world.alice, enrollment=e)  # type: ignore[arg-type]
        for e in (world.good, world.at_limit, world.breach, world.late_joiner)
    }


@pytest.fixture
def anonymous() -> Client:
    """A second browser: the group-room tablet or a man's phone, never signed in."""
    return Client()
