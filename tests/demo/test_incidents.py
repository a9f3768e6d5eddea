"""The demo has safety incidents in every state, on the handlers' home pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from alliance.demo.incidents import add_incidents
from alliance.demo.loader import build_demo
from alliance.incidents.models import DutyToWarnProcedure, Incident, IncidentStatus
from alliance.outcomes.models import OutcomeEvent

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_incidents_open_overdue_and_closed(demo: dict[str, int], as_user) -> None:
    assert (demo["incidents_open"], demo["incidents_closed"]) == (3, 2)
    assert DutyToWarnProcedure.objects.filter(program__isnull=True).count() == 1
    closed = Incident.objects.filter(status=IncidentStatus.CLOSED)
    assert [i.kind for i in closed.filter(court_reportable=True)] == ["order_violation"]
    reportable = closed.get(court_reportable=True)
    assert OutcomeEvent.objects.filter(
        participant_id=reportable.participant_id,
        kind="ipv_police_report",
        occurred_on=reportable.offence_on,
    ).exists()
    page = as_user(User.objects.get(username="safety")).get("/safety/").content.decode()
    assert "Safety incidents (3 open" in page
    assert "overdue" in page


def test_add_incidents_refuses_to_run_twice(demo: dict[str, int]) -> None:
    with pytest.raises(RuntimeError, match="already has incidents"):
        add_incidents(seed=7, today=TODAY)
