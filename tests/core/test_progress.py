"""His progress page's plain-word trend and practice calendar, worked by hand."""

from __future__ import annotations

import datetime as dt

from alliance.core.practice.progress import Direction, checkout_direction, month_weeks


def test_a_rise_of_a_point_or_more_is_up() -> None:
    # before (4 + 5 + 6) / 3 = 5, latest (7 + 8 + 8) / 3 = 7.67
    assert checkout_direction([4, 5, 6, 7, 8, 8]) == Direction.UP


def test_a_small_change_is_steady_and_a_fall_is_down() -> None:
    assert checkout_direction([6, 6, 6, 6.5, 6.5, 6.5]) == Direction.STEADY
    assert checkout_direction([8, 8, 8, 7, 7, 6]) == Direction.DOWN


def test_only_the_last_six_count() -> None:
    # The 0s are older than the six compared: before 7, latest 7.
    assert checkout_direction([0, 0, 0, 7, 7, 7, 7, 7, 7]) == Direction.STEADY


def test_few_checkouts_compare_the_last_with_the_ones_before() -> None:
    assert checkout_direction([5]) is None
    assert checkout_direction([]) is None
    assert checkout_direction([5, 7]) == Direction.UP  # 7 against 5
    # four: latest 3 would leave one before: (6 + 6 + 7) / 3 = 6.33 against 4
    assert checkout_direction([4, 6, 6, 7]) == Direction.UP


def test_the_month_is_weeks_from_monday_with_practised_days_marked() -> None:
    # March 2025 starts on a Saturday and ends on a Monday: six weeks.
    weeks = month_weeks(
        2025,
        3,
        [dt.date(2025, 3, 1), dt.date(2025, 3, 9), dt.date(2025, 2, 28)],
        today=dt.date(2025, 3, 10),
    )
    assert len(weeks) == 6
    assert weeks[0][:5] == [None] * 5
    first = weeks[0][5]
    assert first is not None
    assert (first.day, first.practised) == (dt.date(2025, 3, 1), True)
    days = [d for week in weeks for d in week if d is not None]
    assert len(days) == 31
    assert [d.day.day for d in days if d.practised] == [1, 9]  # 28 Feb is another month
    assert [d.day.day for d in days if d.is_today] == [10]
    assert weeks[-1][0] is not None
    assert weeks[-1][1] is None
