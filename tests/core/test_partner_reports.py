"""The partner report's scoring and the discrepancy signal, worked by hand.

The dates are fixed (``TODAY``): the logic takes the day as an argument, so no clock is read.
"""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.partner_reports import (
    HER_IMPROVEMENT,
    HIS_IMPROVEMENT,
    PARTNER_REPORT,
    DatedScore,
    ReportError,
    Signal,
    discrepancy,
    score_report,
)

TODAY = dt.date(2026, 6, 30)
FIRST = dt.date(2026, 4, 1)
LATEST = dt.date(2026, 6, 1)


def d(day: dt.date, value: float) -> DatedScore:
    return DatedScore(day, value)


def his(baseline: list[float], recent: list[float]) -> list[DatedScore]:
    """Check-outs a week apart ending on her first report's day, and on her latest's."""
    out = [d(FIRST - dt.timedelta(days=7 * i), v) for i, v in enumerate(reversed(baseline))]
    out += [d(LATEST - dt.timedelta(days=7 * i), v) for i, v in enumerate(reversed(recent))]
    return out


def test_the_definition_is_marked_not_externally_validated() -> None:
    assert PARTNER_REPORT.validated_externally is False
    assert "NOT externally validated" in PARTNER_REPORT.citation
    assert [i.id for i in PARTNER_REPORT.items] == [
        "felt_safety",
        "controlling",
        "respectful",
        "change",
    ]
    assert all(len(item.anchors) == 5 for item in PARTNER_REPORT.items)


def test_score_reverses_controlling_behaviour() -> None:
    # (3 + (4 - 1) + 2 + 2) / 4 = 2.5
    answers = {"felt_safety": 3, "controlling": 1, "respectful": 2, "change": 2}
    assert score_report(answers) == 2.5
    # Much controlling behaviour lowers the score: (3 + 0 + 2 + 2) / 4 = 1.75
    assert score_report({**answers, "controlling": 4}) == 1.75


def test_score_needs_three_answers() -> None:
    assert score_report({"felt_safety": 4, "controlling": 0, "respectful": None}) is None
    # (4 + 4 + 1) / 3 = 3
    assert score_report({"felt_safety": 4, "controlling": 0, "respectful": 1}) == 3.0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"felt_safety": 5}, "felt_safety: the answer must be from 0 to 4."),
        ({"controlling": -1}, "controlling: the answer must be from 0 to 4."),
        ({"mood": 2}, "mood: not an item of the partner report."),
    ],
)
def test_out_of_range_answers_are_refused_naming_the_item(answers, message) -> None:
    with pytest.raises(ReportError, match=message):
        score_report(answers)


def test_his_rise_and_her_flat_scores_raise_the_signal() -> None:
    # His baseline (5 + 6) / 2 = 5.5, recent (7 + 7) / 2 = 7.0: +1.5 >= 1.0.
    # Hers 2.0 -> 2.25: +0.25 < 0.5, flat.
    result = discrepancy([d(FIRST, 2.0), d(LATEST, 2.25)], his([5, 6], [7, 7]), today=TODAY)
    assert result.signal == Signal.DISCREPANCY
    assert result.flagged
    assert result.his_baseline == 5.5
    assert result.his_recent == 7.0
    assert result.his_change == pytest.approx(1.5)
    assert result.her_change == pytest.approx(0.25)
    assert "+1.5" in result.reason
    assert "+0.2" in result.reason


def test_her_worse_scores_also_count_as_not_improving() -> None:
    result = discrepancy([d(FIRST, 3.0), d(LATEST, 1.5)], his([5, 5], [6, 6]), today=TODAY)
    assert result.signal == Signal.DISCREPANCY  # +1.0 exactly reaches the threshold


def test_both_improving_is_no_discrepancy() -> None:
    result = discrepancy(
        [d(FIRST, 2.0), d(LATEST, 2.0 + HER_IMPROVEMENT)], his([5, 5], [7, 7]), today=TODAY
    )
    assert result.signal == Signal.NONE
    assert result.reason.startswith("Both improved")


def test_his_small_rise_is_no_discrepancy() -> None:
    # +0.9 < 1.0
    result = discrepancy([d(FIRST, 2.0), d(LATEST, 1.0)], his([5, 5], [5.9, 5.9]), today=TODAY)
    assert result.signal == Signal.NONE
    assert result.his_change == pytest.approx(HIS_IMPROVEMENT - 0.1)


def test_a_single_report_is_not_enough() -> None:
    result = discrepancy([d(LATEST, 1.0)], his([5, 5], [9, 9]), today=TODAY)
    assert result.signal == Signal.NOT_ENOUGH
    assert not result.flagged


def test_reports_closer_than_four_weeks_are_not_enough() -> None:
    result = discrepancy(
        [d(LATEST - dt.timedelta(days=27), 2.0), d(LATEST, 2.0)], his([5, 5], [9, 9]), today=TODAY
    )
    assert result.signal == Signal.NOT_ENOUGH
    assert "four weeks" in result.reason


def test_too_few_checkouts_in_either_window_are_not_enough() -> None:
    result = discrepancy([d(FIRST, 2.0), d(LATEST, 2.0)], his([5], [9, 9]), today=TODAY)
    assert result.signal == Signal.NOT_ENOUGH
    assert result.his_baseline_count == 1
    assert result.his_recent_count == 2


def test_the_windows_are_the_four_weeks_up_to_each_report() -> None:
    # A check-out 28 days before her first report is outside (the window is (first-28, first]),
    # one on her report's day is inside; one after her latest report does not count.
    checkouts = [
        d(FIRST - dt.timedelta(days=28), 0.0),
        d(FIRST - dt.timedelta(days=27), 4.0),
        d(FIRST, 6.0),
        d(LATEST - dt.timedelta(days=1), 8.0),
        d(LATEST, 8.0),
        d(LATEST + dt.timedelta(days=1), 0.0),
    ]
    result = discrepancy([d(FIRST, 2.0), d(LATEST, 2.0)], checkouts, today=TODAY)
    assert result.his_baseline == 5.0
    assert result.his_baseline_count == 2
    assert result.his_recent == 8.0
    assert result.his_recent_count == 2
    assert result.signal == Signal.DISCREPANCY


def test_reports_older_than_six_months_or_in_the_future_are_ignored() -> None:
    old = d(TODAY - dt.timedelta(days=183), 4.0)
    future = d(TODAY + dt.timedelta(days=1), 0.0)
    result = discrepancy(
        [old, d(FIRST, 2.0), d(LATEST, 2.0), future], his([5, 5], [7, 7]), today=TODAY
    )
    assert result.her_first == d(FIRST, 2.0)
    assert result.her_latest == d(LATEST, 2.0)
    assert result.signal == Signal.DISCREPANCY
