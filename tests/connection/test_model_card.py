"""The model card labels the isolation weight an assumption until a refit has learned it."""

from __future__ import annotations

import html
import re

from alliance.core.engagement import cold_start_model
from alliance.core.engagement.model import MIN_ISOLATION_EVENTS, MIN_ISOLATION_ROWS
from alliance.engagement.models import DropoutModel, ModelSource
from tests.factories import World


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def store(world: World, *, rows: int, events: int) -> None:
    parameters = cold_start_model().to_dict() | {
        "source": "refit",
        "metrics": {"isolation_observed": {"rows": rows, "events": events}},
    }
    DropoutModel.objects.create(
        organization=world.riverside,
        version=1,
        source=ModelSource.REFIT,
        parameters=parameters,
        metrics={},
        is_active=True,
        decision="Adopted.",
        created_at="2025-03-10T09:00:00Z",
    )


def test_the_cold_start_isolation_weight_is_an_assumption(world: World, as_user) -> None:
    body = text(as_user(world.bob).get("/engagement/model/"))
    assert (
        "Isolation: loneliness and supportive contacts (per SD)" in body
    )  # the title, never the column
    assert "Assumption until fitted" in body


def test_a_refit_that_saw_enough_isolation_is_labelled_fitted(world: World, as_user) -> None:
    store(world, rows=MIN_ISOLATION_ROWS, events=MIN_ISOLATION_EVENTS)
    body = text(as_user(world.bob).get("/engagement/model/"))
    assert "Fitted on this program's history" in body
    assert "Assumption until fitted" not in body
