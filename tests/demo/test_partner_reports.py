"""The demo has partner reports at every stage: a discrepancy, none, a decline, too few, and a
withdrawal, all shown on the safety pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from alliance.core.partner_reports import Signal
from alliance.demo.loader import build_demo
from alliance.safety.discrepancy import signal_for
from alliance.safety.models import ConsentDecision, PartnerRecord, PartnerReportConsent

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_partner_reports_at_every_stage(demo: dict[str, int], as_user) -> None:
    assert demo["partner_reports"] >= 10
    assert demo["discrepancy_flags"] == 1
    signals = {
        record.pk: signal_for(record, today=TODAY).signal
        for record in PartnerRecord.objects.filter(reports__isnull=False).distinct()
    }
    assert len(signals) == 4
    assert list(signals.values()).count(Signal.DISCREPANCY) == 1
    assert Signal.NONE in signals.values()
    assert Signal.NOT_ENOUGH in signals.values()  # one report so far
    declined = PartnerReportConsent.objects.get(decision=ConsentDecision.DECLINED)
    assert not declined.partner.reports.exists()
    assert PartnerReportConsent.objects.filter(withdrawn_on__isnull=False).count() == 1
    # The page looks back six months from today: read it on the demo's day.
    with time_machine.travel(dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC), tick=False):
        page = as_user(User.objects.get(username="safety")).get("/safety/discrepancies/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 of 4 partner records with reports show a discrepancy." in text
