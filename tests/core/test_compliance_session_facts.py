"""Worked cases for hours, early departures, sent-home marks, leave and competencies
(``alliance.core.compliance``; ``shared/research/bip_standards.md`` gaps 7 and 8)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from alliance.core.compliance import (
    AttendancePolicy,
    Counted,
    EnrollmentFacts,
    RecordError,
    SessionRecord,
    Standing,
    assess_compliance,
)
from alliance.core.vocabulary import AttendanceMark, Departure, ReferralSource

START = date(2024, 1, 8)
COURT = EnrollmentFacts(started_on=START, referral_source=ReferralSource.COURT)
P, U = AttendanceMark.PRESENT, AttendanceMark.UNEXCUSED


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def present(n: int, **kw: object) -> SessionRecord:
    return SessionRecord(week(n), P, session_minutes=90, **kw)  # type: ignore[arg-type]


def test_a_man_sent_home_has_an_unexcused_absence_by_default() -> None:
    policy = AttendancePolicy(max_unexcused_absences=0, min_attended_sessions=4)
    result = assess_compliance(
        policy, [present(0), present(1, departure=Departure.SENT_HOME)], COURT, today=week(1)
    )

    assert result.outcomes == (Counted.ATTENDED, Counted.SENT_HOME)
    assert result.standing is Standing.IN_BREACH
    assert (result.unexcused_absences, result.sent_home) == (1, 1)
    assert "1 session sent home counted as unexcused" in result.notes


def test_a_program_may_count_a_man_sent_home_as_attending() -> None:
    policy = AttendancePolicy(max_unexcused_absences=0, sent_home_counts_as_attended=True)
    result = assess_compliance(
        policy, [present(0, departure=Departure.SENT_HOME)], COURT, today=week(0)
    )

    assert result.outcomes == (Counted.SENT_HOME_ATTENDED,)
    assert result.attended == 1


def test_leaving_early_counts_as_attended_below_the_programs_threshold_only() -> None:
    policy = AttendancePolicy(left_early_minutes_as_absence=30)
    rows = [
        present(0, departure=Departure.LEFT_EARLY, minutes_left_early=10, minutes_present=80),
        present(1, departure=Departure.LEFT_EARLY, minutes_left_early=45, minutes_present=45),
    ]
    result = assess_compliance(policy, rows, COURT, today=week(1))

    assert result.outcomes == (Counted.LEFT_EARLY, Counted.LEFT_EARLY_AS_ABSENCE)
    assert (result.attended, result.unexcused_absences, result.left_early) == (1, 1, 2)
    assert result.minutes_attended == 80


def test_hours_required_count_only_the_minutes_he_was_there() -> None:
    policy = AttendancePolicy(min_attended_hours=3)
    short = present(1, departure=Departure.LEFT_EARLY, minutes_left_early=30, minutes_present=60)
    partly = assess_compliance(policy, [present(0), short], COURT, today=week(1))
    done = assess_compliance(policy, [present(0), short, present(2)], COURT, today=week(2))

    assert partly.minutes_attended == 150
    assert partly.minutes_still_needed == 30
    assert partly.standing is Standing.GOOD
    assert done.standing is Standing.COMPLETED
    assert "4 h attended (3 h required)" in done.reasons[-1]


def test_minutes_present_beyond_the_session_are_capped_at_its_length() -> None:
    result = assess_compliance(
        AttendancePolicy(), [present(0, minutes_present=500)], COURT, today=week(0)
    )

    assert result.minutes_attended == 90


def test_absences_during_an_approved_leave_count_for_nothing_and_push_the_deadline() -> None:
    policy = AttendancePolicy(
        max_unexcused_absences=1, max_program_days=100, min_attended_sessions=10
    )
    rows = [present(0), SessionRecord(week(1), U), SessionRecord(week(2), U), present(3)]
    without = assess_compliance(policy, rows, COURT, today=week(3))
    leave = dataclasses.replace(COURT, leaves=((week(1), week(2) + timedelta(days=1)),))
    on_leave = assess_compliance(policy, rows, leave, today=week(3))

    assert without.standing is Standing.IN_BREACH
    assert on_leave.standing is Standing.GOOD
    assert on_leave.outcomes[1:3] == (Counted.ON_LEAVE, Counted.ON_LEAVE)
    assert on_leave.absences_on_leave == 2
    assert on_leave.deadline == START + timedelta(days=100 + 9)


def test_a_policy_that_does_not_pause_the_clock_ignores_the_leave() -> None:
    policy = AttendancePolicy(max_unexcused_absences=1, leave_pauses_clock=False)
    facts = dataclasses.replace(COURT, leaves=((week(1), week(2)),))
    rows = [SessionRecord(week(1), U), SessionRecord(week(2), U)]

    assert assess_compliance(policy, rows, facts, today=week(2)).standing is Standing.IN_BREACH


NAMES = frozenset({"names his controlling behaviours", "has a written safety plan"})


def test_attendance_complete_without_approved_competencies_is_a_competency_review() -> None:
    policy = AttendancePolicy(min_attended_sessions=2, required_competencies=NAMES)
    facts = dataclasses.replace(
        COURT, competencies_approved=(("has a written safety plan", week(1)),)
    )
    result = assess_compliance(policy, [present(0), present(1)], facts, today=week(1))

    assert result.standing is Standing.GOOD
    assert result.competencies_missing == ("names his controlling behaviours",)
    assert [a.code for a in result.actions_due] == ["competency_review"]
    assert any("competency review due" in reason for reason in result.reasons)


def test_completion_follows_the_last_competency_approval() -> None:
    policy = AttendancePolicy(min_attended_sessions=2, required_competencies=NAMES)
    approved = tuple((name, week(2)) for name in sorted(NAMES))
    facts = dataclasses.replace(COURT, competencies_approved=approved)

    before = assess_compliance(policy, [present(0), present(1)], facts, today=week(1))
    after = assess_compliance(policy, [present(0), present(1)], facts, today=week(2))

    assert before.standing is Standing.GOOD
    assert after.standing is Standing.COMPLETED
    assert "2 required competencies approved" in after.reasons[-1]


def test_competencies_approved_after_the_deadline_do_not_complete_him() -> None:
    policy = AttendancePolicy(
        min_attended_sessions=1, required_competencies=NAMES, max_program_days=30
    )
    approved = tuple((name, START + timedelta(days=40)) for name in sorted(NAMES))
    facts = dataclasses.replace(COURT, competencies_approved=approved)

    result = assess_compliance(policy, [present(0)], facts, today=START + timedelta(days=45))

    assert result.standing is Standing.IN_BREACH


def test_a_departure_on_an_absence_is_refused_naming_the_field() -> None:
    with pytest.raises(RecordError) as raised:
        assess_compliance(
            AttendancePolicy(),
            [SessionRecord(week(0), U, departure=Departure.SENT_HOME)],
            COURT,
            today=week(0),
        )
    assert raised.value.field == "departure"
