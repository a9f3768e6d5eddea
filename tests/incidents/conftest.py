"""The web personas, with e-mail addresses for the handlers, and a helper that flags.

Alice flags; Petra (partner safety) and Bob (supervisor of Riverside North) handle; Fred
facilitates the same group as Alice and must not read her flag; Charlie (South) must not even
be able to flag about Alice's men.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import (  # noqa: F401
    _fast_passwords,
    _static_without_collectstatic,
    as_user,
    frozen_clock,
    world,
)

ACCOUNT = "INCIDENT-SENTINEL he said he would find her at the shelter"


@pytest.fixture
def handlers(world):  # noqa: F811
    for user, address in ((world.petra, "petra@example.org"), (world.bob, "bob@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    # A facilitator with an address must never get the e-mail.
    world.fred.email = "fred@example.org"
    world.fred.save(update_fields=["email"])
    return world


def flag_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "threat",
        "occurred_at": "2025-03-10T09:40",
        "account": ACCOUNT,
        "immediate_risk": "no",
    }
    data.update(overrides)
    return data
