"""Attendance compliance: good standing, at the limit, in breach, or completed.

Programs for men who have used violence hold them to attendance rules, and mandated men
(court, probation, child protection) answer to their referral agency for those rules. The
engine turns a program's written policy and a man's attendance marks into one standing,
the plain-language reasons for it and the letters or reviews that are now due, so that the
same rule is applied to every man and a facilitator can explain it to him in one sentence.

The counting rules, in the order they are applied:

1. Records dated after ``today`` are ignored; records may arrive in any order. A record of a
   cancelled session counts for nothing.
2. If ``reinstatement_resets_absences`` and he has been reinstated (on or before
   ``today``), absences and late arrivals held before the latest reinstatement no longer
   count. Sessions he attended before it still count as attended and still cover core
   sessions; make-ups attended before it still count (and still use the allowance).
3. A late arrival of ``late_minutes_as_absence`` minutes or more is an unexcused absence.
4. Every ``lates_per_unexcused_absence``-th remaining late arrival is an unexcused absence;
   the other late arrivals stay attended sessions.
5. Excused absences beyond ``max_excused_absences`` count as unexcused.
6. Make-ups, up to ``makeup_sessions_allowed`` over the whole enrollment, cancel absences,
   unexcused first. A make-up that cancels an absence counts as an attended session.

Session-level facts (issue 15; ``shared/research/bip_standards.md`` gap 8) come in before
rule 3, at the man's own session:

* *Sent home* (intoxicated, disruptive) is an unexcused absence unless the policy says
  ``sent_home_counts_as_attended``; the standards review lists it as unexcused (gap 8).
* *Left early* counts as attended unless he left ``left_early_minutes_as_absence`` minutes or
  more before the end, the mirror of rule 3. No standard in the review sets a rule for it, so
  the default is the program's choice left open (the hours he was there still show it).
* An absence (excused or unexcused) during an approved leave of absence counts for nothing
  when ``leave_pauses_clock`` is on, and the leave's days push the deadline back (WAC
  388-60B-0420(4): breaks in treatment with a supervisor's approval).
* Hours are the minutes of the sessions that count as attended, each capped at the
  session's length; ``min_attended_hours`` is a requirement beside (or, with
  ``min_attended_sessions`` at 0, instead of) the session count.
* ``required_competencies`` must all be approved (on or before the day assessed, and by the
  deadline) for completion: WA and Colorado complete men on demonstrated competencies, not
  attendance alone (gap 7). With attendance complete and competencies missing he stays in
  good standing with a competency review due.

Standing is then decided in this order: IN_BREACH if any count exceeds its limit or the
deadline passed without completion; COMPLETED if he attended at least
``min_attended_sessions`` sessions (and at least one), every required core session, and
met both by the deadline; AT_LIMIT if any count equals its (non-zero) limit, or the
deadline is within ``deadline_warning_days`` and he still needs sessions; otherwise GOOD.

The engine is also the one place that decides what each session counts as (`Counted`, in
``ComplianceAssessment.outcomes``); the counts are the sums of those outcomes, and every
document, roster, dashboard and export reads them rather than counting marks itself.

The module is pure (no Django, no I/O) so the web application, the report generator and
the simulator apply exactly the same rules; ``docs/compliance.md`` explains them to program
managers with worked examples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from alliance.core.vocabulary import MANDATED_SOURCES, AttendanceMark, Departure, ReferralSource

__all__ = [
    "ATTENDED_OUTCOMES",
    "COUNTED_LABELS",
    "EXCUSED_OUTCOMES",
    "IN_THE_ROOM",
    "STANDING_LABELS",
    "UNEXCUSED_OUTCOMES",
    "ActionCode",
    "AttendancePolicy",
    "ComplianceAssessment",
    "ComplianceInputError",
    "Counted",
    "Departure",
    "DueAction",
    "EnrollmentFacts",
    "PolicyError",
    "RecordError",
    "SessionCounts",
    "SessionRecord",
    "Standing",
    "assess_compliance",
    "count_outcomes",
    "counted_at_session",
]


class Standing(StrEnum):
    GOOD = "good_standing"
    AT_LIMIT = "at_limit"
    IN_BREACH = "in_breach"
    COMPLETED = "completed"


#: His standing in words, the one label every page and document uses. "Completed" is not a
#: standing word: a man whose standing is ``completed`` is often still active (he has met the
#: completion criteria and awaits his exit), and "Active · Completed" read as a contradiction
#: (usability finding D30).
STANDING_LABELS: dict[str, str] = {
    Standing.GOOD: "Good standing",
    Standing.AT_LIMIT: "At limit",
    Standing.IN_BREACH: "In breach",
    Standing.COMPLETED: "Criteria met",
}


class ActionCode(StrEnum):
    """Stable machine codes of the actions an assessment can make due.

    They are strings, so ``DueAction.code == "warning_letter"`` works for callers that
    store or compare plain text.
    """

    NONCOMPLIANCE_NOTICE = "noncompliance_notice"
    REINSTATEMENT_REVIEW = "reinstatement_review"
    DURATION_REVIEW = "duration_review"
    WARNING_LETTER = "warning_letter"
    COMPLETION_CERTIFICATE = "completion_certificate"
    COMPETENCY_REVIEW = "competency_review"


class ComplianceInputError(ValueError):
    """Bad input to the engine; ``field`` names the offending field.

    The message starts with the field name so that a form or an import report can show it
    next to the right input without parsing.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PolicyError(ComplianceInputError):
    """An attendance policy that cannot be applied as written."""


