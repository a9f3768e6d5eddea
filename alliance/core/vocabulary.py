"""Shared coded values: the categories used by intake, enrollment and the simulator.

Keeping them here lets the database choices, the compliance engine and the synthetic
program generator agree on one spelling.
"""

from __future__ import annotations

from enum import StrEnum


class RelationshipStatus(StrEnum):
    MARRIED = "married"
    COHABITING = "cohabiting"
    SEPARATED = "separated"
    SINGLE = "single"
    UNKNOWN = "unknown"


class Employment(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    UNEMPLOYED = "unemployed"
    NOT_IN_LABOUR_FORCE = "not_in_labour_force"
    UNKNOWN = "unknown"


class Education(StrEnum):
    LESS_THAN_HIGH_SCHOOL = "less_than_high_school"
    HIGH_SCHOOL = "high_school"
    POST_SECONDARY = "post_secondary"
    UNKNOWN = "unknown"


class IncomeBand(StrEnum):
    LOW = "low"
    MIDDLE = "middle"
    HIGH = "high"
    UNKNOWN = "unknown"


class ReferralSource(StrEnum):
    COURT = "court"
    PROBATION = "probation"
    CHILD_PROTECTION = "child_protection"
    SELF = "self"
    OTHER = "other"


#: Referral sources that impose a mandate and expect compliance notices.
MANDATED_SOURCES = frozenset(
    {ReferralSource.COURT, ReferralSource.PROBATION, ReferralSource.CHILD_PROTECTION}
)


class AttendanceMark(StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"


class Departure(StrEnum):
    """How a man who came to a session left it, when it was not at the end.

    Only a man marked present or late can leave early or be sent home; the compliance engine
    decides what each counts as under the program's policy.
    """

    STAYED = ""
    LEFT_EARLY = "left_early"
    SENT_HOME = "sent_home"
