"""The demo's measures: a rating for every attended session, check-outs most weeks,
SCS-SF at intake and exit, alerts from the same rules as the application."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from alliance.core.instruments import ENGINE_VERSION
from alliance.demo.loader import build_demo
from alliance.demo.measures import add_measures
from alliance.measures.alerts.sweep import sweep_missed_measures
from alliance.measures.models import Administration, Alert, ItemResponse, Score
from alliance.programs.models import Attendance

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    # The demo builder runs ``add_measures`` as one of its steps and reports its counts.
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_measures(demo: dict[str, int]) -> None:
    attended = Attendance.objects.filter(
        mark__in=["present", "late"], session__status="held"
    ).count()
    assert demo["ratings"] == attended
    assert 0.85 * attended < demo["checkouts"] < attended
    assert Administration.objects.filter(instrument_id="scs_sf", occasion="intake").exists()
    assert ItemResponse.objects.filter(
        administration__instrument_id="alliance_checkout"
    ).count() == (4 * demo["checkouts"])
    assert set(Score.objects.values_list("engine_version", flat=True)) == {ENGINE_VERSION}
    assert Alert.objects.filter(kind="missed_measure").count() == attended - demo["checkouts"]
    assert Alert.objects.filter(acknowledged_at__isnull=True).exists()


def test_add_measures_refuses_to_run_twice(demo: dict[str, int]) -> None:
    with pytest.raises(RuntimeError, match="already has measures"):
        add_measures(7, TODAY)


def test_the_demo_keeps_its_own_schedule_so_the_sweep_adds_nothing(demo: dict[str, int]) -> None:
    before = sorted(Alert.objects.values_list("pk", "acknowledged_at"), key=str)
    with time_machine.travel(dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC), tick=False):
        result = sweep_missed_measures()
    assert result.programs == 3
    assert result.sessions > 0
    assert sorted(Alert.objects.values_list("pk", "acknowledged_at"), key=str) == before