class RecordError(ComplianceInputError):
    """A session record that cannot be counted; ``index`` is its position in the input."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(field, f"{message} (record {index})")
        self.index = index


@dataclass(frozen=True)
class AttendancePolicy:
    """A program's attendance rules. Every limit is optional; ``None`` means no limit.

    Parameters
    ----------
    max_unexcused_absences
        Unexcused absences allowed; one more is a breach. 0 means none allowed.
    max_total_absences
        Absences of either kind allowed, counted after make-ups.
    max_excused_absences
        Excused absences allowed; further excused absences count as unexcused, because
        most mandated programs allow a few absences "with good cause" and no more.
    late_minutes_as_absence
        Arriving this many minutes late or later counts as an unexcused absence: he missed
        too much of the session for it to count.
    lates_per_unexcused_absence
        Every N-th late arrival (not already an absence) counts as an unexcused absence.
    makeup_sessions_allowed
        Make-up sessions that may cancel an absence over the whole enrollment.
    reinstatements_allowed
        How many times he may be reinstated after a breach.
    reinstatement_resets_absences
        After a reinstatement, absences before it no longer count; attended sessions do.
    required_core_sessions
        Curriculum session numbers he must attend (a make-up of that number counts).
    min_attended_sessions
        Sessions he must attend to complete.
    max_program_days
        Days from the start by which he must complete.
    deadline_warning_days
        How close the deadline must be, with sessions still needed, to put him at the limit.
    min_attended_hours
        Hours of attended sessions he must have to complete (``None``: no hours rule).
    left_early_minutes_as_absence
        Leaving this many minutes or more before the end counts as an unexcused absence.
    sent_home_counts_as_attended
        A man sent home still counts as attending (off by default: unexcused).
    leave_pauses_clock
        Absences during an approved leave count for nothing and the leave pushes the
        deadline back by its days.
    required_competencies
        Names of the competencies that must be approved before completion.
    """

    max_unexcused_absences: int | None = None
    max_total_absences: int | None = None
    max_excused_absences: int | None = None
    late_minutes_as_absence: int | None = None
    lates_per_unexcused_absence: int | None = None
    makeup_sessions_allowed: int = 0
    reinstatements_allowed: int = 0
    reinstatement_resets_absences: bool = True
    required_core_sessions: frozenset[int] = frozenset()
    min_attended_sessions: int = 0
    max_program_days: int | None = None
    deadline_warning_days: int = 14
    min_attended_hours: int | None = None
    left_early_minutes_as_absence: int | None = None
    sent_home_counts_as_attended: bool = False
    leave_pauses_clock: bool = True
    required_competencies: frozenset[str] = frozenset()

    def validate(self) -> None:
        """Raise `PolicyError` naming the first field that cannot be applied as written.

        Checked here, once, rather than while counting, so that a program manager sees the
        mistake when saving the policy and not when a notice goes out.
        """
        # Runs once per assessment, so it is written for speed: attribute reads and
        # ``type(...) is int`` (which also rejects bool, almost always a parsing mistake).
        for name, value, least, optional in (
            ("max_unexcused_absences", self.max_unexcused_absences, 0, True),
            ("max_total_absences", self.max_total_absences, 0, True),
            ("max_excused_absences", self.max_excused_absences, 0, True),
            # 0 has no sensible meaning for these: a zero-minute threshold would turn every
            # late mark into an absence, "every 0 lates" divides by zero, and a zero-day
            # program can never be completed.
            ("late_minutes_as_absence", self.late_minutes_as_absence, 1, True),
            ("lates_per_unexcused_absence", self.lates_per_unexcused_absence, 1, True),
            ("max_program_days", self.max_program_days, 1, True),
            ("min_attended_hours", self.min_attended_hours, 1, True),
            ("left_early_minutes_as_absence", self.left_early_minutes_as_absence, 1, True),
            ("makeup_sessions_allowed", self.makeup_sessions_allowed, 0, False),
            ("reinstatements_allowed", self.reinstatements_allowed, 0, False),
            ("min_attended_sessions", self.min_attended_sessions, 0, False),
            ("deadline_warning_days", self.deadline_warning_days, 0, False),
        ):
            if value is None and optional:
                continue
            if type(value) is not int:
                raise PolicyError(name, f"must be a whole number, got {value!r}")
            if value < least:
                rule = "must not be negative" if least == 0 else "must be at least 1"
                if optional and least == 1:
                    rule += " (leave empty for no rule)"
                raise PolicyError(name, f"{rule}, got {value}")
        for flag in (
            "reinstatement_resets_absences",
            "sent_home_counts_as_attended",
            "leave_pauses_clock",
        ):
            if not isinstance(getattr(self, flag), bool):
                raise PolicyError(flag, "must be true or false")
        if not isinstance(self.required_competencies, frozenset) or not all(
            isinstance(name, str) and name.strip() for name in self.required_competencies
        ):
            raise PolicyError(
                "required_competencies", "must be a frozenset of non-empty competency names"
            )
        if not isinstance(self.required_core_sessions, frozenset):
            raise PolicyError("required_core_sessions", "must be a frozenset of session numbers")
        for number in sorted(self.required_core_sessions, key=repr):
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise PolicyError(
                    "required_core_sessions",
                    f"session numbers start at 1, got {number!r}",
                )


@dataclass(frozen=True)
class SessionRecord:
    """One session he was expected at (or a make-up he attended).

    ``is_makeup`` marks an extra session attended to recover a missed one; a make-up
    marked excused or unexcused (he did not come to it) is ignored rather than counted as
    a further absence, because he was never required to attend it. A record of a
    ``cancelled`` session counts for nothing, whatever its mark.

    ``departure`` says he left early or was sent home (only with a present or late mark);
    ``minutes_left_early`` how long before the end he left. ``minutes_present`` is how long
    he was in the room and ``session_minutes`` how long the session ran (``None``: not
    known; his minutes then count as the whole session, and as 0 when that is unknown too).
    """

    held_on: date
    mark: AttendanceMark
    minutes_late: int = 0
    curriculum_number: int | None = None
    is_makeup: bool = False
    cancelled: bool = False
    departure: Departure = Departure.STAYED
    minutes_left_early: int = 0
    minutes_present: int | None = None
    session_minutes: int | None = None


@dataclass(frozen=True)
class EnrollmentFacts:
    """What the engine needs to know about the enrollment besides attendance."""

    started_on: date
    referral_source: ReferralSource
    reinstated_on: tuple[date, ...] = ()
    #: Approved leaves of absence, first and last day (inclusive).
    leaves: tuple[tuple[date, date], ...] = ()
    #: Competencies a supervisor approved, by name, with the day of approval.
    competencies_approved: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class DueAction:
    """Something staff should now do; ``recipient`` is the referral source for notices."""

    code: str
    label: str
    recipient: str | None


@dataclass(frozen=True)
class ComplianceAssessment:
    """The result of `assess_compliance`.

    The counts are the counts the policy is judged on, i.e. after the reinstatement reset,
    late conversion, excused overflow and make-ups. ``reasons`` lists every limit reached
    or exceeded, the deadline when it matters, and what completion rested on; ``notes``
    explains conversions (lates that became absences and the like) so the counts can be
    checked by hand.
    """

    standing: Standing
    reasons: tuple[str, ...]
    actions_due: tuple[DueAction, ...]
    attended: int
    unexcused_absences: int
    excused_absences: int
    total_absences: int
    lates: int
    makeups_used: int
    core_sessions_missing: tuple[int, ...]
    sessions_still_needed: int
    deadline: date | None
    reinstatements_left: int
    late_arrivals_counted_as_absences: int = 0
    excused_counted_as_unexcused: int = 0
    absences_counted_from: date | None = None
    notes: tuple[str, ...] = ()
    #: Minutes of the sessions that count as attended (each capped at its session's length).
    minutes_attended: int = 0
    minutes_still_needed: int = 0
    left_early: int = 0
    sent_home: int = 0
    absences_on_leave: int = 0
    competencies_missing: tuple[str, ...] = ()
    #: What he still needs to complete, in words ("2 more sessions and approved competency
    #: (uses time-out)"); empty once the requirements are met.
    still_needed: str = ""
    #: What each input record counts as, in the order the records were given. Left out of
    #: equality: two assessments with the same verdict and counts are equal whatever the
    #: order the records came in.
    outcomes: tuple[Counted, ...] = field(default=(), compare=False)


class Counted(StrEnum):
    """What one session record counts as once every rule of the policy has been applied.

    This is the one definition of attendance counts: the compliance figures, the per-session
    lines of a court document, the dashboard and the research export all read it from here
    (``assessment.outcomes``), so a document cannot say "attended" where the engine says
    "absent". `SESSION_COUNTS` says which figure each value adds to.
    """

    ATTENDED = "attended"
    ATTENDED_LATE = "attended_late"
    #: Rule 3: late by ``late_minutes_as_absence`` minutes or more.
    LATE_AS_ABSENCE = "late_as_absence"
    #: Rule 4: the N-th late arrival, counted as an unexcused absence.
    LATE_COUNTED_AS_ABSENCE = "late_counted_as_absence"
    EXCUSED = "excused"
    #: Rule 5: an excused absence beyond the allowance.
    EXCUSED_AS_UNEXCUSED = "excused_as_unexcused"
    UNEXCUSED = "unexcused"
    #: Rule 6: an absence cancelled by a make-up (the earliest absences are cancelled first,
    #: unexcused before excused).
    MADE_UP = "made_up"
    #: A make-up session attended that counts as an attended session.
    MAKEUP = "makeup"
    #: A make-up beyond the allowance, with nothing left to cancel, or not attended.
    MAKEUP_NOT_COUNTED = "makeup_not_counted"
    #: Rule 2: an absence or late arrival before the latest reinstatement.
    BEFORE_REINSTATEMENT = "before_reinstatement"
    #: The session was cancelled: it counts for nothing, whatever mark it holds.
    CANCELLED = "cancelled"
    #: Rule 1: dated after the assessment date.
    AFTER_TODAY = "after_today"
    #: He left before the end; still counts as attended.
    LEFT_EARLY = "left_early"
    #: He left ``left_early_minutes_as_absence`` minutes or more before the end.
    LEFT_EARLY_AS_ABSENCE = "left_early_as_absence"
    #: Sent home (intoxicated, disruptive): unexcused unless the policy says otherwise.
    SENT_HOME = "sent_home"
    SENT_HOME_ATTENDED = "sent_home_attended"
    #: An absence during an approved leave of absence that pauses the clock.
    ON_LEAVE = "on_leave"


#: Which figure each outcome adds to (at most one).
ATTENDED_OUTCOMES = frozenset(
    {
        Counted.ATTENDED,
        Counted.ATTENDED_LATE,
        Counted.MAKEUP,
        Counted.LEFT_EARLY,
        Counted.SENT_HOME_ATTENDED,
    }
)
UNEXCUSED_OUTCOMES = frozenset(
    {
        Counted.UNEXCUSED,
        Counted.LATE_AS_ABSENCE,
        Counted.LATE_COUNTED_AS_ABSENCE,
        Counted.EXCUSED_AS_UNEXCUSED,
        Counted.LEFT_EARLY_AS_ABSENCE,
        Counted.SENT_HOME,
    }
)
EXCUSED_OUTCOMES = frozenset({Counted.EXCUSED})

#: Marks for which he was in the room (for check-outs and homework, not for compliance:
#: whether such a session counts as attended is `Counted`'s business).
IN_THE_ROOM = frozenset({AttendanceMark.PRESENT, AttendanceMark.LATE})

#: How each outcome reads in a document, a roster or an export.
COUNTED_LABELS = {
    Counted.ATTENDED: "Attended",
    Counted.ATTENDED_LATE: "Attended (late)",
    Counted.LATE_AS_ABSENCE: "Late, counted as an unexcused absence",
    Counted.LATE_COUNTED_AS_ABSENCE: "Late, counted as an unexcused absence (repeated lateness)",
    Counted.EXCUSED: "Excused absence",
    Counted.EXCUSED_AS_UNEXCUSED: "Excused absence beyond the allowance, counted as unexcused",
    Counted.UNEXCUSED: "Unexcused absence",
    Counted.MADE_UP: "Absence made up by a make-up session",
    Counted.MAKEUP: "Make-up session attended",
    Counted.MAKEUP_NOT_COUNTED: "Make-up session, not counted",
    Counted.BEFORE_REINSTATEMENT: "Absence before his reinstatement, no longer counted",
    Counted.CANCELLED: "Session cancelled, not counted",
    Counted.AFTER_TODAY: "Not yet counted",
    Counted.LEFT_EARLY: "Attended (left early)",
    Counted.LEFT_EARLY_AS_ABSENCE: "Left early, counted as an unexcused absence",
    Counted.SENT_HOME: "Sent home, counted as an unexcused absence",
    Counted.SENT_HOME_ATTENDED: "Sent home, counted as attended (program policy)",
    Counted.ON_LEAVE: "Absence during an approved leave, not counted",
}


@dataclass(frozen=True)
class SessionCounts:
    """Figures over some of his session outcomes (a period, a group, his whole enrollment).

    Over all his records they equal the assessment's ``attended``, ``unexcused_absences`` and
    ``excused_absences``; ``late`` counts late arrivals that still count as attended.
    """

    attended: int = 0
    late: int = 0
    excused: int = 0
    unexcused: int = 0
    made_up: int = 0
    cancelled: int = 0


def count_outcomes(outcomes: Iterable[Counted]) -> SessionCounts:
    """Add up outcomes (from ``ComplianceAssessment.outcomes``) into the reported figures."""
    attended = late = excused = unexcused = made_up = cancelled = 0
    for outcome in outcomes:
        if outcome in ATTENDED_OUTCOMES:
            attended += 1
            late += outcome is Counted.ATTENDED_LATE
        elif outcome in UNEXCUSED_OUTCOMES:
            unexcused += 1
        elif outcome in EXCUSED_OUTCOMES:
            excused += 1
        elif outcome is Counted.MADE_UP:
            made_up += 1
        elif outcome is Counted.CANCELLED:
            cancelled += 1
    return SessionCounts(attended, late, excused, unexcused, made_up, cancelled)


_PRESENT = AttendanceMark.PRESENT
_LATE = AttendanceMark.LATE
_EXCUSED = AttendanceMark.EXCUSED
_UNEXCUSED = AttendanceMark.UNEXCUSED
_LEFT_EARLY = Departure.LEFT_EARLY
_SENT_HOME = Departure.SENT_HOME


def counted_at_session(
    mark: AttendanceMark,
    minutes_late: int,
    policy: AttendancePolicy,
    *,
    cancelled: bool = False,
    departure: Departure = Departure.STAYED,
    minutes_left_early: int = 0,
) -> Counted:
    """What one mark counts as at its own session, before the rules that look at his other
    sessions (the N-th late arrival, the excused allowance, make-ups, reinstatement, leave).

    One of ATTENDED, ATTENDED_LATE, LATE_AS_ABSENCE (rule 3), LEFT_EARLY,
    LEFT_EARLY_AS_ABSENCE, SENT_HOME, SENT_HOME_ATTENDED, EXCUSED, UNEXCUSED or CANCELLED.
    Session-level figures (a group's attendance rate on the dashboard) use this; a man's
    figures use ``assessment.outcomes``, which start from it.
    """
    return _at_session(
        mark, minutes_late, policy.late_minutes_as_absence, cancelled, departure,
        minutes_left_early, policy,
    )  # fmt: skip


def _at_session(
    mark: AttendanceMark,
    minutes_late: int,
    threshold: int | None,
    cancelled: bool,
    departure: Departure = Departure.STAYED,
    minutes_left_early: int = 0,
    policy: AttendancePolicy | None = None,
) -> Counted:
    if cancelled:
        return Counted.CANCELLED
    if mark == _EXCUSED:
        return Counted.EXCUSED
    if mark == _UNEXCUSED:
        return Counted.UNEXCUSED
    # He came. Being sent home outweighs arriving late, which outweighs leaving early.
    if departure == _SENT_HOME:
        attended = policy is not None and policy.sent_home_counts_as_attended
        return Counted.SENT_HOME_ATTENDED if attended else Counted.SENT_HOME
    if mark == _LATE and threshold is not None and minutes_late >= threshold:
        return Counted.LATE_AS_ABSENCE
    if departure == _LEFT_EARLY:
        early = policy.left_early_minutes_as_absence if policy is not None else None
        if early is not None and minutes_left_early >= early:
            return Counted.LEFT_EARLY_AS_ABSENCE
        return Counted.LEFT_EARLY
    return Counted.ATTENDED if mark == _PRESENT else Counted.ATTENDED_LATE


class _Tally(NamedTuple):
    # A NamedTuple rather than a frozen dataclass: it is built once or twice per
    # assessment and tuple construction is several times cheaper.
    attended: int
    unexcused: int
    excused: int
    lates: int
    too_late: int
    lates_converted: int
    excused_overflow: int
    makeups_used: int
    core_missing: tuple[int, ...]
    reinstatements_used: int
    counted_from: date | None
    outcomes: tuple[Counted, ...]
    minutes: int
    competencies_missing: tuple[str, ...]


def _tally(
    policy: AttendancePolicy,
    records: Sequence[SessionRecord],
    facts: EnrollmentFacts,
    as_of: date,
) -> _Tally:
    """Decide what each record counts as, as of ``as_of``, and add up the counts.

    The counts are sums over the per-record outcomes, so a per-session table can never
    disagree with them. Records are taken in date order (ties in input order) so that "the
    N-th late arrival" and "the absences a make-up cancels" are well defined: O(n log n).
    """
    reinstatements = [d for d in facts.reinstated_on if d <= as_of]
    counted_from = (
        reinstatements[-1] if reinstatements and policy.reinstatement_resets_absences else None
    )
    threshold = policy.late_minutes_as_absence
    outcomes: list[Counted] = [Counted.AFTER_TODAY] * len(records)
    on_leave = _leave_days(policy, facts)
    for index, record in enumerate(records):
        # Validated first and for every record, dated later or not, as before.
        minutes_late = record.minutes_late
        number = record.curriculum_number
        if minutes_late < 0:
            raise RecordError(index, "minutes_late", f"must not be negative, got {minutes_late}")
        if number is not None and number < 1:
            raise RecordError(
                index, "curriculum_number", f"session numbers start at 1, got {number}"
            )
        if record.mark not in (_PRESENT, _LATE, _EXCUSED, _UNEXCUSED):
            raise RecordError(index, "mark", f"unknown attendance mark {record.mark!r}")
        _validate_session_facts(index, record)
    order = sorted(range(len(records)), key=lambda i: records[i].held_on)
    lates: list[int] = []
    excused: list[int] = []
    unexcused: list[int] = []
    makeups_before: list[int] = []
    makeups_after: list[int] = []
    too_late = 0
    covered: set[int] = set()
    for index in order:
        record = records[index]
        held_on = record.held_on
        if held_on > as_of:
            continue
        outcome = _at_session(
            record.mark, record.minutes_late, threshold, record.cancelled, record.departure,
            record.minutes_left_early, policy,
        )  # fmt: skip
        if outcome is Counted.CANCELLED:
            outcomes[index] = outcome
            continue
        was_there = outcome in ATTENDED_OUTCOMES
        number = record.curriculum_number
        if was_there and number is not None:
            covered.add(number)
        before_reset = counted_from is not None and held_on < counted_from
        if record.is_makeup:
            # A make-up he did not attend is ignored: he was never required to attend it.
            outcomes[index] = Counted.MAKEUP_NOT_COUNTED
            if was_there:
                (makeups_before if before_reset else makeups_after).append(index)
            continue
        outcomes[index] = outcome
        if was_there:
            if outcome is Counted.ATTENDED_LATE and not before_reset:
                lates.append(index)
        elif before_reset:
            outcomes[index] = Counted.BEFORE_REINSTATEMENT
        elif on_leave(held_on) and outcome in (Counted.EXCUSED, Counted.UNEXCUSED):
            # He missed it while on an approved leave: it is not an absence at all.
            outcomes[index] = Counted.ON_LEAVE
        elif outcome is Counted.EXCUSED:
            excused.append(index)
        else:
            too_late += outcome is Counted.LATE_AS_ABSENCE
            unexcused.append(index)

    per = policy.lates_per_unexcused_absence
    converted = lates[per - 1 :: per] if per else []
    for index in converted:
        outcomes[index] = Counted.LATE_COUNTED_AS_ABSENCE
    cap = policy.max_excused_absences
    overflow = excused[cap:] if cap is not None else []
    for index in overflow:
        outcomes[index] = Counted.EXCUSED_AS_UNEXCUSED
    # Absences in date order, unexcused (including conversions) before excused.
    absences = sorted(unexcused + converted + overflow, key=lambda i: (records[i].held_on, i))
    absences += excused[: len(excused) - len(overflow)]

    allowance = policy.makeup_sessions_allowed
    used_before = makeups_before[:allowance]
    cancelling = makeups_after[: min(allowance - len(used_before), len(absences))]
    for index in used_before + cancelling:
        outcomes[index] = Counted.MAKEUP
    for index in absences[: len(cancelling)]:
        outcomes[index] = Counted.MADE_UP

    counts = count_outcomes(outcomes)
    missing = tuple(sorted(policy.required_core_sessions - covered))
    approved = {name for name, on in facts.competencies_approved if on <= as_of}
    return _Tally(
        attended=counts.attended,
        unexcused=counts.unexcused,
        excused=counts.excused,
        lates=len(lates),
        too_late=too_late,
        lates_converted=len(converted),
        excused_overflow=len(overflow),
        makeups_used=len(used_before) + len(cancelling),
        core_missing=missing,
        reinstatements_used=len(reinstatements),
        counted_from=counted_from,
        outcomes=tuple(outcomes),
        minutes=sum(
            _minutes(record)
            for record, outcome in zip(records, outcomes, strict=True)
            if outcome in ATTENDED_OUTCOMES
        ),
        competencies_missing=tuple(sorted(policy.required_competencies - approved)),
    )


def _attendance_met(policy: AttendancePolicy, tally: _Tally) -> bool:
    # At least one attended session: a policy with no minimum and no core sessions must not
    # hand a completion certificate to a man who never came.
    return (
        tally.attended >= max(1, policy.min_attended_sessions)
        and not tally.core_missing
        and tally.minutes >= _minutes_required(policy)
    )


def _requirements_met(policy: AttendancePolicy, tally: _Tally) -> bool:
    return _attendance_met(policy, tally) and not tally.competencies_missing


def _minutes_required(policy: AttendancePolicy) -> int:
    hours = policy.min_attended_hours
    return 0 if hours is None else hours * 60


def _limits(policy: AttendancePolicy, tally: _Tally) -> list[tuple[str, int, int | None]]:
    return [
        ("unexcused absence", tally.unexcused, policy.max_unexcused_absences),
        ("excused absence", tally.excused, policy.max_excused_absences),
        (
            "absence (excused or unexcused)",
            tally.unexcused + tally.excused,
            policy.max_total_absences,
        ),
    ]


def _any_limit_exceeded(policy: AttendancePolicy, tally: _Tally) -> bool:
    return any(limit is not None and count > limit for _, count, limit in _limits(policy, tally))


def _still_needed(policy: AttendancePolicy, tally: _Tally) -> str:
    parts = []
    needed = max(0, policy.min_attended_sessions - tally.attended)
    if needed:
        parts.append(f"{_n(needed, 'more session')}")
    if tally.core_missing:
        numbers = ", ".join(str(n) for n in tally.core_missing)
        parts.append(f"core {'session' if len(tally.core_missing) == 1 else 'sessions'} {numbers}")
    minutes = _minutes_required(policy) - tally.minutes
    if minutes > 0:
        parts.append(f"{_hours(minutes)} more of sessions")
    if tally.competencies_missing:
        names = ", ".join(tally.competencies_missing)
        noun = "competency" if len(tally.competencies_missing) == 1 else "competencies"
        parts.append(f"approved {noun} ({names})")
    if not parts and tally.attended == 0:
        # With no minimum and no core sessions, the only thing missing is a first attendance.
        return "at least one session"
    return " and ".join(parts)


_AGENCY_NAMES = {
    ReferralSource.COURT: "the court",
    ReferralSource.PROBATION: "probation",
    ReferralSource.CHILD_PROTECTION: "child protection",
}


def assess_compliance(
    policy: AttendancePolicy,
    records: Sequence[SessionRecord],
    facts: EnrollmentFacts,
    *,
    today: date,
) -> ComplianceAssessment:
    """Decide a man's attendance standing under a program's policy, as of ``today``.

    Parameters
    ----------
    policy
        The program's rules; validated here, so a bad policy raises `PolicyError`.
    records
        His session records, in any order. Records after ``today`` are ignored, so an
        assessment can be rerun for any past date and gives the answer staff had then.
    facts
        Start date, referral source and reinstatement dates of the enrollment.
    today
        The date to assess as of; passed in rather than read from the clock so the result
        never depends on when the code runs.

    Returns
    -------
    ComplianceAssessment
        Standing, reasons, due actions and the counts they rest on.

    Raises
    ------
    PolicyError
        If the policy cannot be applied (negative limits, zero where meaningless...).
    RecordError
        If a record has negative minutes late or a curriculum number below 1.
    ComplianceInputError
        If the reinstatement dates are out of order or before the start.

    Notes
    -----
    Breach is checked before completion: a man who has attended enough sessions but has
    also exceeded a limit is in breach, because programs require both. Completion must
    happen by the deadline, so after the deadline the requirements are also checked as of
    the deadline itself. A count equal to a limit of 0 is not "at the limit" (with zero
    tolerance there is nothing left to warn about before the breach).

    Runs in O(n log n) for n records (records are taken in date order; two passes after
    the deadline).
    """
    policy.validate()
    _validate_facts(facts)

    tally = _tally(policy, records, facts, today)
    reasons: list[str] = []
    reached = exceeded = False
    for noun, count, limit in _limits(policy, tally):
        nouns = noun.replace("absence", "absences", 1)
        if limit is None:
            continue
        if count > limit:
            exceeded = True
            counted = f"{count} {noun if count == 1 else nouns}"
            if limit == 0:
                reasons.append(f"{counted} where none is allowed")
            else:
                verb = "exceeds" if count == 1 else "exceed"
                reasons.append(f"{counted} {verb} the limit of {limit}")
        elif count == limit and limit > 0:
            reached = True
            reason = f"{count} of {limit} {noun if limit == 1 else nouns} used"
            if noun == "excused absence":
                reason += "; further excused absences count as unexcused"
            reasons.append(reason)

    deadline = _deadline(policy, facts)
    deadline_passed = deadline is not None and today > deadline
    requirements_met = _requirements_met(policy, tally)

    if exceeded:
        standing = Standing.IN_BREACH
    elif requirements_met and deadline is not None and deadline_passed:
        at_deadline = _tally(policy, records, facts, deadline)
        if _requirements_met(policy, at_deadline) and not _any_limit_exceeded(policy, at_deadline):
            standing = Standing.COMPLETED
        else:
            standing = Standing.IN_BREACH
            reasons.append(f"Requirements were met only after the deadline of {deadline}")
    elif requirements_met:
        standing = Standing.COMPLETED
    elif deadline_passed:
        standing = Standing.IN_BREACH
    elif reached:
        standing = Standing.AT_LIMIT
    else:
        standing = Standing.GOOD

    if deadline is not None and deadline_passed and not requirements_met:
        reasons.append(
            f"The deadline of {deadline} passed before completion; "
            f"{_still_needed(policy, tally)} still needed"
        )
    elif deadline_passed and standing is Standing.IN_BREACH and exceeded:
        reasons.append(f"The deadline of {deadline} passed before completion")
    elif deadline is not None and not requirements_met:
        days_left = (deadline - today).days
        if days_left <= policy.deadline_warning_days and standing is not Standing.IN_BREACH:
            standing = Standing.AT_LIMIT
            when = "today" if days_left == 0 else f"in {days_left} days"
            reasons.append(
                f"The deadline of {deadline} is {when}; {_still_needed(policy, tally)} still needed"
            )

    if standing is Standing.COMPLETED:
        reasons.append(_completion_reason(policy, tally))
    review_due = (
        standing in (Standing.GOOD, Standing.AT_LIMIT)
        and bool(tally.competencies_missing)
        and _attendance_met(policy, tally)
    )
    if review_due:
        reasons.append(
            "Attendance complete; competency review due: "
            + ", ".join(tally.competencies_missing)
            + " not yet approved"
        )

    reinstatements_left = max(0, policy.reinstatements_allowed - tally.reinstatements_used)
    actions = _actions(standing, facts, reinstatements_left, deadline, deadline_passed)
    if review_due:
        review = "Competency review due: attendance is complete"
        actions += (DueAction(ActionCode.COMPETENCY_REVIEW, review, None),)
    return ComplianceAssessment(
        standing=standing,
        reasons=tuple(reasons),
        actions_due=actions,
        attended=tally.attended,
        unexcused_absences=tally.unexcused,
        excused_absences=tally.excused,
        total_absences=tally.unexcused + tally.excused,
        lates=tally.lates,
        makeups_used=tally.makeups_used,
        core_sessions_missing=tally.core_missing,
        sessions_still_needed=max(0, policy.min_attended_sessions - tally.attended),
        deadline=deadline,
        reinstatements_left=reinstatements_left,
        late_arrivals_counted_as_absences=tally.too_late + tally.lates_converted,
        excused_counted_as_unexcused=tally.excused_overflow,
        absences_counted_from=tally.counted_from,
        notes=_notes(policy, tally, facts),
        outcomes=tally.outcomes,
        minutes_attended=tally.minutes,
        minutes_still_needed=max(0, _minutes_required(policy) - tally.minutes),
        left_early=_count(tally, Counted.LEFT_EARLY, Counted.LEFT_EARLY_AS_ABSENCE),
        sent_home=_count(tally, Counted.SENT_HOME, Counted.SENT_HOME_ATTENDED),
        absences_on_leave=_count(tally, Counted.ON_LEAVE),
        competencies_missing=tally.competencies_missing,
        still_needed="" if requirements_met else _still_needed(policy, tally),
    )


def _validate_facts(facts: EnrollmentFacts) -> None:
    previous = facts.started_on
    for reinstated in facts.reinstated_on:
        if reinstated < previous:
            raise ComplianceInputError(
                "reinstated_on",
                f"dates must be ascending and not before the start ({facts.started_on}); "
                f"{reinstated} comes after {previous}",
            )
        previous = reinstated
    for first, last in facts.leaves:
        if last < first:
            raise ComplianceInputError(
                "leaves", f"a leave cannot end ({last}) before it starts ({first})"
            )


# Session-level facts, leave and competencies (issue 15). ------------------------------------


def _validate_session_facts(index: int, record: SessionRecord) -> None:
    if record.departure and record.mark not in (_PRESENT, _LATE):
        raise RecordError(
            index, "departure", "only a man marked present or late can leave early or be sent home"
        )
    if record.minutes_left_early < 0:
        raise RecordError(
            index, "minutes_left_early", f"must not be negative, got {record.minutes_left_early}"
        )
    if record.minutes_present is not None and record.minutes_present < 0:
        raise RecordError(
            index, "minutes_present", f"must not be negative, got {record.minutes_present}"
        )
    if record.session_minutes is not None and record.session_minutes < 1:
        raise RecordError(
            index, "session_minutes", f"must be at least 1, got {record.session_minutes}"
        )


def _minutes(record: SessionRecord) -> int:
    """His minutes at one session, never more than the session ran."""
    length = record.session_minutes
    present = record.minutes_present
    if present is None:
        return length or 0
    return present if length is None else min(present, length)


def _merged_leaves(facts: EnrollmentFacts) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for first, last in sorted(facts.leaves):
        first = max(first, facts.started_on)
        if last < first:
            continue
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _leave_days(policy: AttendancePolicy, facts: EnrollmentFacts) -> Callable[[date], bool]:
    if not policy.leave_pauses_clock or not facts.leaves:
        return lambda day: False
    leaves = _merged_leaves(facts)
    return lambda day: any(first <= day <= last for first, last in leaves)


def _deadline(policy: AttendancePolicy, facts: EnrollmentFacts) -> date | None:
    """Start plus the days allowed, pushed back by each day of leave that begins by then.

    Taking the leaves in date order, a leave that starts after the (extended) deadline
    changes nothing; one that starts on or before it adds all its days. Adding a leave can
    only move the deadline later.
    """
    if policy.max_program_days is None:
        return None
    deadline = facts.started_on + timedelta(days=policy.max_program_days)
    if policy.leave_pauses_clock:
        for first, last in _merged_leaves(facts):
            if first > deadline:
                break
            deadline += timedelta(days=(last - first).days + 1)
    return deadline


def _count(tally: _Tally, *kinds: Counted) -> int:
    return sum(1 for outcome in tally.outcomes if outcome in kinds)


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _completion_reason(policy: AttendancePolicy, tally: _Tally) -> str:
    reason = f"Completion requirements met: {_n(tally.attended, 'session')} attended"
    if policy.min_attended_sessions:
        reason += f" ({policy.min_attended_sessions} required)"
    if policy.required_core_sessions:
        reason += f", all {_n(len(policy.required_core_sessions), 'core session')} attended"
    if policy.min_attended_hours is not None:
        reason += f", {_hours(tally.minutes)} attended ({policy.min_attended_hours} h required)"
    if policy.required_competencies:
        count = len(policy.required_competencies)
        reason += f", {_n(count, 'required competency', 'required competencies')} approved"
    return reason


def _notes(policy: AttendancePolicy, tally: _Tally, facts: EnrollmentFacts) -> tuple[str, ...]:
    notes = []
    if tally.counted_from is not None:
        notes.append(f"Absences counted from the reinstatement on {tally.counted_from}")
    if tally.too_late:
        notes.append(
            f"{_n(tally.too_late, 'late arrival')} of {policy.late_minutes_as_absence} "
            "minutes or more counted as unexcused"
        )
    if tally.lates_converted:
        notes.append(
            f"{_n(tally.lates, 'late arrival')} counted as "
            f"{_n(tally.lates_converted, 'unexcused absence', 'unexcused absences')} "
            f"(every {policy.lates_per_unexcused_absence})"
        )
    if tally.excused_overflow:
        notes.append(
            f"{_n(tally.excused_overflow, 'excused absence', 'excused absences')} beyond the "
            f"allowance of {policy.max_excused_absences} counted as unexcused"
        )
    if tally.makeups_used:
        notes.append(
            f"{tally.makeups_used} of {policy.makeup_sessions_allowed} make-up sessions used"
        )
    sent_home = _count(tally, Counted.SENT_HOME)
    if sent_home:
        notes.append(f"{_n(sent_home, 'session')} sent home counted as unexcused")
    early = _count(tally, Counted.LEFT_EARLY_AS_ABSENCE)
    if early:
        notes.append(
            f"{_n(early, 'early departure')} of {policy.left_early_minutes_as_absence} "
            "minutes or more counted as unexcused"
        )
    on_leave = _count(tally, Counted.ON_LEAVE)
    if on_leave:
        notes.append(f"{_n(on_leave, 'absence')} during an approved leave not counted")
    if policy.leave_pauses_clock and facts.leaves and policy.max_program_days is not None:
        notes.append("The deadline is pushed back by the days of approved leave")
    return tuple(notes)


def _actions(
    standing: Standing,
    facts: EnrollmentFacts,
    reinstatements_left: int,
    deadline: date | None,
    deadline_passed: bool,
) -> tuple[DueAction, ...]:
    source = facts.referral_source
    # Only mandating agencies get letters from the program; a self-referred man's breach
    # is a matter between him and the program.
    recipient = str(source) if source in MANDATED_SOURCES else None
    agency = _AGENCY_NAMES.get(source, str(source))
    actions: list[tuple[ActionCode, str, str | None]] = []
    if standing is Standing.IN_BREACH:
        if recipient:
            notice = f"Non-compliance notice to {agency} due"
            actions.append((ActionCode.NONCOMPLIANCE_NOTICE, notice, recipient))
        if reinstatements_left:
            review = f"Reinstatement review due ({_n(reinstatements_left, 'reinstatement')} left)"
            actions.append((ActionCode.REINSTATEMENT_REVIEW, review, None))
        if deadline_passed:
            review = f"Program duration review due: the deadline of {deadline} has passed"
            actions.append((ActionCode.DURATION_REVIEW, review, None))
    elif standing is Standing.AT_LIMIT:
        letter = "Warning letter due: talk with him about attendance before the limit is passed"
        actions.append((ActionCode.WARNING_LETTER, letter, None))
    elif standing is Standing.COMPLETED:
        # Courts and probation expect a completion notice as much as a breach notice.
        label = "Completion certificate due"
        if recipient:
            label += f", with a completion notice to {agency}"
        actions.append((ActionCode.COMPLETION_CERTIFICATE, label, recipient))
    return tuple(DueAction(code, label, to) for code, label, to in actions)
