"""Training requirements and status: pure logic, dates passed in (no clock)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from alliance.core.training import (
    PRESETS,
    Credential,
    Entry,
    EntryKind,
    Requirement,
    Status,
    add_months,
    combine,
    credential_alert_threshold,
    evaluate,
    next_observation_due,
)

CALIFORNIA = PRESETS["california"].requirement
WASHINGTON = PRESETS["washington"].requirement


def core(day: dt.date, hours: float) -> Entry:
    return Entry(EntryKind.CORE, day, Decimal(str(hours)))


def ce(day: dt.date, hours: float) -> Entry:
    return Entry(EntryKind.CONTINUING, day, Decimal(str(hours)))


def trainee(day: dt.date, hours: float) -> Entry:
    return Entry(EntryKind.TRAINEE, day, Decimal(str(hours)))


TRAINED_2024 = [core(dt.date(2024, 2, 1), 24), core(dt.date(2024, 3, 1), 16)] + [
    trainee(dt.date(2024, 6, 1), 20) for _ in range(6)
]


def test_california_preset_cites_40_core_104_trainee_and_16_ce_hours():
    assert CALIFORNIA.core_hours == 40
    assert CALIFORNIA.trainee_hours == 104
    assert CALIFORNIA.ce_hours_per_year == 16
    assert any("1203.098" in s for s in PRESETS["california"].sources)


def test_washington_preset_observes_every_six_months_and_cites_the_wac():
    assert WASHINGTON.observation_every_months == 6
    assert WASHINGTON.ce_hours_per_year == 20
    assert any("388-60B" in s for s in PRESETS["washington"].sources)


def test_it_says_exactly_how_many_ce_hours_are_due_by_year_end():
    entries = [*TRAINED_2024, ce(dt.date(2025, 4, 2), 8), ce(dt.date(2025, 9, 9), 4)]
    result = evaluate(CALIFORNIA, entries=entries, today=dt.date(2025, 11, 5))
    assert result.status == Status.DUE_SOON
    assert result.reasons[0] == (
        "12 of 16 continuing-education hours this year; 4 due by 31 Dec 2025."
    )


def test_a_ce_shortfall_early_in_the_year_is_not_yet_due_soon():
    entries = [*TRAINED_2024, ce(dt.date(2025, 2, 2), 4)]
    result = evaluate(CALIFORNIA, entries=entries, today=dt.date(2025, 3, 10))
    assert result.status == Status.COMPLIANT
    assert "4 of 16 continuing-education hours this year; 12 due by 31 Dec 2025." in result.reasons


def test_no_ce_is_owed_in_the_year_core_training_was_completed():
    result = evaluate(CALIFORNIA, entries=TRAINED_2024, today=dt.date(2024, 12, 20))
    assert result.status == Status.COMPLIANT
    assert "Continuing education is owed from the calendar year after core training (2024)." in (
        result.reasons
    )


def test_last_years_shortfall_is_overdue():
    entries = [*TRAINED_2024, ce(dt.date(2025, 5, 1), 10), ce(dt.date(2026, 1, 20), 16)]
    result = evaluate(CALIFORNIA, entries=entries, today=dt.date(2026, 3, 1))
    assert result.status == Status.OVERDUE
    assert result.reasons[0] == (
        "10 of 16 continuing-education hours in 2025; 6 were due by 31 Dec 2025."
    )


def test_core_hours_short_of_40_are_missing_before_facilitating():
    entries = [core(dt.date(2025, 1, 5), 24), trainee(dt.date(2025, 1, 6), 10.5)]
    result = evaluate(CALIFORNIA, entries=entries, today=dt.date(2025, 3, 10))
    assert result.status == Status.MISSING
    assert result.reasons[:2] == [
        "24 of 40 core training hours; 16 to go before facilitating.",
        "10.5 of 104 supervised trainee hours; 93.5 to go.",
    ]


def test_washington_observation_due_soon_then_overdue():
    seen = [dt.date(2024, 8, 1), dt.date(2025, 1, 15)]
    soon = evaluate(
        WASHINGTON,
        entries=[ce(dt.date(2025, 3, 1), 20)],
        observations=seen,
        today=dt.date(2025, 6, 20),
    )
    assert soon.status == Status.DUE_SOON
    assert "Next observation due by 15 Jul 2025 (last observed 15 Jan 2025)." in soon.reasons
    late = evaluate(
        WASHINGTON,
        entries=[ce(dt.date(2025, 3, 1), 20)],
        observations=seen,
        today=dt.date(2025, 7, 16),
    )
    assert late.status == Status.OVERDUE
    assert late.reasons[0] == "Observation overdue since 15 Jul 2025 (last observed 15 Jan 2025)."


def test_never_observed_is_due_six_months_after_he_started_or_missing_without_a_start():
    started = evaluate(
        Requirement(observation_every_months=6),
        entries=[],
        started_on=dt.date(2025, 1, 31),
        today=dt.date(2025, 3, 10),
    )
    assert started.reasons == ["Next observation due by 31 Jul 2025 (never observed)."]
    unknown = evaluate(
        Requirement(observation_every_months=6), entries=[], today=dt.date(2025, 3, 10)
    )
    assert unknown.status == Status.MISSING


def test_months_are_added_on_the_calendar_clamped_to_the_month_end():
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 2) == dt.date(2026, 1, 15)
    assert next_observation_due(6, [], started_on=None) is None


def test_credentials_expired_due_soon_and_valid():
    today = dt.date(2025, 3, 10)
    expired = evaluate(
        Requirement(),
        entries=[],
        credentials=[Credential("LCSW licence", dt.date(2025, 3, 9))],
        today=today,
    )
    assert expired.status == Status.OVERDUE
    assert expired.reasons == ["LCSW licence: expired on 9 Mar 2025."]
    soon = evaluate(
        Requirement(), entries=[], credentials=[Credential("CPR", dt.date(2025, 4, 9))], today=today
    )
    assert soon.status == Status.DUE_SOON
    assert soon.reasons == ["CPR: expires in 30 days (9 Apr 2025)."]
    fine = evaluate(Requirement(), entries=[], credentials=[Credential("MSW", None)], today=today)
    assert fine.status == Status.COMPLIANT


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(61, None), (60, 60), (45, 60), (30, 30), (1, 30), (0, 0), (-5, 0)],
)
def test_alert_thresholds_are_60_30_and_the_day(days_left, threshold):
    today = dt.date(2025, 3, 10)
    expires = today + dt.timedelta(days=days_left)
    assert credential_alert_threshold(expires, today=today) == threshold


def test_combining_programs_keeps_the_worst_and_each_finding_once():
    entries = [core(dt.date(2025, 1, 5), 24)]
    cred = [Credential("CPR", dt.date(2025, 4, 1))]
    a = evaluate(CALIFORNIA, entries=entries, credentials=cred, today=dt.date(2025, 3, 10))
    b = evaluate(Requirement(), entries=entries, credentials=cred, today=dt.date(2025, 3, 10))
    both = combine([a, b])
    assert both.status == Status.MISSING
    assert both.reasons.count("CPR: expires in 22 days (1 Apr 2025).") == 1


def test_negative_figures_are_refused():
    with pytest.raises(ValueError, match="core_hours"):
        Requirement(core_hours=Decimal(-1))


def test_ce_is_owed_from_the_year_after_starting_when_no_core_training_is_required():
    new = evaluate(
        WASHINGTON,
        entries=[],
        observations=[dt.date(2025, 6, 1)],
        started_on=dt.date(2025, 1, 6),
        today=dt.date(2025, 11, 20),
    )
    assert "Continuing education is owed from the calendar year after starting (2025)." in (
        new.reasons
    )
    assert new.status == Status.DUE_SOON  # the observation, not the hours
    a_year_on = evaluate(
        WASHINGTON,
        entries=[ce(dt.date(2025, 12, 1), 8)],
        observations=[dt.date(2026, 1, 10)],
        started_on=dt.date(2024, 3, 1),
        today=dt.date(2026, 2, 1),
    )
    assert a_year_on.reasons[0] == (
        "8 of 20 continuing-education hours in 2025; 12 were due by 31 Dec 2025."
    )
