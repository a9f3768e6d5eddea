"""Invariants of the compliance engine once hours, early departures, sent-home marks, leave
and competencies come in (issue 15; ``shared/research/bip_standards.md`` gaps 7 and 8).

Pure: no database, no Django settings.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from alliance.core.compliance import (
    ATTENDED_OUTCOMES,
    AttendancePolicy,
    ComplianceAssessment,
    Counted,
    EnrollmentFacts,
    SessionRecord,
    Standing,
    assess_compliance,
)
from alliance.core.vocabulary import AttendanceMark, Departure, ReferralSource
from tests.properties.strategies import FAST

START = date(2024, 1, 8)
TODAY = START + timedelta(days=200)
COMPETENCIES = ("names his controlling behaviours", "has a written safety plan", "uses time-out")

#: Worse first: a change that "never makes standing worse" keeps or raises this rank.
RANK = {Standing.IN_BREACH: 0, Standing.AT_LIMIT: 1, Standing.GOOD: 2, Standing.COMPLETED: 3}

optional_limit = st.none() | st.integers(0, 5)
policies = st.builds(
    AttendancePolicy,
    max_unexcused_absences=optional_limit,
    max_total_absences=optional_limit,
    max_excused_absences=optional_limit,
    late_minutes_as_absence=st.none() | st.integers(1, 30),
    lates_per_unexcused_absence=st.none() | st.integers(1, 4),
    makeup_sessions_allowed=st.integers(0, 2),
    reinstatements_allowed=st.integers(0, 1),
    required_core_sessions=st.frozensets(st.integers(1, 8), max_size=2),
    min_attended_sessions=st.integers(0, 20),
    max_program_days=st.none() | st.integers(1, 300),
    min_attended_hours=st.none() | st.integers(1, 40),
    left_early_minutes_as_absence=st.none() | st.integers(1, 60),
    sent_home_counts_as_attended=st.booleans(),
    leave_pauses_clock=st.booleans(),
    required_competencies=st.frozensets(st.sampled_from(COMPETENCIES), max_size=3),
)


@st.composite
def records(draw: st.DrawFn) -> SessionRecord:
    mark = draw(st.sampled_from(AttendanceMark))
    came = mark in (AttendanceMark.PRESENT, AttendanceMark.LATE)
    departure = draw(st.sampled_from(Departure)) if came else Departure.STAYED
    length = draw(st.none() | st.integers(30, 180))
    return SessionRecord(
        held_on=draw(st.dates(START, START + timedelta(days=260))),
        mark=mark,
        minutes_late=draw(st.integers(0, 40)) if mark is AttendanceMark.LATE else 0,
        curriculum_number=draw(st.none() | st.integers(1, 8)),
        is_makeup=draw(st.booleans()),
        departure=departure,
        minutes_left_early=draw(st.integers(0, 90)) if departure else 0,
        minutes_present=draw(st.none() | st.integers(0, 240)),
        session_minutes=length,
    )


records_lists = st.lists(records(), max_size=30)
leaves = st.tuples(st.dates(START, START + timedelta(days=260)), st.integers(0, 40)).map(
    lambda pair: (pair[0], pair[0] + timedelta(days=pair[1]))
)
facts_values = st.builds(
    EnrollmentFacts,
    started_on=st.just(START),
    referral_source=st.sampled_from(ReferralSource),
    reinstated_on=st.lists(st.dates(START, TODAY), max_size=1).map(tuple),
    leaves=st.lists(leaves, max_size=2).map(tuple),
    competencies_approved=st.lists(
        st.tuples(st.sampled_from(COMPETENCIES), st.dates(START, TODAY + timedelta(days=30))),
        max_size=3,
    ).map(tuple),
)


def _assess(
    policy: AttendancePolicy, rows: list[SessionRecord], facts: EnrollmentFacts
) -> ComplianceAssessment:
    return assess_compliance(policy, rows, facts, today=TODAY)


@FAST
@given(policies, records_lists, facts_values, leaves)
def test_a_leave_never_makes_standing_worse(
    policy: AttendancePolicy,
    rows: list[SessionRecord],
    facts: EnrollmentFacts,
    leave: tuple[date, date],
) -> None:
    before = _assess(policy, rows, facts)
    after = _assess(policy, rows, dataclasses.replace(facts, leaves=(*facts.leaves, leave)))

    assert RANK[after.standing] >= RANK[before.standing], (before.reasons, after.reasons)
    assert after.total_absences <= before.total_absences
    assert after.attended == before.attended
    if before.deadline is not None and after.deadline is not None:
        assert after.deadline >= before.deadline


@FAST
@given(policies, records_lists, facts_values)
def test_hours_never_exceed_the_length_of_the_sessions_counted_as_attended(
    policy: AttendancePolicy, rows: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    result = _assess(policy, rows, facts)

    # A session of unknown length is bounded by the minutes he was seen there.
    lengths = sum(
        record.session_minutes
        if record.session_minutes is not None
        else record.minutes_present or 0
        for record, outcome in zip(rows, result.outcomes, strict=True)
        if outcome in ATTENDED_OUTCOMES
    )
    assert 0 <= result.minutes_attended <= lengths
    required = (policy.min_attended_hours or 0) * 60
    assert result.minutes_still_needed == max(0, required - result.minutes_attended)


@FAST
@given(policies, records_lists, facts_values)
def test_sent_home_never_counts_as_attended_unless_the_policy_says_so(
    policy: AttendancePolicy, rows: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    result = _assess(policy, rows, facts)

    for record, outcome in zip(rows, result.outcomes, strict=True):
        if record.departure is Departure.SENT_HOME and outcome in ATTENDED_OUTCOMES:
            assert policy.sent_home_counts_as_attended
            # A make-up he was sent home from counts as the make-up it is.
            assert outcome in (Counted.SENT_HOME_ATTENDED, Counted.MAKEUP)
    strict = dataclasses.replace(policy, sent_home_counts_as_attended=False)
    assert not any(
        outcome in ATTENDED_OUTCOMES
        for record, outcome in zip(rows, _assess(strict, rows, facts).outcomes, strict=True)
        if record.departure is Departure.SENT_HOME
    )


@FAST
@given(policies, records_lists, facts_values)
def test_no_completion_while_a_required_competency_is_not_approved(
    policy: AttendancePolicy, rows: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    result = _assess(policy, rows, facts)
    approved = {name for name, on in facts.competencies_approved if on <= TODAY}

    assert set(result.competencies_missing) == set(policy.required_competencies) - approved
    if result.competencies_missing:
        assert result.standing is not Standing.COMPLETED
    codes = {action.code for action in result.actions_due}
    if "competency_review" in codes:
        assert result.standing in (Standing.GOOD, Standing.AT_LIMIT)
        assert result.competencies_missing


@FAST
@given(policies, records_lists, facts_values, st.sampled_from(COMPETENCIES))
def test_approving_a_competency_never_makes_standing_worse(
    policy: AttendancePolicy, rows: list[SessionRecord], facts: EnrollmentFacts, name: str
) -> None:
    before = _assess(policy, rows, facts)
    approved = (*facts.competencies_approved, (name, START))
    after = _assess(policy, rows, dataclasses.replace(facts, competencies_approved=approved))

    assert RANK[after.standing] >= RANK[before.standing]


@FAST
@given(policies, records_lists, facts_values)
def test_counts_still_add_up_with_the_new_marks(
    policy: AttendancePolicy, rows: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    plain = dataclasses.replace(facts, reinstated_on=())
    result = _assess(policy, rows, plain)

    counted = sum(1 for r in rows if not r.is_makeup and r.held_on <= TODAY)
    assert result.attended + result.total_absences + result.absences_on_leave == counted
    assert result.left_early + result.sent_home <= sum(1 for r in rows if r.departure)
