"""The demo's men have invented identities in the vault, sealed like partner records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection

from alliance.demo.identity import LAST_NAMES, add_identities
from alliance.demo.loader import build_demo
from alliance.identity.models import ParticipantIdentity
from alliance.participants.models import Participant

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_every_demo_man_has_a_plainly_invented_identity(demo: dict[str, int]) -> None:
    assert demo["identities"] == Participant.objects.count() == 40
    for identity in ParticipantIdentity.objects.all():
        assert identity.legal_last_name in LAST_NAMES
        assert identity.docket_number.startswith("DEMO-CR-")
        assert identity.email.endswith("@example.org")
        assert identity.birth_date is not None
        assert 20 <= (TODAY - identity.birth_date).days // 365 <= 60
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_last_name, date_of_birth FROM identity_participantidentity")
        assert all(a.startswith("gAAAAA") and b.startswith("gAAAAA") for a, b in cursor)


def test_the_demo_intake_coordinator_opens_an_identity(demo: dict[str, int], as_user) -> None:
    man = Participant.objects.order_by("pk").first()
    response = as_user(User.objects.get(username="intake")).get(f"/participants/{man.pk}/identity/")

    assert response.status_code == 200
    assert ParticipantIdentity.objects.get(participant=man).legal_name in response.content.decode()


def test_add_identities_refuses_to_run_twice(demo: dict[str, int]) -> None:
    with pytest.raises(RuntimeError, match="already has identities"):
        add_identities(seed=7, today=TODAY)
