"""Program presets and the completion-is-possible check (``alliance.core.program_policy``).

The preset numbers are checked against the standards as condensed in
``shared/research/bip_standards.md`` §1 (quoted in each test).
"""

from __future__ import annotations

import dataclasses

import pytest

from alliance.core.program_policy import (
    PRESETS,
    PolicyDraft,
    ProgramPreset,
    check_policy,
    preset_for,
)


def test_california_preset_is_52_weekly_two_hour_sessions_with_three_absences_for_good_cause():
    # "52 weekly sessions of ≥2 h. Consecutive attendance, with at most 3 absences for good
    # cause. Progress reports to court/probation at least every 3 months."
    ca = preset_for("ca-52")
    assert (ca.curriculum_length, ca.min_attended_sessions, ca.session_minutes) == (52, 52, 120)
    assert (ca.max_excused_absences, ca.max_unexcused_absences, ca.max_total_absences) == (3, 0, 3)
    assert ca.meeting_interval_days == 7
    assert ca.report_interval_days == 90
    assert "1203.097" in ca.citation
    assert "1203.097" in ca.label


def test_washington_levels_follow_the_minimum_months_with_groups_of_twelve():
    # "4 treatment levels, with minimums of 6/9/12/18 months ... at most 12 men; ≥90 min ...
    # Non-compliance is notified to the court within 7 days"
    weeks = {k: PRESETS[f"wa-level-{k}"].min_attended_sessions for k in (1, 2, 3, 4)}
    assert weeks == {1: 26, 2: 39, 3: 52, 4: 78}
    for level in (1, 2, 3, 4):
        wa = PRESETS[f"wa-level-{level}"]
        assert wa.max_group_size == 12
        assert wa.session_minutes == 90
        assert wa.noncompliance_notice_days == 7
        assert "388-60B" in wa.citation


def test_ontario_and_bc_presets_carry_their_session_counts():
    assert PRESETS["on-par-12"].min_attended_sessions == 12
    rr, rv = PRESETS["bc-rr"], PRESETS["bc-rv"]
    assert (rr.curriculum_length, rr.session_minutes, rr.max_group_size) == (10, 150, 12)
    assert rv.curriculum_length == 17


def test_every_preset_cites_a_source_and_can_be_completed():
    for preset in PRESETS.values():
        assert preset.citation
        if preset.key != "custom":
            assert preset.source_url.startswith("http")
            draft = PolicyDraft(
                curriculum_length=preset.curriculum_length,
                min_attended_sessions=preset.min_attended_sessions or 0,
                meeting_interval_days=preset.meeting_interval_days,
                max_program_days=preset.max_program_days,
                makeup_sessions_allowed=preset.makeup_sessions_allowed,
            )
            assert check_policy(draft) == [], preset.key


def test_form_values_name_the_standard_and_leave_out_the_citation_text():
    values = preset_for("bc-rr").form_values()
    assert values["standard"] == "bc-rr"
    assert values["curriculum_length"] == 10
    assert "citation" not in values
    assert "notes" not in values


def test_an_unknown_standard_is_refused_with_the_known_keys():
    with pytest.raises(KeyError, match="ca-52"):
        preset_for("texas")


GOOD = PolicyDraft(curriculum_length=24, min_attended_sessions=20, meeting_interval_days=7)


def test_a_sound_policy_has_no_problems():
    assert check_policy(GOOD) == []


def test_negative_absences_are_refused_naming_the_field():
    problems = check_policy(dataclasses.replace(GOOD, max_unexcused_absences=-1))
    assert [p.field for p in problems] == ["max_unexcused_absences"]
    assert "negative" in problems[0].message


def test_every_bad_field_is_listed_not_only_the_first():
    problems = check_policy(
        dataclasses.replace(GOOD, max_excused_absences=-2, session_minutes=0, max_program_days=0)
    )
    assert {p.field for p in problems} == {
        "max_excused_absences",
        "session_minutes",
        "max_program_days",
    }


def test_more_required_sessions_than_a_closed_cohort_offers_is_refused():
    draft = dataclasses.replace(GOOD, min_attended_sessions=30)
    (problem,) = check_policy(draft)
    assert problem.field == "min_attended_sessions"
    assert "30 sessions are required" in problem.message
    assert "24" in problem.message


def test_make_ups_or_a_rolling_group_make_the_same_requirement_possible():
    assert (
        check_policy(dataclasses.replace(GOOD, min_attended_sessions=26, makeup_sessions_allowed=2))
        == []
    )
    assert (
        check_policy(dataclasses.replace(GOOD, min_attended_sessions=30, closed_cohort_only=False))
        == []
    )


def test_a_deadline_shorter_than_the_sessions_take_is_refused():
    # 20 weekly sessions: the 20th is on day 1 + 19 × 7 = 134.
    assert check_policy(dataclasses.replace(GOOD, max_program_days=134)) == []
    (problem,) = check_policy(dataclasses.replace(GOOD, max_program_days=133))
    assert problem.field == "max_program_days"
    assert "at least 134 days" in problem.message


def test_a_zero_meeting_interval_is_refused():
    (problem,) = check_policy(dataclasses.replace(GOOD, meeting_interval_days=0))
    assert problem.field == "meeting_interval_days"


def test_hours_a_closed_cohort_cannot_offer_are_refused_naming_the_field():
    draft = PolicyDraft(
        curriculum_length=10,
        min_attended_sessions=0,
        meeting_interval_days=7,
        session_minutes=150,
        min_attended_hours=26,
    )
    problems = check_policy(draft)

    assert [p.field for p in problems] == ["min_attended_hours"]
    assert "offers 25 h 00 min of sessions" in problems[0].message
    assert check_policy(dataclasses.replace(draft, min_attended_hours=25)) == []


def test_zero_hours_or_zero_early_minutes_are_refused_as_rules():
    draft = PolicyDraft(
        curriculum_length=None,
        min_attended_sessions=1,
        meeting_interval_days=7,
        min_attended_hours=0,
        left_early_minutes_as_absence=0,
    )

    fields = {p.field for p in check_policy(draft)}

    assert fields == {"min_attended_hours", "left_early_minutes_as_absence"}


def test_a_preset_names_only_what_its_standard_sets_and_leaves_the_rest_unset():
    custom = ProgramPreset(key="k", label="K", citation="None.")
    numbers = {
        name: value
        for name, value in custom.form_values().items()
        if name
        not in {"standard", "completion_criteria", "meeting_interval_days", "competencies_required"}
    }
    assert numbers == dict.fromkeys(numbers, None) | {"makeup_sessions_allowed": 0}
    assert custom.meeting_interval_days == 7
    assert PRESETS["custom"].form_values() == custom.form_values() | {"standard": "custom"}
    assert PRESETS["ca-52"].max_program_days is None  # the code sets no deadline in days


def test_a_meeting_interval_under_one_day_is_refused_without_offering_empty():
    problems = check_policy(
        PolicyDraft(curriculum_length=None, min_attended_sessions=1, meeting_interval_days=0)
    )
    assert [str(p) for p in problems] == ["meeting_interval_days: must be at least 1 day, got 0"]
