"""Reporting clocks: due dates across month ends, weekends, leap day and time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.clocks import (
    PRESETS,
    ClockError,
    ClockFacts,
    ClockRule,
    DueKind,
    add_days,
    due_items,
    local_today,
    monthly_due_on,
    noncompliance_due_on,
    progress_due_dates,
)

D = dt.date


def test_every_preset_cites_its_standard() -> None:
    assert {"california", "washington", "texas", "ca_audit"} <= set(PRESETS)
    assert "every 3 months" in PRESETS["california"].citation
    assert "within 7 days" in PRESETS["washington"].citation
    assert PRESETS["washington"].rule.noncompliance_days == 7
    assert "by the 10th" in PRESETS["texas"].citation
    assert PRESETS["texas"].rule.progress_monthly_day == 10
    assert "2 business days" in PRESETS["ca_audit"].citation
    assert PRESETS["ca_audit"].rule.noncompliance_business_days
    for preset in PRESETS.values():
        assert "bip_standards.md" in preset.source


def test_calendar_days_cross_month_end_and_leap_day() -> None:
    assert add_days(D(2024, 2, 25), 7) == D(2024, 3, 3)  # through 29 February
    assert add_days(D(2023, 2, 25), 7) == D(2023, 3, 4)  # no leap day
    assert add_days(D(2025, 12, 28), 7) == D(2026, 1, 4)  # year end


def test_business_days_skip_weekends_and_holidays() -> None:
    # A breach on Friday 7 March 2025 with 2 business days: due Tuesday 11 March.
    assert add_days(D(2025, 3, 7), 2, business=True) == D(2025, 3, 11)
    # With Monday a holiday, Wednesday.
    assert add_days(D(2025, 3, 7), 2, business=True, holidays={D(2025, 3, 10)}) == D(2025, 3, 12)
    # Event on a Saturday: counting starts Monday.
    assert add_days(D(2025, 3, 8), 2, business=True) == D(2025, 3, 12)
    # Across the leap day (Thursday 29 Feb 2024).
    assert add_days(D(2024, 2, 28), 2, business=True) == D(2024, 3, 1)


def test_negative_days_refused_naming_the_field() -> None:
    with pytest.raises(ClockError, match="days"):
        add_days(D(2025, 1, 1), -1)


def test_monthly_due_on_the_day_of_the_next_month() -> None:
    assert monthly_due_on(D(2025, 1, 1), 10) == D(2025, 2, 10)
    assert monthly_due_on(D(2025, 12, 1), 10) == D(2026, 1, 10)
    assert monthly_due_on(D(2024, 2, 1), 10) == D(2024, 3, 10)


def test_progress_dates_every_n_weeks_and_monthly() -> None:
    rule = ClockRule(progress_every_weeks=13)
    assert progress_due_dates(rule, D(2024, 11, 30), D(2025, 12, 31)) == [
        D(2025, 3, 1),
        D(2025, 5, 31),
        D(2025, 8, 30),
        D(2025, 11, 29),
    ]
    texas = PRESETS["texas"].rule
    assert progress_due_dates(texas, D(2024, 1, 31), D(2024, 4, 30)) == [
        D(2024, 2, 10),
        D(2024, 3, 10),
        D(2024, 4, 10),
    ]


def test_rule_checks_name_the_field() -> None:
    with pytest.raises(ClockError, match="progress_monthly_day"):
        ClockRule(progress_monthly_day=31)
    with pytest.raises(ClockError, match="progress_monthly_day"):
        ClockRule(progress_every_weeks=4, progress_monthly_day=10)
    with pytest.raises(ClockError, match="noncompliance_days"):
        ClockRule(noncompliance_days=-2)


def test_repair_window_never_delays_the_mandatory_deadline() -> None:
    # Washington: 7 days. A 14-day repair window cannot push the notice past day 7.
    rule = ClockRule(noncompliance_days=7, repair_window_days=14)
    due, repair = noncompliance_due_on(rule, D(2025, 2, 25))
    assert due == D(2025, 3, 4)
    assert repair == D(2025, 3, 11)
    # A shorter window: the notice is due when the window ends.
    rule = ClockRule(noncompliance_days=7, repair_window_days=3)
    assert noncompliance_due_on(rule, D(2025, 2, 25)) == (D(2025, 2, 28), D(2025, 2, 28))
    # 2 business days beats a 7-day window that runs over a weekend.
    rule = ClockRule(noncompliance_days=2, noncompliance_business_days=True, repair_window_days=7)
    assert noncompliance_due_on(rule, D(2025, 3, 7))[0] == D(2025, 3, 11)


def test_due_items_open_until_the_right_document_is_produced() -> None:
    rule = PRESETS["washington"].rule
    facts = ClockFacts(
        enrolled_on=D(2025, 1, 6), started_on=D(2025, 1, 13), breach_on=D(2025, 2, 24)
    )
    items = due_items(rule, facts, today=D(2025, 3, 5))
    kinds = {i.kind: i for i in items}
    assert kinds[DueKind.ENROLLMENT_NOTICE].due_on == D(2025, 1, 20)
    assert kinds[DueKind.ENROLLMENT_NOTICE].overdue
    assert kinds[DueKind.NONCOMPLIANCE_NOTICE].due_on == D(2025, 3, 3)
    assert kinds[DueKind.NONCOMPLIANCE_NOTICE].overdue
    # A notice produced before the breach does not satisfy it; one after does.
    sent = (("enrollment_notice", D(2025, 1, 8)), ("noncompliance_notice", D(2025, 2, 1)))
    items = due_items(rule, ClockFacts(**{**facts.__dict__, "sent": sent}), today=D(2025, 3, 5))
    assert {i.kind for i in items} >= {DueKind.NONCOMPLIANCE_NOTICE}
    assert DueKind.ENROLLMENT_NOTICE not in {i.kind for i in items}
    sent += (("noncompliance_notice", D(2025, 2, 26)),)
    items = due_items(rule, ClockFacts(**{**facts.__dict__, "sent": sent}), today=D(2025, 3, 5))
    assert DueKind.NONCOMPLIANCE_NOTICE not in {i.kind for i in items}


def test_due_today_is_not_overdue() -> None:
    rule = ClockRule(enrollment_notice_days=7)
    facts = ClockFacts(enrolled_on=D(2025, 2, 22))
    (item,) = due_items(rule, facts, today=D(2025, 3, 1))
    assert item.due_on == D(2025, 3, 1)
    assert not item.overdue
    (item,) = due_items(rule, facts, today=D(2025, 3, 2))
    assert item.overdue


def test_progress_report_late_for_one_period_does_not_cover_the_next() -> None:
    rule = ClockRule(progress_every_weeks=4)
    facts = ClockFacts(enrolled_on=D(2025, 1, 1), started_on=D(2025, 1, 6))
    # Due 3 Feb; produced late on 6 Feb; next due 3 March is still owed on 3 March.
    sent = (("compliance_report", D(2025, 2, 6)),)
    items = due_items(rule, ClockFacts(**{**facts.__dict__, "sent": sent}), today=D(2025, 3, 3))
    progress = [i for i in items if i.kind is DueKind.PROGRESS_REPORT]
    assert [i.due_on for i in progress] == [D(2025, 3, 3)]
    assert not progress[0].overdue
    # One coming due within two weeks is listed ahead, not overdue.
    items = due_items(rule, facts, today=D(2025, 1, 27))
    (upcoming,) = [i for i in items if i.kind is DueKind.PROGRESS_REPORT]
    assert upcoming.due_on == D(2025, 2, 3)
    assert not upcoming.overdue


def test_texas_monthly_report_after_month_end() -> None:
    rule = PRESETS["texas"].rule
    facts = ClockFacts(enrolled_on=D(2024, 1, 2), started_on=D(2024, 1, 15))
    items = due_items(rule, facts, today=D(2024, 3, 11))
    (progress,) = [i for i in items if i.kind is DueKind.PROGRESS_REPORT]
    assert progress.due_on == D(2024, 3, 10)
    assert progress.overdue
    # A report produced on 1 March (after February ended) covers it.
    done = ClockFacts(**{**facts.__dict__, "sent": (("compliance_report", D(2024, 3, 1)),)})
    assert not [
        i for i in due_items(rule, done, today=D(2024, 3, 11)) if i.kind is DueKind.PROGRESS_REPORT
    ]


def test_closing_notice_by_how_he_left() -> None:
    rule = ClockRule(closing_notice_days=10)
    facts = ClockFacts(
        enrolled_on=D(2025, 1, 1),
        started_on=D(2025, 1, 6),
        closed_on=D(2025, 12, 26),
        closed_how="completion",
    )
    (item,) = due_items(rule, facts, today=D(2026, 1, 6))
    assert item.kind is DueKind.COMPLETION_CERTIFICATE
    assert item.due_on == D(2026, 1, 5)
    assert item.overdue
    facts = ClockFacts(**{**facts.__dict__, "closed_how": "termination"})
    (item,) = due_items(rule, facts, today=D(2026, 1, 6))
    assert item.kind is DueKind.TERMINATION_NOTICE


def test_local_today_follows_the_organization_time_zone() -> None:
    # 23:30 on 28 Feb UTC is already 1 March in Madrid, still 28 Feb in Vancouver.
    now = dt.datetime(2025, 2, 28, 23, 30, tzinfo=dt.UTC)
    assert local_today(now, "Europe/Madrid") == D(2025, 3, 1)
    assert local_today(now, "America/Vancouver") == D(2025, 2, 28)
    # Leap day in Auckland while it is still 28 February in UTC.
    assert local_today(dt.datetime(2024, 2, 28, 12, tzinfo=dt.UTC), "Pacific/Auckland") == D(
        2024, 2, 29
    )
    with pytest.raises(ClockError, match="now"):
        local_today(dt.datetime(2025, 1, 1), "UTC")
