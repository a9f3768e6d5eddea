"""The demo shows competencies defined and signed off, a leave and a man sent home."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.demo.competency import add_competencies
from alliance.demo.loader import build_demo
from alliance.participants.models import CompetencySignOff, LeaveOfAbsence
from alliance.programs.models import Attendance, Competency

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_competencies_signed_off_a_leave_and_a_man_sent_home(demo) -> None:
    assert demo["competencies_defined"] == Competency.objects.count() == 5
    assert (
        demo["competencies_approved"] == CompetencySignOff.objects.filter(status="approved").count()
    )
    assert demo["competencies_approved"] > 0
    assert CompetencySignOff.objects.filter(status="returned").count() == 1
    assert demo["leaves_of_absence"] == LeaveOfAbsence.objects.count() == 1
    sent_home = Attendance.objects.filter(departure="sent_home")
    assert demo["men_sent_home"] == sent_home.count() == 1
    assert sent_home.get().departure_reason


def test_add_competencies_refuses_to_run_twice(demo) -> None:
    with pytest.raises(RuntimeError, match="already has competency sign-offs"):
        add_competencies(seed=7, today=TODAY)
