"""The measures panels on other apps' pages come from ``alliance.measures.panels``, called by
the page's view; a role that sees nothing clinical gets no panel at all."""

from __future__ import annotations

import pytest

from alliance.measures import panels
from alliance.organizations.permissions import membership_of
from tests.factories import World
from tests.web.helpers import text


@pytest.mark.parametrize("persona", ["eve", "petra"])
def test_no_panel_is_built_for_a_role_without_clinical_access(world: World, persona: str) -> None:
    membership = membership_of(getattr(world, persona))
    assert panels.home_alerts(membership) is None
    assert panels.session_measures(membership, world.todays_session_a) is None
    assert panels.participant_measures(membership, world.good.participant) is None
    assert panels.home_alerts(None) is None


def test_each_page_shows_the_panel_its_view_built(world: World, as_user, group_a_present) -> None:
    client = as_user(world.alice)
    assert "Check-out and rating alerts" in text(client.get("/"))
    session = text(client.get(f"/sessions/{world.todays_session_a.pk}/"))
    assert "Check-outs and your ratings" in session
    assert session.count('name="item_rating_alliance"') == 4
    participant = text(client.get(f"/participants/{world.good.participant_id}/?tab=measures"))
    assert "Create a one-time link" in participant
    assert "Releases of therapeutic measures" in participant
