"""The demo shows the training register and observations at every state."""

from __future__ import annotations

import datetime as dt

from alliance.core.training import Status
from alliance.demo.loader import build_demo
from alliance.organizations.models import Membership
from alliance.training.models import CredentialAlert, Observation, TrainingRequirement
from alliance.training.selectors import register

TODAY = dt.date(2025, 6, 2)


def test_the_demo_has_every_training_state(db) -> None:
    extras = build_demo(participants=40, seed=7, today=TODAY).extras
    status = {
        m.user.username: register(m, today=TODAY).status
        for m in Membership.objects.select_related("user", "organization")
    }
    assert status["supervisor"].status == Status.COMPLIANT
    assert status["facilitator3"].status == Status.COMPLIANT
    assert status["facilitator"].status == Status.MISSING
    assert any("Next observation due by" in r for r in status["facilitator"].reasons)
    carlos = status["facilitator2"]
    assert carlos.status == Status.OVERDUE
    assert any("CPR certificate: expired on" in r for r in carlos.reasons)
    assert any("Observation overdue since" in r for r in carlos.reasons)
    assert any("continuing-education hours in 2024" in r for r in carlos.reasons)
    assert status["intake"].status == Status.DUE_SOON
    assert set(TrainingRequirement.objects.values_list("preset", flat=True)) == {
        "california",
        "washington",
        "custom",
    }
    assert sorted(CredentialAlert.objects.values_list("threshold_days", flat=True)) == [0, 60]
    assert extras["observations"] == Observation.objects.count() == 4
    assert Observation.objects.filter(acknowledged_at__isnull=True).count() == 1
