"""The demo has partner records for some of its men, sealed like any others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from alliance.demo.loader import build_demo
from alliance.demo.safety import add_partner_safety
from alliance.safety.models import (
    NotificationKind,
    NotificationStatus,
    PartnerNotification,
    PartnerRecord,
)

TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def demo(db) -> dict[str, int]:
    return build_demo(participants=40, seed=7, today=TODAY).extras


def test_the_demo_has_partner_records_and_drafts_to_confirm(demo: dict[str, int]) -> None:
    # The partner-reports step may give one more man an invented partner (its docstring).
    added = demo["partner_records_for_reports"]
    assert demo["partner_records"] == PartnerRecord.objects.count() - added == 12
    pending = PartnerNotification.objects.filter(status=NotificationStatus.PENDING)
    # The safety step's drafts; the court step (later) adds non-compliance tasks of its own.
    from_status_changes = pending.exclude(kind=NotificationKind.NON_COMPLIANCE)
    assert demo["partner_notifications_to_confirm"] == from_status_changes.count()
    # Drafts exist only where the man signed a release of that kind.
    for draft in pending:
        assert draft.partner.releases.filter(kind=draft.kind).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, email FROM safety_partnerrecord")
        rows = list(cursor)
    # An email-only plan holds no phone number (D27): what is held is sealed.
    assert all(name.startswith("gAAAAA") for name, _, _ in rows)
    assert all(v.startswith("gAAAAA") for _, phone, email in rows for v in (phone, email) if v)


def test_each_partner_record_safe_contact_plan_agrees_with_itself(demo: dict[str, int]) -> None:
    # D27: "after 19:00 on her work phone" beside "Email only" contradicted itself.
    for record in PartnerRecord.objects.all():
        email_only = "email only" in record.safe_methods.lower()
        assert bool(record.email) == email_only, record.safe_methods
        assert bool(record.phone) != email_only, record.safe_methods
        if email_only:
            assert "phone" not in record.safe_times.lower()
        for contact in record.notifications.filter(kind=""):  # logged contacts
            assert contact.method == ("email" if email_only else "phone")


def test_add_partner_safety_refuses_to_run_twice(demo: dict[str, int]) -> None:
    with pytest.raises(RuntimeError, match="already has partner records"):
        add_partner_safety(seed=7, today=TODAY)
