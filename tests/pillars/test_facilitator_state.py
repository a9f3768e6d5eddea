"""A facilitator rates his own calm, threat and connection; he and his supervisor read it."""

from __future__ import annotations

from alliance.practice.models import FacilitatorState, Supervision
from tests.factories import World
from tests.web.helpers import text


def state(session_id: int, moment: str = "before", **values: object) -> dict[str, object]:
    return {"session": session_id, "moment": moment, "calm": 7, "threat": 2, "connection": 8} | (
        values
    )


def test_he_rates_his_own_session_and_a_second_entry_corrects_it(world: World, as_user) -> None:
    client = as_user(world.alice)
    session = world.sessions_a[-2]
    assert client.post("/self-practice/state/", state(session.pk)).status_code == 302
    client.post("/self-practice/state/", state(session.pk, calm=4))
    stored = FacilitatorState.objects.get()
    assert (stored.facilitator, stored.session, stored.moment) == (world.alice, session, "before")
    assert (stored.calm, stored.threat, stored.connection) == (4, 2, 8)
    body = text(client.get("/self-practice/"))
    assert "4 / 2 / 8" in body
    assert "not a performance measure" in body


def test_a_bad_value_is_refused_naming_the_field(world: World, as_user) -> None:
    response = as_user(world.alice).post(
        "/self-practice/state/", state(world.sessions_a[-2].pk, threat=11), follow=True
    )
    assert "threat: Ensure this value is less than or equal to 10" in text(response)
    assert not FacilitatorState.objects.exists()


def test_he_cannot_rate_a_session_he_does_not_run(world: World, as_user) -> None:
    response = as_user(world.charlie).post("/self-practice/state/", state(world.sessions_a[-2].pk))
    assert response.status_code == 404
    assert not FacilitatorState.objects.exists()


def test_only_he_and_his_supervisor_read_it(world: World, as_user) -> None:
    as_user(world.alice).post("/self-practice/state/", state(world.sessions_a[-2].pk, calm=3))
    assert "3 / 2 / 8" not in text(as_user(world.bob).get("/self-practice/"))
    assert "3 / 2 / 8" not in text(as_user(world.fred).get("/self-practice/"))
    assert "3 / 2 / 8" not in text(as_user(world.mona).get("/self-practice/"))
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    assert "3 / 2 / 8" in text(as_user(world.bob).get("/self-practice/"))
