"""Tests for the attendance compliance engine (``alliance.core.compliance``).

Two policies shaped like the programs Alliance is built for carry the table of cases:

* a 52-week closed program for court-mandated men: 52 sessions to attend, three excused
  absences allowed, no unexcused absence at all (so a fourth excused absence, which counts
  as unexcused, is a breach), five core sessions, 18 months to finish, one reinstatement;
* a 20-session rolling group for men on probation: two unexcused absences allowed,
  arriving more than 15 minutes late counts as an absence, every three late arrivals count
  as one absence, two make-up sessions, six months to finish, one reinstatement.

Records are written as one letter a week (see `weekly`) so a row reads like an attendance
register.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.core.compliance import (
    ActionCode,
    AttendancePolicy,
    ComplianceAssessment,
    ComplianceInputError,
    EnrollmentFacts,
    PolicyError,
    RecordError,
    SessionRecord,
    Standing,
    assess_compliance,
)
from alliance.core.vocabulary import AttendanceMark, ReferralSource

START = date(2024, 1, 8)

FIFTY_TWO_WEEK = AttendancePolicy(
    max_excused_absences=3,
    max_unexcused_absences=0,
    required_core_sessions=frozenset({1, 13, 26, 39, 52}),
    min_attended_sessions=52,
    max_program_days=548,
    reinstatements_allowed=1,
)
ROLLING_TWENTY = AttendancePolicy(
    min_attended_sessions=20,
    max_unexcused_absences=2,
    late_minutes_as_absence=16,
    lates_per_unexcused_absence=3,
    makeup_sessions_allowed=2,
    max_program_days=182,
    reinstatements_allowed=1,
)
COURT = EnrollmentFacts(started_on=START, referral_source=ReferralSource.COURT)
PROBATION = EnrollmentFacts(started_on=START, referral_source=ReferralSource.PROBATION)
SELF = EnrollmentFacts(started_on=START, referral_source=ReferralSource.SELF)

_LETTERS = {
    "P": (AttendanceMark.PRESENT, 0),
    "L": (AttendanceMark.LATE, 5),
    "Q": (AttendanceMark.LATE, 15),
    "X": (AttendanceMark.LATE, 20),
    "E": (AttendanceMark.EXCUSED, 0),
    "U": (AttendanceMark.UNEXCUSED, 0),
}


def weekly(
    register: str,
    *,
    start: date = START,
    every: int = 7,
    cycle: int | None = None,
    makeup_of: tuple[int, ...] = (),
) -> list[SessionRecord]:
    """Records from a register string, one letter per week starting at ``start``.

    P present, L 5 minutes late, Q 15 minutes late, X 20 minutes late, E excused,
    U unexcused, M a make-up attended two days after that week's session (covering the
    curriculum numbers in ``makeup_of``, in order). Spaces are for reading only. Regular
    sessions are numbered 1, 2, 3... (modulo ``cycle``, as in a repeating curriculum).
    """
    records: list[SessionRecord] = []
    week = number = 0
    makeups = iter(makeup_of)
    for letter in register.replace(" ", ""):
        held_on = start + timedelta(days=week * every)
        if letter == "M":
            records.append(
                SessionRecord(
                    held_on=held_on - timedelta(days=every) + timedelta(days=2),
                    mark=AttendanceMark.PRESENT,
                    curriculum_number=next(makeups, None),
                    is_makeup=True,
                )
            )
            continue
        mark, minutes = _LETTERS[letter]
        label = number % cycle + 1 if cycle else number + 1
        records.append(SessionRecord(held_on, mark, minutes, curriculum_number=label))
        week += 1
        number += 1
    return records


def week(n: int) -> date:
    """The date of the n-th weekly session (0-based)."""
    return START + timedelta(weeks=n)


@dataclass(frozen=True)
class Case:
    name: str
    policy: AttendancePolicy
    records: list[SessionRecord]
    facts: EnrollmentFacts
    today: date
    standing: Standing
    actions: tuple[str, ...] = ()
    counts: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None


def _future(records: list[SessionRecord], after: date, register: str) -> list[SessionRecord]:
    return records + weekly(register, start=after + timedelta(days=1))


NOTICE = ActionCode.NONCOMPLIANCE_NOTICE
REVIEW = ActionCode.REINSTATEMENT_REVIEW
DURATION = ActionCode.DURATION_REVIEW
WARNING = ActionCode.WARNING_LETTER
CERTIFICATE = ActionCode.COMPLETION_CERTIFICATE

# 52-week program: 53 sessions in which session 26 was missed (excused).
_MISSED_26 = weekly("P" * 25 + "E" + "P" * 27, cycle=52)

FIFTY_TWO_WEEK_CASES = [
    Case(
        "ten sessions attended is good standing",
        FIFTY_TWO_WEEK,
        weekly("P" * 10),
        COURT,
        week(10),
        Standing.GOOD,
        counts={
            "attended": 10,
            "sessions_still_needed": 42,
            "core_sessions_missing": (13, 26, 39, 52),
        },
    ),
    Case(
        "a third excused absence reaches the limit",
        FIFTY_TWO_WEEK,
        weekly("PPEPPEPPE"),
        COURT,
        week(9),
        Standing.AT_LIMIT,
        (WARNING,),
        {"excused_absences": 3, "unexcused_absences": 0, "attended": 6},
        "3 of 3 excused absences used; further excused absences count as unexcused",
    ),
    Case(
        "a fourth excused absence counts as unexcused and breaches the mandate",
        FIFTY_TWO_WEEK,
        weekly("PEPEPEPE"),
        COURT,
        week(8),
        Standing.IN_BREACH,
        (NOTICE, REVIEW),
        {"excused_absences": 3, "unexcused_absences": 1, "excused_counted_as_unexcused": 1},
        "1 unexcused absence where none is allowed",
    ),
    Case(
        "a single unexcused absence breaches a zero-tolerance limit",
        FIFTY_TWO_WEEK,
        weekly("PPU"),
        COURT,
        week(3),
        Standing.IN_BREACH,
        (NOTICE, REVIEW),
        {"unexcused_absences": 1, "total_absences": 1},
    ),
    Case(
        "fifty-two sessions attended completes the program",
        FIFTY_TWO_WEEK,
        weekly("P" * 52),
        COURT,
        week(52),
        Standing.COMPLETED,
        (CERTIFICATE,),
        {"attended": 52, "core_sessions_missing": (), "sessions_still_needed": 0},
        "Completion requirements met: 52 sessions attended (52 required), "
        "all 5 core sessions attended",
    ),
    Case(
        "three excused absences do not stand in the way of completion",
        FIFTY_TWO_WEEK,
        weekly("PPEPPEPPE" + "P" * 46, cycle=52),
        COURT,
        week(56),
        Standing.COMPLETED,
        (CERTIFICATE,),
        {"attended": 52, "excused_absences": 3},
        "3 of 3 excused absences used; further excused absences count as unexcused",
    ),
    Case(
        "a missed core session blocks completion",
        FIFTY_TWO_WEEK,
        _MISSED_26,
        COURT,
        week(53),
        Standing.GOOD,
        counts={"attended": 52, "sessions_still_needed": 0, "core_sessions_missing": (26,)},
    ),
    Case(
        "a make-up of the missed core session completes the program",
        FIFTY_TWO_WEEK,
        [*_MISSED_26, SessionRecord(week(30), AttendanceMark.PRESENT, 0, 26, is_makeup=True)],
        COURT,
        week(53),
        Standing.COMPLETED,
        (CERTIFICATE,),
        {"core_sessions_missing": (), "makeups_used": 0},
    ),
    Case(
        "the deadline passing before completion breaches the mandate",
        FIFTY_TWO_WEEK,
        weekly("P" * 40),
        COURT,
        START + timedelta(days=549),
        Standing.IN_BREACH,
        (NOTICE, REVIEW, DURATION),
        {"deadline": START + timedelta(days=548)},
        "The deadline of 2025-07-09 passed before completion; 12 more sessions and core "
        "session 52 still needed",
    ),
    Case(
        "a deadline ten days away with sessions still needed is at the limit",
        FIFTY_TWO_WEEK,
        weekly("P" * 40),
        COURT,
        START + timedelta(days=538),
        Standing.AT_LIMIT,
        (WARNING,),
        reason="The deadline of 2025-07-09 is in 10 days; 12 more sessions and core session 52 "
        "still needed",
    ),
    Case(
        "a reinstatement clears the absences before it but keeps the sessions attended",
        FIFTY_TWO_WEEK,
        weekly("PEPEPEPE" + "PPP"),
        dataclasses.replace(COURT, reinstated_on=(week(8),)),
        week(11),
        Standing.GOOD,
        counts={
            "attended": 7,
            "excused_absences": 0,
            "unexcused_absences": 0,
            "reinstatements_left": 0,
            "absences_counted_from": week(8),
        },
    ),
    Case(
        "absences recorded after today are ignored",
        FIFTY_TWO_WEEK,
        _future(weekly("P" * 10), week(10), "EEEE"),
        COURT,
        week(10),
        Standing.GOOD,
        counts={"attended": 10, "total_absences": 0},
    ),
    Case(
        "records in reverse order give the same standing",
        FIFTY_TWO_WEEK,
        weekly("PPEPPEPPE")[::-1],
        COURT,
        week(9),
        Standing.AT_LIMIT,
        (WARNING,),
        {"excused_absences": 3, "attended": 6},
    ),
]

ROLLING_TWENTY_CASES = [
    Case(
        "five sessions attended is good standing",
        ROLLING_TWENTY,
        weekly("PPPPP"),
        PROBATION,
        week(5),
        Standing.GOOD,
        counts={"attended": 5, "sessions_still_needed": 15, "deadline": START + timedelta(182)},
    ),
    Case(
        "a second unexcused absence reaches a two-absence limit",
        ROLLING_TWENTY,
        weekly("PUPPU"),
        PROBATION,
        week(5),
        Standing.AT_LIMIT,
        (WARNING,),
        {"unexcused_absences": 2, "attended": 3},
        "2 of 2 unexcused absences used",
    ),
    Case(
        "a third unexcused absence breaches a two-absence limit",
        ROLLING_TWENTY,
        weekly("PUPUPU"),
        PROBATION,
        week(6),
        Standing.IN_BREACH,
        (NOTICE, REVIEW),
        {"unexcused_absences": 3},
        "3 unexcused absences exceed the limit of 2",
    ),
    Case(
        "arriving twenty minutes late counts as an unexcused absence",
        ROLLING_TWENTY,
        weekly("PUPX"),
        PROBATION,
        week(4),
        Standing.AT_LIMIT,
        (WARNING,),
        {"unexcused_absences": 2, "lates": 0, "late_arrivals_counted_as_absences": 1},
    ),
    Case(
        "arriving fifteen minutes late still counts as attending",
        ROLLING_TWENTY,
        weekly("PUQ"),
        PROBATION,
        week(3),
        Standing.GOOD,
        counts={"attended": 2, "lates": 1, "unexcused_absences": 1},
    ),
    Case(
        "three late arrivals count as one unexcused absence",
        ROLLING_TWENTY,
        weekly("LULPL"),
        PROBATION,
        week(5),
        Standing.AT_LIMIT,
        (WARNING,),
        {"lates": 3, "unexcused_absences": 2, "attended": 3},
    ),
    Case(
        "two late arrivals do not count as an absence",
        ROLLING_TWENTY,
        weekly("LLP"),
        PROBATION,
        week(3),
        Standing.GOOD,
        counts={"lates": 2, "unexcused_absences": 0, "attended": 3},
    ),
    Case(
        "a make-up session cancels an unexcused absence",
        ROLLING_TWENTY,
        weekly("PUUUM"),
        PROBATION,
        week(4),
        Standing.AT_LIMIT,
        (WARNING,),
        {"unexcused_absences": 2, "makeups_used": 1, "attended": 2},
    ),
    Case(
        "only two make-up sessions cancel absences",
        ROLLING_TWENTY,
        weekly("UUUUMMM"),
        PROBATION,
        week(4),
        Standing.AT_LIMIT,
        (WARNING,),
        {"unexcused_absences": 2, "makeups_used": 2, "attended": 2},
    ),
    Case(
        "a make-up session with no absence to recover does not add to attendance",
        ROLLING_TWENTY,
        weekly("PPM"),
        PROBATION,
        week(2),
        Standing.GOOD,
        counts={"attended": 2, "makeups_used": 0},
    ),
    Case(
        "make-ups cancel unexcused absences before excused ones",
        dataclasses.replace(ROLLING_TWENTY, max_total_absences=3),
        weekly("EEUUMP"),
        PROBATION,
        week(5),
        Standing.AT_LIMIT,
        (WARNING,),
        {"unexcused_absences": 1, "excused_absences": 2, "total_absences": 3},
        "3 of 3 absences (excused or unexcused) used",
    ),
    Case(
        "twenty sessions attended completes the group with a notice to probation",
        ROLLING_TWENTY,
        weekly("P" * 20),
        PROBATION,
        week(20),
        Standing.COMPLETED,
        (CERTIFICATE,),
        {"attended": 20, "sessions_still_needed": 0},
    ),
    Case(
        "two make-ups bring eighteen sessions up to completion",
        ROLLING_TWENTY,
        weekly("P" * 9 + "UM" + "P" * 9 + "UM"),
        PROBATION,
        week(20),
        Standing.COMPLETED,
        (CERTIFICATE,),
        {"attended": 20, "unexcused_absences": 0, "makeups_used": 2},
    ),
    Case(
        "a breach is not a completion even with twenty sessions attended",
        ROLLING_TWENTY,
        weekly("P" * 20 + "UUU"),
        PROBATION,
        week(23),
        Standing.IN_BREACH,
        (NOTICE, REVIEW),
        {"attended": 20, "unexcused_absences": 3},
    ),
    Case(
        "a reinstatement clears the unexcused absences before it",
        ROLLING_TWENTY,
        weekly("PUUU" + "PP"),
        dataclasses.replace(PROBATION, reinstated_on=(week(4),)),
        week(6),
        Standing.GOOD,
        counts={"unexcused_absences": 0, "attended": 3, "reinstatements_left": 0},
    ),
    Case(
        "late arrivals before a reinstatement no longer add up to an absence",
        ROLLING_TWENTY,
        weekly("LL" + "L"),
        dataclasses.replace(PROBATION, reinstated_on=(week(2),)),
        week(3),
        Standing.GOOD,
        counts={"lates": 1, "attended": 3, "unexcused_absences": 0},
    ),
    Case(
        "a reinstatement that does not reset absences leaves him in breach",
        dataclasses.replace(ROLLING_TWENTY, reinstatement_resets_absences=False),
        weekly("PUUU" + "PP"),
        dataclasses.replace(PROBATION, reinstated_on=(week(4),)),
        week(6),
        Standing.IN_BREACH,
        (NOTICE,),
        {"unexcused_absences": 3, "reinstatements_left": 0, "absences_counted_from": None},
    ),
    Case(
        "a breach after the last reinstatement brings no reinstatement review",
        ROLLING_TWENTY,
        weekly("PUUU" + "UUU"),
        dataclasses.replace(PROBATION, reinstated_on=(week(4),)),
        week(7),
        Standing.IN_BREACH,
        (NOTICE,),
        {"unexcused_absences": 3},
    ),
    Case(
        "a reinstatement dated after today does not reset anything yet",
        ROLLING_TWENTY,
        weekly("PUUU"),
        dataclasses.replace(PROBATION, reinstated_on=(week(6),)),
        week(4),
        Standing.IN_BREACH,
        (NOTICE, REVIEW),
        {"reinstatements_left": 1},
    ),
    Case(
        "a self-referred man in breach gets a review but no notice to anyone",
        ROLLING_TWENTY,
        weekly("UUU"),
        SELF,
        week(3),
        Standing.IN_BREACH,
        (REVIEW,),
    ),
    Case(
        "the deadline passing with sessions still needed breaches the mandate",
        ROLLING_TWENTY,
        weekly("P" * 15),
        PROBATION,
        START + timedelta(days=190),
        Standing.IN_BREACH,
        (NOTICE, REVIEW, DURATION),
        {"sessions_still_needed": 5},
    ),
    Case(
        "a completion before the deadline still stands after it",
        ROLLING_TWENTY,
        weekly("P" * 20),
        PROBATION,
        START + timedelta(days=400),
        Standing.COMPLETED,
        (CERTIFICATE,),
    ),
    Case(
        "requirements met only after the deadline are a breach",
        ROLLING_TWENTY,
        weekly("P" * 20, every=14),
        PROBATION,
        START + timedelta(days=300),
        Standing.IN_BREACH,
        (NOTICE, REVIEW, DURATION),
        {"attended": 20},
        "Requirements were met only after the deadline of 2024-07-08",
    ),
    Case(
        "an absence recorded after today is ignored",
        ROLLING_TWENTY,
        _future(weekly("PUU"), week(3), "U"),
        PROBATION,
        week(3),
        Standing.AT_LIMIT,
        (WARNING,),
        {"unexcused_absences": 2},
    ),
    Case(
        "records in any order give the same standing",
        ROLLING_TWENTY,
        [weekly("LULPLM")[i] for i in (3, 5, 0, 4, 1, 2)],
        PROBATION,
        week(5),
        Standing.GOOD,
        (),
        {"lates": 3, "unexcused_absences": 1, "makeups_used": 1, "attended": 4},
    ),
]


@pytest.mark.parametrize(
    "case", FIFTY_TWO_WEEK_CASES + ROLLING_TWENTY_CASES, ids=lambda case: case.name
)
def test_each_case_in_the_table_gets_its_standing_actions_and_counts(case: Case) -> None:
    result = assess_compliance(case.policy, case.records, case.facts, today=case.today)

    assert result.standing == case.standing, result.reasons
    assert tuple(action.code for action in result.actions_due) == case.actions
    for name, expected in case.counts.items():
        assert getattr(result, name) == expected, name
    if case.reason is not None:
        assert case.reason in result.reasons


def test_the_rolling_group_worked_example_in_the_manager_guide_holds() -> None:
    # docs/compliance.md, "A 20-session rolling group, referred by probation".
    register = "PLPUL PXPLM"
    at_eleven = assess_compliance(ROLLING_TWENTY, weekly(register), PROBATION, today=week(10))
    missed = assess_compliance(ROLLING_TWENTY, weekly(register + "PU"), PROBATION, today=week(11))
    made_up = assess_compliance(ROLLING_TWENTY, weekly(register + "PUM"), PROBATION, today=week(11))
    done = assess_compliance(
        ROLLING_TWENTY, weekly(register + "PPPPP PPPPP PPP"), PROBATION, today=week(23)
    )

    assert (at_eleven.standing, at_eleven.attended, at_eleven.unexcused_absences) == (
        Standing.AT_LIMIT,
        7,
        2,
    )
    assert at_eleven.notes == (
        "1 late arrival of 16 minutes or more counted as unexcused",
        "3 late arrivals counted as 1 unexcused absence (every 3)",
        "1 of 2 make-up sessions used",
    )
    assert missed.reasons == ("3 unexcused absences exceed the limit of 2",)
    assert (made_up.standing, made_up.makeups_used) == (Standing.AT_LIMIT, 2)
    assert done.standing is Standing.COMPLETED
    assert done.actions_due[0].label == (
        "Completion certificate due, with a completion notice to probation"
    )


def test_the_court_program_worked_example_in_the_manager_guide_holds() -> None:
    # docs/compliance.md, "A 52-week court-mandated program".
    register = "PPPPE PPPPP PEPPP PPPPE"
    reinstated = dataclasses.replace(COURT, reinstated_on=(date(2024, 6, 17),))
    limit = assess_compliance(FIFTY_TWO_WEEK, weekly(register), COURT, today=week(20))
    breach = assess_compliance(FIFTY_TWO_WEEK, weekly(register + "PPE"), COURT, today=week(23))
    back = assess_compliance(
        FIFTY_TWO_WEEK, weekly(register + "PPE PPPPP"), reinstated, today=week(28)
    )

    assert (limit.standing, limit.attended, limit.sessions_still_needed) == (
        Standing.AT_LIMIT,
        17,
        35,
    )
    assert limit.core_sessions_missing == (26, 39, 52)
    assert [a.label for a in breach.actions_due] == [
        "Non-compliance notice to the court due",
        "Reinstatement review due (1 reinstatement left)",
    ]
    assert (back.standing, back.attended, back.total_absences) == (Standing.GOOD, 24, 0)


def test_notices_and_certificates_for_mandated_men_go_to_the_referral_source() -> None:
    breach = assess_compliance(ROLLING_TWENTY, weekly("UUU"), PROBATION, today=week(3))
    done = assess_compliance(FIFTY_TWO_WEEK, weekly("P" * 52), COURT, today=week(52))

    notice = breach.actions_due[0]
    assert (notice.code, notice.recipient) == ("noncompliance_notice", "probation")
    assert notice.label == "Non-compliance notice to probation due"
    assert done.actions_due[0].recipient == "court"
    assert "completion notice to the court" in done.actions_due[0].label


def test_a_self_referred_completion_certificate_has_no_recipient() -> None:
    result = assess_compliance(ROLLING_TWENTY, weekly("P" * 20), SELF, today=week(20))

    assert [(a.code, a.recipient) for a in result.actions_due] == [("completion_certificate", None)]


def test_a_zero_limit_with_no_absences_is_not_at_the_limit() -> None:
    result = assess_compliance(FIFTY_TWO_WEEK, weekly("PPP"), COURT, today=week(3))

    assert result.standing is Standing.GOOD
    assert result.reasons == ()


def test_completion_needs_at_least_one_attended_session() -> None:
    empty = AttendancePolicy()

    assert assess_compliance(empty, [], SELF, today=week(1)).standing is Standing.GOOD
    assert assess_compliance(empty, weekly("E"), SELF, today=week(1)).standing is Standing.GOOD
    assert assess_compliance(empty, weekly("P"), SELF, today=week(1)).standing is Standing.COMPLETED


def test_notes_explain_the_conversions_behind_the_counts() -> None:
    result = assess_compliance(ROLLING_TWENTY, weekly("LLLXUM"), PROBATION, today=week(5))

    assert result.notes == (
        "1 late arrival of 16 minutes or more counted as unexcused",
        "3 late arrivals counted as 1 unexcused absence (every 3)",
        "1 of 2 make-up sessions used",
    )


@pytest.mark.parametrize(
    ("changes", "field_name"),
    [
        ({"max_unexcused_absences": -1}, "max_unexcused_absences"),
        ({"max_total_absences": -1}, "max_total_absences"),
        ({"max_excused_absences": -2}, "max_excused_absences"),
        ({"late_minutes_as_absence": 0}, "late_minutes_as_absence"),
        ({"lates_per_unexcused_absence": 0}, "lates_per_unexcused_absence"),
        ({"makeup_sessions_allowed": -1}, "makeup_sessions_allowed"),
        ({"reinstatements_allowed": -1}, "reinstatements_allowed"),
        ({"min_attended_sessions": -20}, "min_attended_sessions"),
        ({"max_program_days": 0}, "max_program_days"),
        ({"deadline_warning_days": -14}, "deadline_warning_days"),
        ({"max_unexcused_absences": True}, "max_unexcused_absences"),
        ({"max_program_days": 180.5}, "max_program_days"),
        ({"makeup_sessions_allowed": None}, "makeup_sessions_allowed"),
        ({"reinstatement_resets_absences": "yes"}, "reinstatement_resets_absences"),
        ({"required_core_sessions": frozenset({0, 5})}, "required_core_sessions"),
        ({"required_core_sessions": {1, 5}}, "required_core_sessions"),
    ],
    ids=lambda value: str(value),
)
def test_a_bad_policy_is_rejected_naming_the_field(
    changes: dict[str, Any], field_name: str
) -> None:
    policy = dataclasses.replace(ROLLING_TWENTY, **changes)

    with pytest.raises(PolicyError) as raised:
        policy.validate()
    with pytest.raises(PolicyError):
        assess_compliance(policy, [], PROBATION, today=START)
    assert raised.value.field == field_name
    assert str(raised.value).startswith(f"{field_name}: ")


def test_zero_limits_are_valid_rules() -> None:
    AttendancePolicy(
        max_unexcused_absences=0, max_total_absences=0, max_excused_absences=0
    ).validate()


def test_a_record_with_negative_minutes_late_is_rejected_naming_the_row() -> None:
    records = [*weekly("PP"), SessionRecord(week(2), AttendanceMark.LATE, minutes_late=-5)]

    with pytest.raises(RecordError) as raised:
        assess_compliance(ROLLING_TWENTY, records, PROBATION, today=week(3))
    assert (raised.value.field, raised.value.index) == ("minutes_late", 2)


def test_a_record_with_an_unknown_mark_is_rejected() -> None:
    records = [SessionRecord(week(0), "asleep")]  # type: ignore[arg-type]

    with pytest.raises(RecordError, match="mark"):
        assess_compliance(ROLLING_TWENTY, records, PROBATION, today=week(1))


def test_reinstatements_out_of_order_are_rejected() -> None:
    facts = dataclasses.replace(PROBATION, reinstated_on=(week(5), week(2)))

    with pytest.raises(ComplianceInputError) as raised:
        assess_compliance(ROLLING_TWENTY, [], facts, today=week(6))
    assert raised.value.field == "reinstated_on"


# Property tests. ---------------------------------------------------------------------------

TODAY = START + timedelta(days=200)

optional_limit = st.none() | st.integers(0, 6)
policies = st.builds(
    AttendancePolicy,
    max_unexcused_absences=optional_limit,
    max_total_absences=optional_limit,
    max_excused_absences=optional_limit,
    late_minutes_as_absence=st.none() | st.integers(1, 30),
    lates_per_unexcused_absence=st.none() | st.integers(1, 4),
    makeup_sessions_allowed=st.integers(0, 3),
    reinstatements_allowed=st.integers(0, 2),
    reinstatement_resets_absences=st.booleans(),
    required_core_sessions=st.frozensets(st.integers(1, 12), max_size=3),
    min_attended_sessions=st.integers(0, 25),
    max_program_days=st.none() | st.integers(1, 400),
)
records_lists = st.lists(
    st.builds(
        SessionRecord,
        held_on=st.dates(START, START + timedelta(days=300)),
        mark=st.sampled_from(AttendanceMark),
        minutes_late=st.integers(0, 40),
        curriculum_number=st.none() | st.integers(1, 12),
        is_makeup=st.booleans(),
    ),
    max_size=40,
)
facts_values = st.builds(
    EnrollmentFacts,
    started_on=st.just(START),
    referral_source=st.sampled_from(ReferralSource),
    reinstated_on=st.lists(st.dates(START, START + timedelta(days=300)), max_size=2).map(
        lambda dates: tuple(sorted(dates))
    ),
)


def _assess(
    policy: AttendancePolicy, records: list[SessionRecord], facts: EnrollmentFacts
) -> ComplianceAssessment:
    return assess_compliance(policy, records, facts, today=TODAY)


@settings(max_examples=150, deadline=None)
@given(policies, records_lists, facts_values)
def test_counts_are_never_negative_and_add_up(
    policy: AttendancePolicy, records: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    result = _assess(policy, records, facts)

    for name in ("attended", "unexcused_absences", "excused_absences", "lates", "makeups_used"):
        assert getattr(result, name) >= 0, name
    assert result.total_absences == result.unexcused_absences + result.excused_absences
    assert result.sessions_still_needed == max(0, policy.min_attended_sessions - result.attended)
    assert result.makeups_used <= policy.makeup_sessions_allowed
    assert 0 <= result.reinstatements_left <= policy.reinstatements_allowed
    if policy.max_excused_absences is not None:
        assert result.excused_absences <= policy.max_excused_absences


@settings(max_examples=150, deadline=None)
@given(
    policies, records_lists, facts_values.map(lambda f: dataclasses.replace(f, reinstated_on=()))
)
def test_without_reinstatements_every_session_counted_is_attended_or_an_absence(
    policy: AttendancePolicy, records: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    result = _assess(policy, records, facts)

    counted = sum(1 for r in records if not r.is_makeup and r.held_on <= TODAY)
    assert result.attended + result.total_absences == counted


@settings(max_examples=100, deadline=None)
@given(policies, records_lists, facts_values, st.randoms(use_true_random=False))
def test_the_order_of_the_records_does_not_matter(
    policy: AttendancePolicy,
    records: list[SessionRecord],
    facts: EnrollmentFacts,
    random: Any,
) -> None:
    shuffled = list(records)
    random.shuffle(shuffled)

    assert _assess(policy, shuffled, facts) == _assess(policy, records, facts)


@settings(max_examples=100, deadline=None)
@given(policies, records_lists, facts_values, records_lists)
def test_records_after_today_change_nothing(
    policy: AttendancePolicy,
    records: list[SessionRecord],
    facts: EnrollmentFacts,
    later: list[SessionRecord],
) -> None:
    future = [dataclasses.replace(r, held_on=r.held_on + timedelta(days=201)) for r in later]

    assert _assess(policy, records + future, facts) == _assess(policy, records, facts)


@settings(max_examples=150, deadline=None)
@given(policies, records_lists, facts_values)
def test_attending_one_more_session_never_turns_good_standing_into_a_breach(
    policy: AttendancePolicy, records: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    before = _assess(policy, records, facts)
    after = _assess(policy, [*records, SessionRecord(TODAY, AttendanceMark.PRESENT)], facts)

    if before.standing is Standing.GOOD:
        assert after.standing is not Standing.IN_BREACH
    assert after.attended >= before.attended


@settings(max_examples=150, deadline=None)
@given(policies, records_lists, facts_values)
def test_missing_one_more_session_never_lifts_a_breach(
    policy: AttendancePolicy, records: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    before = _assess(policy, records, facts)
    after = _assess(policy, [*records, SessionRecord(TODAY, AttendanceMark.UNEXCUSED)], facts)

    if before.standing is Standing.IN_BREACH:
        assert after.standing is Standing.IN_BREACH
    assert after.total_absences >= before.total_absences


@settings(max_examples=150, deadline=None)
@given(policies, records_lists, facts_values)
def test_actions_follow_from_the_standing(
    policy: AttendancePolicy, records: list[SessionRecord], facts: EnrollmentFacts
) -> None:
    result = _assess(policy, records, facts)
    codes = {action.code for action in result.actions_due}

    assert ("warning_letter" in codes) == (result.standing is Standing.AT_LIMIT)
    assert ("completion_certificate" in codes) == (result.standing is Standing.COMPLETED)
    mandated_breach = result.standing is Standing.IN_BREACH and facts.referral_source in {
        ReferralSource.COURT,
        ReferralSource.PROBATION,
        ReferralSource.CHILD_PROTECTION,
    }
    assert ("noncompliance_notice" in codes) == mandated_breach
    if result.standing in (Standing.GOOD, Standing.AT_LIMIT):
        assert not any(
            "exceed" in reason or "none is allowed" in reason for reason in result.reasons
        )
