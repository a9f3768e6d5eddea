"""The demo has intakes: appointments to come, assessments, plans whose goals are plan goals,
signed agreements (some on the old text, so listed to re-sign) and an encrypted court order."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.demo.intake import add_intake
from alliance.demo.loader import build_demo
from alliance.intake.agreements import needing_signature
from alliance.intake.models import (
    Assessment,
    IntakeAppointment,
    ParticipantDocument,
    SignedAgreement,
    TreatmentPlanGoal,
)
from alliance.participants.models import Enrollment

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_intakes_agreements_and_documents(demo: dict[str, int]) -> None:
    assert demo["assessments"] == Assessment.objects.count() > 0
    assert demo["appointments"] == IntakeAppointment.objects.count()
    assert demo["signed"] == SignedAgreement.objects.count() > 0
    assert demo["documents"] == ParticipantDocument.objects.count() > 0
    assert TreatmentPlanGoal.objects.count() == demo["assessments"]
    # Every program's text changed after the first signatures: those men must sign again.
    due = needing_signature(list(Enrollment.objects.select_related("program")))
    assert sum(1 for s in due if s.needs_resigning) == demo["signed"]


def test_add_intake_refuses_to_run_twice(demo: dict[str, int]) -> None:
    with pytest.raises(RuntimeError, match="already has intake records"):
        add_intake(seed=7, today=TODAY)
