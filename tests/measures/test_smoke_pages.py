"""Every staff page with a measures panel renders for the personas who may see it."""

from __future__ import annotations

from tests.factories import World


def test_pages_render(world: World, as_user, group_a_present) -> None:
    client = as_user(world.alice)
    assert client.get("/").status_code == 200
    assert client.get(f"/sessions/{world.todays_session_a.pk}/").status_code == 200
    assert client.get(f"/participants/{world.good.participant_id}/").status_code == 200
    assert client.get(f"/groups/{world.group_a.pk}/checkouts/").status_code == 200
    assert client.get(f"/programs/{world.program.pk}/measures/").status_code == 200
    r = client.get(f"/enrollments/{world.good.pk}/measures/paper/?instrument=scs_sf")
    assert r.status_code == 200
