"""The dashboard's tiles, date filter and empty states (findings D19, D26)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from alliance.dashboard.period import parse_period
from alliance.participants.models import Enrollment
from tests.web.helpers import text
from tests.web.test_dashboard import section
from tests.web.test_empty_organization import nadia as nadia  # a fixture

URL = reverse("dashboard")
TODAY = dt.date(2025, 3, 10)


def test_the_tiles_count_active_men_sessions_attendance_and_what_is_due(world, as_user):
    body = text(as_user(world.mona).get(URL))
    tiles = section(body, "tiles-h")

    assert 'At a glance <span class="muted">(March 2025)</span>' in tiles
    assert '<strong class="tile-value">5</strong> <span class="tile-label">men active now' in tiles
    assert "sessions this week (from Mon 10 Mar)" in tiles
    assert "open alerts" in tiles
    assert "men with documents or actions due" in tiles


def _marks(body: str) -> int:
    found = re.search(r"\((\d+) of (\d+) marks\)", section(body, "tiles-h"))
    return int(found.group(2)) if found else 0


def test_a_custom_range_changes_the_period_figures(world, as_user):
    client = as_user(world.mona)
    month = text(client.get(URL))
    wide = text(client.get(URL, {"period": "custom", "from": "2024-01-01", "to": "2025-03-10"}))
    assert "1 Jan 2024 to 10 Mar 2025" in section(wide, "tiles-h")
    # Group A's 27 marks all fall in the wide range; March holds only some of them.
    assert _marks(wide) >= 27
    assert _marks(month) < _marks(wide)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "custom", "from": "2025-03-01"}, "to: a custom range needs both"),
        ({"period": "custom", "from": "2025-13-01", "to": "2025-03-01"}, "from: give a date"),
        (
            {"period": "custom", "from": "2025-03-05", "to": "2025-03-01"},
            "to: the end date is before",
        ),
        (
            {"period": "custom", "from": "2025-03-05", "to": "2025-04-01"},
            "to: the end date is after today",
        ),
        ({"period": "year"}, "period: choose this month"),
    ],
)
def test_a_bad_period_is_named_and_this_month_shown(world, as_user, params, message):
    response = as_user(world.mona).get(URL, params)
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert "Showing this month instead." in body
    assert "(March 2025)" in section(body, "tiles-h")


def test_periods() -> None:
    assert parse_period({}, today=TODAY)[0].start == dt.date(2025, 3, 1)
    quarter, error = parse_period({"period": "quarter"}, today=TODAY)
    assert (quarter.start, quarter.end, quarter.label, error) == (
        dt.date(2025, 1, 1),
        TODAY,
        "Q1 2025",
        "",
    )
    autumn, _ = parse_period({"period": "quarter"}, today=dt.date(2025, 11, 30))
    assert autumn.start == dt.date(2025, 10, 1)


def test_the_retention_caption_says_who_the_curve_counts(world, as_user):
    # A man who dropped out before his first session: in the status table, not in the curve.
    Enrollment.objects.filter(pk=world.in_intake.pk).update(status="dropped_out")
    retention = section(text(as_user(world.mona).get(URL)), "retention")
    assert "It counts the 5 men who started" in retention
    assert "1 man who dropped out before a first session is in the status table" in retention


def test_an_empty_organization_has_sentences_not_empty_charts(nadia, as_user):
    body = text(as_user(nadia).get(URL))
    assert "<svg" not in body
    assert "No man has started a group yet" in section(body, "retention")
    assert "No groups yet." in section(body, "groups")
    assert "Measures (check-out" not in body
    assert "No men referred yet." in section(body, "status")


def test_practice_dose_without_estimates_is_one_sentence(world, as_user):
    body = text(as_user(world.mona).get(URL))
    dose = section(body, "dose-h")
    assert dose.count("No estimate") == 1
    assert "<h3>" not in dose
