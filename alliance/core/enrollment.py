"""The enrollment status lifecycle.

referred → intake → active → completed | discharged | dropped out | transferred, with
reinstatement from discharged or dropped out back to active. Every transition needs a date, an
actor and a reason; the rules that can be checked without a database live here so that the
web app, the importers and the simulator agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class EnrollmentStatus(StrEnum):
    REFERRED = "referred"
    INTAKE = "intake"
    ACTIVE = "active"
    COMPLETED = "completed"
    DISCHARGED = "discharged"
    DROPPED_OUT = "dropped_out"
    TRANSFERRED = "transferred"


class DischargeReason(StrEnum):
    """Why a discharge happened; the first group makes it unsuccessful, the second
    administrative (Colorado DVOMB discharge types; ``bip_standards.md`` gap 7).

    ``other`` predates the split and stays unsuccessful, as every discharge was before.
    """

    NON_COMPLIANCE = "non_compliance"
    NEW_OFFENCE = "new_offence"
    NOT_BENEFITING = "not_benefiting"
    OTHER = "other"
    MOVED = "moved"
    MEDICAL = "medical"
    INCARCERATED = "incarcerated"
    DECEASED = "deceased"


class ExitType(StrEnum):
    """How an enrollment ended: completion, unsuccessful or administrative discharge."""

    COMPLETED = "completed"
    UNSUCCESSFUL = "unsuccessful"
    ADMINISTRATIVE = "administrative"


#: Discharge reasons that make an administrative exit (he did not fail the program).
ADMINISTRATIVE_REASONS = frozenset(
    {
        DischargeReason.MOVED,
        DischargeReason.MEDICAL,
        DischargeReason.INCARCERATED,
        DischargeReason.DECEASED,
    }
)

DISCHARGE_REASON_LABELS = {
    DischargeReason.NON_COMPLIANCE: "Unsuccessful: non-compliance",
    DischargeReason.NEW_OFFENCE: "Unsuccessful: new offence",
    DischargeReason.NOT_BENEFITING: "Unsuccessful: not benefiting from the program",
    DischargeReason.OTHER: "Unsuccessful: other",
    DischargeReason.MOVED: "Administrative: moved away",
    DischargeReason.MEDICAL: "Administrative: medical",
    DischargeReason.INCARCERATED: "Administrative: incarcerated",
    DischargeReason.DECEASED: "Administrative: deceased",
}


S = EnrollmentStatus

#: Allowed moves. Reinstatement is the move from discharged or dropped out back to active.
TRANSITIONS: dict[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    S.REFERRED: frozenset({S.INTAKE, S.DROPPED_OUT, S.TRANSFERRED}),
    S.INTAKE: frozenset({S.ACTIVE, S.DROPPED_OUT, S.DISCHARGED, S.TRANSFERRED}),
    S.ACTIVE: frozenset({S.COMPLETED, S.DISCHARGED, S.DROPPED_OUT, S.TRANSFERRED}),
    S.DISCHARGED: frozenset({S.ACTIVE}),
    S.DROPPED_OUT: frozenset({S.ACTIVE}),
    S.COMPLETED: frozenset(),
    S.TRANSFERRED: frozenset(),
}

OPEN_STATUSES = frozenset({S.REFERRED, S.INTAKE, S.ACTIVE})
CLOSED_STATUSES = frozenset({S.COMPLETED, S.DISCHARGED, S.DROPPED_OUT, S.TRANSFERRED})


class TransitionError(ValueError):
    """A requested status change is not allowed; the message says why, in plain words."""


@dataclass(frozen=True)
class TransitionRequest:
    current: EnrollmentStatus
    target: EnrollmentStatus
    effective_on: date
    last_change_on: date
    reason: str
    discharge_reason: DischargeReason | None = None
    reinstatements_used: int = 0
    reinstatements_allowed: int = 0
    #: The coded reason of the discharge being undone, for a reinstatement.
    current_discharge_reason: str = ""


def exit_type(status: str, discharge_reason: str = "") -> ExitType | None:
    """The exit type of an enrollment's status, ``None`` while it is open.

    Derived rather than stored, so it can never disagree with the status and the coded
    reason: a transfer to another program is administrative, a dropout unsuccessful.
    """
    if status == S.COMPLETED:
        return ExitType.COMPLETED
    if status == S.TRANSFERRED:
        return ExitType.ADMINISTRATIVE
    if status == S.DROPPED_OUT:
        return ExitType.UNSUCCESSFUL
    if status == S.DISCHARGED:
        if discharge_reason in ADMINISTRATIVE_REASONS:
            return ExitType.ADMINISTRATIVE
        return ExitType.UNSUCCESSFUL
    return None


def is_reinstatement(current: EnrollmentStatus, target: EnrollmentStatus) -> bool:
    return current in (S.DISCHARGED, S.DROPPED_OUT) and target is S.ACTIVE


def check_transition(request: TransitionRequest, *, today: date) -> None:
    """Raise ``TransitionError`` unless the move is allowed.

    The date may not lie in the future nor before the previous change, so that the timeline
    stays in order; a discharge needs a coded reason; reinstatement is limited by policy.
    """
    current, target = request.current, request.target
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value.replace("_", " ") for s in TRANSITIONS[current]))
        raise TransitionError(
            f"An enrollment that is {current.value.replace('_', ' ')} cannot become "
            f"{target.value.replace('_', ' ')}; allowed next: {allowed or 'none (it is closed)'}."
        )
    if not request.reason.strip():
        raise TransitionError("reason: say why the status changes.")
    if request.effective_on > today:
        raise TransitionError("effective_on: the date of a status change cannot be in the future.")
    if request.effective_on < request.last_change_on:
        raise TransitionError(
            f"effective_on: the date cannot be before the previous change "
            f"({request.last_change_on.isoformat()})."
        )
    if target is S.DISCHARGED and request.discharge_reason is None:
        raise TransitionError(
            "discharge_reason: choose the coded reason for a discharge (unsuccessful: "
            "non-compliance, new offence, not benefiting, other; administrative: moved, "
            "medical, incarcerated, deceased)."
        )
    if target is not S.DISCHARGED and request.discharge_reason is not None:
        raise TransitionError("discharge_reason: only a discharge takes a discharge reason.")
    if is_reinstatement(current, target) and (
        request.current_discharge_reason == DischargeReason.DECEASED
    ):
        raise TransitionError("A man discharged as deceased cannot be reinstated.")
    if is_reinstatement(current, target) and (
        request.reinstatements_used >= request.reinstatements_allowed
    ):
        raise TransitionError(
            f"The program allows {request.reinstatements_allowed} reinstatement(s) and "
            f"{request.reinstatements_used} have been used."
        )
