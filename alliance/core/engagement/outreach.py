"""The outreach workflow as a state machine: alert -> acknowledged -> action(s) -> outcome.

Kept pure so the rules are tested without a database and every service obeys the same ones.
Motivational outreach roughly halves dropout (Santirso et al. 2020, OR 1/1.73): the point of
the score is to prompt this, never to sanction.
"""

from __future__ import annotations

from enum import StrEnum


class OutreachStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    ACTION_TAKEN = "action_taken"
    CLOSED = "closed"


class OutreachEvent(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ACTION = "action"
    OUTCOME = "outcome"


class ActionKind(StrEnum):
    PHONE_CALL = "phone_call"
    INDIVIDUAL_CHECK_IN = "individual_check_in"
    MOTIVATIONAL_CONVERSATION = "motivational_conversation"
    REFERRAL_AGENT_CONTACT = "referral_agent_contact"
    SCHEDULE_CHANGE = "schedule_change"
    MAKEUP_SESSION = "makeup_session"


class OutreachOutcome(StrEnum):
    ATTENDED_NEXT = "attended_next"
    REINSTATED = "reinstated"
    COULD_NOT_REACH = "could_not_reach"
    DROPPED_OUT = "dropped_out"


#: The words staff read, one place for every page, form and report.  Spelled as elsewhere in
#: the product: "make-up session", "individual check-in".
STATUS_LABELS: dict[str, str] = {
    OutreachStatus.OPEN: "Not yet acknowledged",
    OutreachStatus.ACKNOWLEDGED: "Acknowledged",
    OutreachStatus.ACTION_TAKEN: "Action taken",
    OutreachStatus.CLOSED: "Closed",
}
ACTION_LABELS: dict[str, str] = {
    ActionKind.PHONE_CALL: "Phone call",
    ActionKind.INDIVIDUAL_CHECK_IN: "Individual check-in",
    ActionKind.MOTIVATIONAL_CONVERSATION: "Motivational conversation",
    ActionKind.REFERRAL_AGENT_CONTACT: "Contact with his referral agent",
    ActionKind.SCHEDULE_CHANGE: "Schedule change",
    ActionKind.MAKEUP_SESSION: "Make-up session",
}
OUTCOME_LABELS: dict[str, str] = {
    OutreachOutcome.ATTENDED_NEXT: "Came to the next session",
    OutreachOutcome.REINSTATED: "Back in the program",
    OutreachOutcome.COULD_NOT_REACH: "Could not reach him",
    OutreachOutcome.DROPPED_OUT: "Left the program",
}


_S = OutreachStatus
_E = OutreachEvent
_TRANSITIONS: dict[tuple[OutreachStatus, OutreachEvent], OutreachStatus] = {
    (_S.OPEN, _E.ACKNOWLEDGE): _S.ACKNOWLEDGED,
    (_S.ACKNOWLEDGED, _E.ACTION): _S.ACTION_TAKEN,
    (_S.ACTION_TAKEN, _E.ACTION): _S.ACTION_TAKEN,
    (_S.ACTION_TAKEN, _E.OUTCOME): _S.CLOSED,
}


def next_status(current: str, event: str) -> OutreachStatus:
    """The status after ``event``; ``ValueError`` in words when the step is not allowed."""
    try:
        key = (OutreachStatus(current), OutreachEvent(event))
    except ValueError as exc:
        raise ValueError(f"unknown outreach status or event: {current!r}, {event!r}") from exc
    if key not in _TRANSITIONS:
        raise ValueError(_REFUSALS.get(key[1], "not allowed") + f" (alert is {current})")
    return _TRANSITIONS[key]


_REFUSALS = {
    _E.ACKNOWLEDGE: "only an open alert can be acknowledged",
    _E.ACTION: "acknowledge the alert before recording an action",
    _E.OUTCOME: "record at least one action before the outcome",
}
