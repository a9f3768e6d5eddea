"""Court order terms against attendance: deadline at risk, start-by missed, protective order."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.court_order import OrderError, OrderTerms, assess_order, check_terms

D = dt.date


def mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += dt.timedelta(weeks=1)
    return days


def test_deadline_at_risk_when_sessions_remaining_do_not_fit() -> None:
    terms = OrderTerms(sessions_ordered=26, complete_by=D(2025, 6, 30))
    schedule = mondays(D(2025, 3, 3), D(2025, 12, 29))
    status = assess_order(
        terms, attended=10, started_on=D(2025, 1, 6), scheduled=schedule, today=D(2025, 3, 3)
    )
    # 18 Mondays from 3 March to 30 June; 16 sessions still needed: it fits.
    assert status.sessions_possible == 18
    assert status.sessions_remaining == 16
    assert not status.deadline_at_risk
    status = assess_order(
        terms, attended=7, started_on=D(2025, 1, 6), scheduled=schedule, today=D(2025, 3, 3)
    )
    assert status.sessions_remaining == 19
    assert status.deadline_at_risk
    assert "19 sessions still needed and only 18 scheduled" in status.reasons[0]


def test_deadline_passed_and_completed() -> None:
    terms = OrderTerms(sessions_ordered=12, complete_by=D(2025, 2, 28))
    status = assess_order(
        terms, attended=8, started_on=D(2024, 12, 2), scheduled=[], today=D(2025, 3, 1)
    )
    assert status.deadline_passed
    assert not status.deadline_at_risk
    assert "passed" in status.reasons[0]
    done = assess_order(
        terms,
        attended=12,
        started_on=D(2024, 12, 2),
        scheduled=[],
        today=D(2025, 3, 1),
        completed=True,
    )
    assert not done.deadline_passed
    assert done.sessions_remaining == 0


def test_start_by_missed() -> None:
    terms = OrderTerms(start_by=D(2025, 1, 31))
    assert not assess_order(
        terms, attended=0, started_on=None, scheduled=[], today=D(2025, 1, 31)
    ).start_by_missed
    late = assess_order(terms, attended=0, started_on=None, scheduled=[], today=D(2025, 2, 1))
    assert late.start_by_missed
    assert "has not started" in late.reasons[0]
    after = assess_order(
        terms, attended=3, started_on=D(2025, 2, 3), scheduled=[], today=D(2025, 3, 1)
    )
    assert after.start_by_missed
    on_time = assess_order(
        terms, attended=3, started_on=D(2025, 1, 27), scheduled=[], today=D(2025, 3, 1)
    )
    assert not on_time.start_by_missed


def test_protective_order_expiry_shown() -> None:
    terms = OrderTerms(
        protective_order_type="No-contact order", protective_order_expires=D(2025, 3, 20)
    )
    soon = assess_order(terms, attended=0, started_on=None, scheduled=[], today=D(2025, 3, 1))
    assert soon.protective_order_expiring
    assert not soon.protective_order_expired
    assert "No-contact order expires on 20 March 2025" in soon.reasons[0]
    gone = assess_order(terms, attended=0, started_on=None, scheduled=[], today=D(2025, 3, 21))
    assert gone.protective_order_expired


def test_terms_that_contradict_are_refused_naming_the_field() -> None:
    with pytest.raises(OrderError, match="complete_by"):
        check_terms(OrderTerms(start_by=D(2025, 3, 1), complete_by=D(2025, 2, 1)))
    with pytest.raises(OrderError, match="sessions_ordered"):
        check_terms(OrderTerms(sessions_ordered=0))
    with pytest.raises(OrderError, match="protective_order_type"):
        check_terms(OrderTerms(protective_order_expires=D(2025, 3, 1)))
    check_terms(OrderTerms(sessions_ordered=52, start_by=D(2025, 1, 1), complete_by=D(2026, 1, 31)))
