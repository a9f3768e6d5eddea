"""The web personas, plus partner records full of sentinel strings.

Every partner field holds a distinctive ``SENTINEL-...`` value, so a test can search any page,
export or log line for it: Alice's man RIV-101 has a current partner with an open concern and a
release for every kind of news; RIV-201 (Charlie's group) has a former partner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from alliance.safety import services
from alliance.safety.models import NotificationKind, PartnerRecord, SafetyConcern
from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

SENTINEL = "SENTINEL"


def sentinel_fields(tag: str) -> dict[str, str]:
    return {name: f"{SENTINEL}-{tag}-{name.upper()}" for name in services.PARTNER_FIELDS}


@dataclass
class Partners:
    current: PartnerRecord
    former: PartnerRecord
    concern: SafetyConcern
    values: list[str]


@pytest.fixture
def partners(world) -> Partners:  # noqa: F811
    current = services.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=world.good.participant,
        **sentinel_fields("CUR"),
    )
    former = services.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=world.man_b.participant,
        **sentinel_fields("FORMER"),
    )
    for kind in NotificationKind:
        services.record_release(
            actor=world.petra,
            record=current,
            kind=kind.value,
            signed_on=world.today - dt.timedelta(days=60),
            today=world.today,
        )
    concern = services.raise_concern(
        actor=world.petra,
        record=current,
        level="high",
        raised_on=world.today - dt.timedelta(days=3),
        narrative=f"{SENTINEL}-CONCERN-NARRATIVE",
        today=world.today,
    )
    values = [
        *sentinel_fields("CUR").values(),
        *sentinel_fields("FORMER").values(),
        f"{SENTINEL}-CONCERN-NARRATIVE",
    ]
    return Partners(current=current, former=former, concern=concern, values=values)
