"""The safety duties' clocks, without Django."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.duties import add_business_days, is_overdue, respond_by

FRIDAY = dt.date(2025, 3, 7)


def test_two_business_days_from_a_friday_skip_the_weekend() -> None:
    assert add_business_days(FRIDAY, 2) == dt.date(2025, 3, 11)


def test_a_holiday_is_not_a_business_day() -> None:
    monday = dt.date(2025, 3, 10)
    assert add_business_days(FRIDAY, 2, {monday}) == dt.date(2025, 3, 12)


def test_no_grace_on_a_saturday_is_due_on_monday() -> None:
    assert add_business_days(dt.date(2025, 3, 8), 0) == dt.date(2025, 3, 10)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="days"):
        add_business_days(FRIDAY, -1)


def test_the_incident_clock_counts_hours_and_runs_out_after_its_instant() -> None:
    flagged = dt.datetime(2025, 3, 9, 20, 45, tzinfo=dt.UTC)
    due = respond_by(flagged, 24)
    assert due == dt.datetime(2025, 3, 10, 20, 45, tzinfo=dt.UTC)
    assert not is_overdue(due, due)
    assert is_overdue(due, due + dt.timedelta(seconds=1))
    assert not is_overdue(None, due)
