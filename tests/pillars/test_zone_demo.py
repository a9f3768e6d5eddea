"""The demo shows the safe-but-not-too-safe map: every zone, and run alerts from the rules."""

from __future__ import annotations

import datetime as dt

from alliance.core.zones import Zone
from alliance.demo.loader import build_demo
from alliance.measures.alerts.zones import enrollment_path
from alliance.measures.configuration.selectors import settings_for
from alliance.measures.models import Alert, AlertKind, ItemResponse
from alliance.participants.models import Enrollment

TODAY = dt.date(2025, 6, 2)


def test_the_demo_has_every_zone_and_zone_alerts(db) -> None:
    build_demo(participants=40, seed=7, today=TODAY)
    assert ItemResponse.objects.filter(item_id="rating_accountability").exists()
    seen: set[Zone] = set()
    for enrollment in Enrollment.objects.select_related("program"):
        seen |= {
            z.point.zone
            for z in enrollment_path(enrollment, settings_for(enrollment.program))
            if z.point.zone is not None
        }
    assert seen == set(Zone)
    assert Alert.objects.filter(kind=AlertKind.THREAT_ZONE).exists()
    assert Alert.objects.filter(kind=AlertKind.COMFORT_ZONE).exists()


def test_the_demo_has_facilitator_state_ratings_before_and_after(db) -> None:
    from alliance.practice.models import FacilitatorState

    extras = build_demo(participants=40, seed=7, today=TODAY).extras
    assert extras["facilitator_states"] == FacilitatorState.objects.count() > 0
    assert set(FacilitatorState.objects.values_list("moment", flat=True)) == {"before", "after"}
