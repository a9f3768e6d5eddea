"""The demo has agencies with reporting clocks, court orders, and documents due and overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from alliance.court.models import Breach, CourtOrder, ReportingClock
from alliance.court.selectors import due_queue
from alliance.demo.court import add_court
from alliance.demo.loader import build_demo
from alliance.organizations.models import Agency
from alliance.participants.models import Enrollment

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_agencies_orders_and_a_dated_queue(demo: dict[str, int], as_user) -> None:
    assert demo["agencies"] == Agency.objects.count() == 3
    assert ReportingClock.objects.filter(agency__isnull=True).count() == 1
    assert demo["court_orders"] == CourtOrder.objects.count() > 0
    assert Breach.objects.exists()
    rows = due_queue(Enrollment.objects.all(), today=TODAY)
    assert any(r.overdue for r in rows)
    assert any(not r.overdue for r in rows)
    page = as_user(User.objects.get(username="manager")).get("/dashboard/").content.decode()
    assert "Documents due to referral agencies" in page
    assert "Overdue" in page


def test_add_court_refuses_to_run_twice(demo: dict[str, int]) -> None:
    with pytest.raises(RuntimeError):
        add_court(seed=7, today=TODAY)
