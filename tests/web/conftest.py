"""Personas for the HTTP tests.

Riverside has two sites. Alice and Fred facilitate group A at Riverside North; Charlie
facilitates group B at Riverside South and must see nothing of A. Bob supervises North, Mona
manages its programs, Olga administers the whole organization, Eve evaluates (aggregate
figures only), Petra is a partner-safety worker and Ines the intake coordinator of North
(referrals and the identity vault, nothing therapeutic). Oscar administers another organization
and must see nothing of Riverside.

In group A, RIV-101 is in good standing, RIV-102 has used both unexcused absences (at the
limit), RIV-103 has three (in breach) and RIV-104 joined five weeks after the start. RIV-105
is at intake, not yet in a group. RIV-301 is in group C (same program, nobody here runs it)
and RIV-201 in group B.

The clock is frozen at 09:45 on Monday 10 March 2025 in Auckland, which is still Sunday
9 March in UTC: group A's session today started at 09:30 local, 20:30 UTC the day before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from alliance.organizations.models import Authenticator
from tests.factories import World, build_world

TODAY = dt.date(2025, 3, 10)
NOW = dt.datetime(2025, 3, 9, 20, 45, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # Argon2 is deliberately slow; the tests hash a dozen passwords per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_without_collectstatic(settings, tmp_path) -> None:
    # The manifest storage needs `collectstatic` to have run (``alliance serve`` does it);
    # tests render pages straight from the source tree instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def frozen_clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, frozen_clock) -> World:
    return build_world(TODAY)


def confirmed_device(user) -> Authenticator:
    """His confirmed authenticator, created if he has none."""
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def login_verified(client: Client, user) -> Client:
    """Log ``client`` in as ``user`` with a session that passed two-factor authentication.

    The user gets a confirmed authenticator (django-otp's TOTP logic) if he has none, and the
    session carries it the way ``django_otp.login`` leaves it after a real code was entered.
    """
    device = confirmed_device(user)
    # Each person signs in as in his own browser: a message queued for the previous user (by a
    # POST whose redirect the test did not follow) is not carried to the next one's page.
    client.cookies.pop("messages", None)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def as_user(client: Client):
    """``as_user(world.alice)`` returns a client logged in as Alice, second factor passed."""

    def login(user) -> Client:
        return login_verified(client, user)

    return login
