"""The demo's follow-up: records for every man who left, and an evaluation with curves."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.demo.loader import build_demo
from alliance.demo.outcomes import add_follow_up
from alliance.organizations.models import Role
from alliance.outcomes.measures_change import measure_changes
from alliance.outcomes.models import FollowUp, OutcomeEvent
from alliance.outcomes.selectors import evaluation_report
from alliance.participants.models import Enrollment
from alliance.programs.models import Program

TODAY = dt.date(2025, 6, 2)


def test_the_demo_has_follow_up_curves_and_change_on_measures(db) -> None:
    # One build for every check: the demo takes a few seconds at this size.
    demo = build_demo(participants=100, seed=7, today=TODAY).extras
    assert demo["alumni"] == 200
    left = (
        Enrollment.objects.filter(
            status__in=["completed", "dropped_out", "discharged"],
            started_on__isnull=False,
            ended_on__lt=TODAY,
        )
        .values("participant_id")
        .distinct()
        .count()
    )
    official = FollowUp.objects.filter(source="official_record")
    assert (
        official.count()
        == left
        == demo["follow_ups"] - FollowUp.objects.filter(source="partner_report").count()
    )
    assert set(official.values_list("window_end", flat=True)) == {TODAY}
    # The follow-up import's events (a new offence learned of from a safety incident is
    # recorded one by one, outside any import: alliance/demo/incidents.py).
    imported = OutcomeEvent.objects.filter(imported_in__isnull=False)
    assert imported.count() == demo["outcome_events"] > 0
    assert not OutcomeEvent.objects.filter(occurred_on__gt=TODAY).exists()
    batch = FollowUp.objects.first().imported_in
    assert batch.imported_by.membership.role == Role.PROGRAM_MANAGER

    report = evaluation_report(Program.objects.all(), outcomes=("any_official",))
    panel = report.panels[0]
    assert panel.men > 0
    assert panel.comparison is not None, panel.not_shown_because
    # Riskier men leave more and re-offend more: the raw gap exceeds the weighted one.
    assert panel.comparison.raw_hazard_ratio < panel.comparison.adjusted_hazard_ratio
    with pytest.raises(RuntimeError, match="already has follow-up"):
        add_follow_up(seed=7, today=TODAY)

    # Change on measures: d_z on the same first/last pairs the measures app classifies.
    changes = measure_changes(Program.objects.all())
    with_effect = [m for m in changes if m.effect is not None]
    assert with_effect, [(m.row.title, m.row.n) for m in changes]
    for m in with_effect:
        assert m.effect.n == m.row.n
        assert m.effect.lower < m.effect.estimate < m.effect.upper
