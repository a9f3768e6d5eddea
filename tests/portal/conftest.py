"""Portal tests use the web personas (Riverside, frozen clock) and one sent document."""

from __future__ import annotations

import pytest

from alliance.reports.documents import Recipient
from alliance.reports.models import SentDocument
from alliance.reports.services import send_enrollment_document
from tests.factories import World
from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)


@pytest.fixture
def document(world: World) -> SentDocument:  # noqa: F811
    """A compliance report about RIV-101 (referred by agency A), produced by Bob."""
    return send_enrollment_document(
        actor=world.bob,  # type: ignore[arg-type]
        enrollment=world.good,
        kind="compliance_report",
        recipient=Recipient(kind="probation", name="", organization="Riverside Probation"),
        today=world.today,
    )
