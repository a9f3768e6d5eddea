"""One definition of attendance counts: the engine decides what each session counts as, and
its figures are the sums of those outcomes, so a per-session table and the compliance figures
cannot disagree. Pure: no Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings

from alliance.core.compliance import (
    AttendancePolicy,
    Counted,
    EnrollmentFacts,
    SessionCounts,
    SessionRecord,
    assess_compliance,
    count_outcomes,
    counted_at_session,
)
from alliance.core.vocabulary import AttendanceMark, ReferralSource
from tests.core.test_compliance import facts_values, policies, records_lists

P, L, E, U = (
    AttendanceMark.PRESENT,
    AttendanceMark.LATE,
    AttendanceMark.EXCUSED,
    AttendanceMark.UNEXCUSED,
)
START = date(2025, 1, 6)
TODAY = date(2025, 3, 10)
FACTS = EnrollmentFacts(started_on=START, referral_source=ReferralSource.COURT)
POLICY = AttendancePolicy(
    max_unexcused_absences=5,
    max_excused_absences=3,
    late_minutes_as_absence=30,
    makeup_sessions_allowed=1,
    min_attended_sessions=20,
)


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def records(*marks: tuple[AttendanceMark, int] | AttendanceMark) -> list[SessionRecord]:
    out = []
    for n, item in enumerate(marks):
        mark, minutes = item if isinstance(item, tuple) else (item, 0)
        out.append(SessionRecord(week(n), mark, minutes))
    return out


CASES = {
    "35 minutes late under a 30-minute rule": (
        records(P, P, P, P, P, P, P, P, (L, 35)),
        SessionCounts(attended=8, unexcused=1),
        Counted.LATE_AS_ABSENCE,
    ),
    "late by less than the rule": (
        records(P, (L, 15)),
        SessionCounts(attended=2, late=1),
        Counted.ATTENDED_LATE,
    ),
    "a make-up cancels an unexcused absence": (
        [*records(P, U, P), SessionRecord(week(1) + timedelta(days=2), P, is_makeup=True)],
        SessionCounts(attended=3, made_up=1),
        Counted.MAKEUP,
    ),
    "an excused absence": (
        records(P, E, P),
        SessionCounts(attended=2, excused=1),
        Counted.EXCUSED,
    ),
    "a cancelled session counts for nothing": (
        [*records(P, P), SessionRecord(week(2), P, cancelled=True)],
        SessionCounts(attended=2, cancelled=1),
        Counted.CANCELLED,
    ),
    "unexcused absences": (
        records(P, U, U),
        SessionCounts(attended=1, unexcused=2),
        Counted.UNEXCUSED,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_counts_the_same_per_session_and_in_total(case: str) -> None:
    given_records, expected, outcome = CASES[case]
    assessment = assess_compliance(POLICY, given_records, FACTS, today=TODAY)

    assert count_outcomes(assessment.outcomes) == expected
    assert assessment.attended == expected.attended
    assert assessment.unexcused_absences == expected.unexcused
    assert assessment.excused_absences == expected.excused
    assert outcome in assessment.outcomes


def test_the_made_up_absence_is_the_one_the_make_up_cancels() -> None:
    given_records, _, _ = CASES["a make-up cancels an unexcused absence"]
    outcomes = assess_compliance(POLICY, given_records, FACTS, today=TODAY).outcomes
    assert outcomes == (Counted.ATTENDED, Counted.MADE_UP, Counted.ATTENDED, Counted.MAKEUP)


def test_every_nth_late_arrival_and_excess_excused_absences_are_marked_on_their_session() -> None:
    policy = AttendancePolicy(lates_per_unexcused_absence=2, max_excused_absences=1)
    given_records = records((L, 5), (L, 5), E, E, (L, 5))
    outcomes = assess_compliance(policy, given_records, FACTS, today=TODAY).outcomes
    assert outcomes == (
        Counted.ATTENDED_LATE,
        Counted.LATE_COUNTED_AS_ABSENCE,
        Counted.EXCUSED,
        Counted.EXCUSED_AS_UNEXCUSED,
        Counted.ATTENDED_LATE,
    )
    assert count_outcomes(outcomes) == SessionCounts(attended=2, late=2, excused=1, unexcused=2)


def test_absences_before_a_reinstatement_and_records_after_today_are_not_counted() -> None:
    facts = EnrollmentFacts(START, ReferralSource.COURT, reinstated_on=(week(2),))
    given_records = [*records(U, P, P), SessionRecord(TODAY + timedelta(days=7), U)]
    assessment = assess_compliance(AttendancePolicy(), given_records, facts, today=TODAY)
    assert assessment.outcomes == (
        Counted.BEFORE_REINSTATEMENT,
        Counted.ATTENDED,
        Counted.ATTENDED,
        Counted.AFTER_TODAY,
    )


def test_the_session_level_rule_is_the_first_step_of_the_mans_count() -> None:
    assert counted_at_session(L, 35, POLICY) is Counted.LATE_AS_ABSENCE
    assert counted_at_session(L, 29, POLICY) is Counted.ATTENDED_LATE
    assert counted_at_session(P, 0, POLICY, cancelled=True) is Counted.CANCELLED
    assert counted_at_session(L, 300, AttendancePolicy()) is Counted.ATTENDED_LATE


@settings(max_examples=300, deadline=None)
@given(policies, records_lists, facts_values)
def test_the_figures_are_always_the_sums_of_the_outcomes(policy, given_records, facts) -> None:
    assessment = assess_compliance(policy, given_records, facts, today=TODAY)
    counts = count_outcomes(assessment.outcomes)

    assert len(assessment.outcomes) == len(given_records)
    assert counts.attended == assessment.attended
    assert counts.unexcused == assessment.unexcused_absences
    assert counts.excused == assessment.excused_absences
    assert sum(o is Counted.MAKEUP for o in assessment.outcomes) == assessment.makeups_used
