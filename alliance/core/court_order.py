"""A court order's terms against a man's attendance: is the deadline at risk?

The order says how many sessions (or weeks) he must attend, by when he must start and by
when he must finish, and whether a protective order is in force until some day. The engine
here compares what he still owes with what is still possible: the sessions remaining against
the sessions his group has scheduled between today and the deadline. If the sessions
remaining cannot fit in the sessions scheduled before the deadline, the deadline is at risk,
and the program must tell him (and, by the agency's clock, the court) before it passes, not
after.

Pure: numbers and dates in, a verdict and plain-language reasons out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["OrderError", "OrderStatus", "OrderTerms", "assess_order", "check_terms"]

#: A protective order expiring within this many days is flagged for the manager.
PROTECTIVE_ORDER_NOTICE_DAYS = 30


class OrderError(ValueError):
    """Terms that cannot stand together; ``field`` names the one to correct."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class OrderTerms:
    sessions_ordered: int | None = None
    weeks_ordered: int | None = None
    ordered_on: dt.date | None = None
    start_by: dt.date | None = None
    complete_by: dt.date | None = None
    protective_order_type: str = ""
    protective_order_expires: dt.date | None = None


def check_terms(terms: OrderTerms) -> None:
    """Raise `OrderError` naming the field if the terms contradict each other."""
    if terms.sessions_ordered is not None and not 1 <= terms.sessions_ordered <= 520:
        raise OrderError("sessions_ordered", "must be between 1 and 520 sessions.")
    if terms.weeks_ordered is not None and not 1 <= terms.weeks_ordered <= 520:
        raise OrderError("weeks_ordered", "must be between 1 and 520 weeks.")
    if terms.start_by and terms.complete_by and terms.complete_by < terms.start_by:
        raise OrderError("complete_by", "the completion deadline is before the start-by date.")
    if terms.ordered_on and terms.start_by and terms.start_by < terms.ordered_on:
        raise OrderError("start_by", "the start-by date is before the day of the order.")
    if terms.ordered_on and terms.complete_by and terms.complete_by < terms.ordered_on:
        raise OrderError("complete_by", "the completion deadline is before the day of the order.")
    if terms.protective_order_expires and not terms.protective_order_type.strip():
        raise OrderError(
            "protective_order_type", "say which protective order expires on that date."
        )


@dataclass(frozen=True)
class OrderStatus:
    sessions_remaining: int | None
    #: Sessions his group has scheduled from today up to the deadline (inclusive).
    sessions_possible: int | None
    days_remaining: int | None
    deadline_at_risk: bool
    deadline_passed: bool
    start_by_missed: bool
    protective_order_expired: bool
    protective_order_expiring: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _day(d: dt.date) -> str:
    return f"{d:%d %B %Y}".lstrip("0")


def assess_order(
    terms: OrderTerms,
    *,
    attended: int,
    started_on: dt.date | None,
    scheduled: Iterable[dt.date],
    today: dt.date,
    completed: bool = False,
) -> OrderStatus:
    """Where he stands against the order on ``today``.

    ``attended`` is what the compliance engine counts as attended (make-ups included);
    ``scheduled`` the dates of his group's sessions still to come (today included).
    """
    reasons: list[str] = []
    remaining = (
        None if terms.sessions_ordered is None else max(terms.sessions_ordered - attended, 0)
    )
    possible = None
    days_remaining = None
    at_risk = False
    passed = False
    if terms.complete_by is not None:
        days_remaining = (terms.complete_by - today).days
        passed = days_remaining < 0 and not completed
        possible = sum(1 for d in set(scheduled) if today <= d <= terms.complete_by)
        if passed and (remaining is None or remaining > 0):
            reasons.append(f"The court's completion deadline of {_day(terms.complete_by)} passed.")
        elif not completed and remaining is not None and remaining > possible:
            at_risk = True
            reasons.append(
                f"Deadline at risk: {remaining} sessions still needed and only {possible} "
                f"scheduled before the deadline of {_day(terms.complete_by)}."
            )
        if terms.weeks_ordered is not None and started_on is not None and not completed:
            weeks_left = (terms.complete_by - today).days // 7
            weeks_owed = terms.weeks_ordered - max((today - started_on).days // 7, 0)
            if not passed and weeks_owed > weeks_left + 1:
                at_risk = True
                reasons.append(
                    f"Deadline at risk: {weeks_owed} weeks of the {terms.weeks_ordered} ordered "
                    f"remain and the deadline is {weeks_left} weeks away."
                )
    # Not started and the day has passed, or started after it.
    start_missed = terms.start_by is not None and (started_on or today) > terms.start_by
    if start_missed and terms.start_by is not None:
        if started_on is None:
            reasons.append(
                f"He has not started; the order said to start by {_day(terms.start_by)}."
            )
        else:
            reasons.append(
                f"He started on {_day(started_on)}, after the start-by date of "
                f"{_day(terms.start_by)}."
            )
    expired = expiring = False
    if terms.protective_order_expires is not None:
        left = (terms.protective_order_expires - today).days
        expired = left < 0
        expiring = 0 <= left <= PROTECTIVE_ORDER_NOTICE_DAYS
        what = terms.protective_order_type or "protective order"
        if expired:
            reasons.append(f"The {what} expired on {_day(terms.protective_order_expires)}.")
        elif expiring:
            reasons.append(f"The {what} expires on {_day(terms.protective_order_expires)}.")
    return OrderStatus(
        sessions_remaining=remaining,
        sessions_possible=possible,
        days_remaining=days_remaining,
        deadline_at_risk=at_risk,
        deadline_passed=passed,
        start_by_missed=bool(start_missed),
        protective_order_expired=expired,
        protective_order_expiring=expiring,
        reasons=tuple(reasons),
    )
