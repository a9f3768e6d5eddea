"""Reporting clocks: when each document about a man is due to his referral agency.

An agency (a court, a probation office) expects documents on a clock: an enrollment notice
within N days of his intake, a progress report every N weeks (or monthly by a day of the
month), a non-compliance notice within N days of the event that triggered it, and a completion
or termination notice within N days of his exit. The presets below come from the standards
review (``shared/research/bip_standards.md``), each with the text it rests on:

* California, PC 1203.097/1203.098: "Progress reports to court/probation at least every 3
  months" (we use 13 weeks, the shorter reading of three months).
* Washington, WAC 388-60B: "Non-compliance is notified to the court **within 7 days**".
* Texas, TDCJ-CJAD BIPP guidelines: "A Monthly Activity Report (MAR) ... is due by the
  10th"; a Texas-style agency gets its progress reports monthly by the 10th.
* California State Auditor, report 2021-113: "Recommendation: report violations within ~2
  business days".

A due item is satisfied by a document of the right kind produced on or after the event that
triggered it. A program may set a *repair window* (for example a make-up within 7 days) before
a non-compliance notice goes, where the agency's standard allows it; the window never delays a
mandatory deadline: the notice is due on the earlier of the repair window's end and the clock.

Pure: dates in, dates out. "Today" is the organization's local day
(:func:`local_today`), so a report due "today" does not turn overdue at midnight UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from alliance.core.duties import add_business_days

__all__ = [
    "PRESETS",
    "ClockError",
    "ClockFacts",
    "ClockRule",
    "DueItem",
    "DueKind",
    "Preset",
    "add_days",
    "due_items",
    "local_today",
    "monthly_due_on",
    "noncompliance_due_on",
    "progress_due_dates",
    "progress_window_opens",
]

#: How far ahead the queue looks for a progress report that is not yet due.
UPCOMING_DAYS = 14


class ClockError(ValueError):
    """A clock that cannot be applied; ``field`` names the setting at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class DueKind(StrEnum):
    """The documents a clock makes due; the values are the document kinds of ``reports``."""

    ENROLLMENT_NOTICE = "enrollment_notice"
    PROGRESS_REPORT = "compliance_report"
    NONCOMPLIANCE_NOTICE = "noncompliance_notice"
    COMPLETION_CERTIFICATE = "completion_certificate"
    TERMINATION_NOTICE = "termination_notice"


DUE_LABELS = {
    DueKind.ENROLLMENT_NOTICE: "Enrollment notice",
    DueKind.PROGRESS_REPORT: "Progress report",
    DueKind.NONCOMPLIANCE_NOTICE: "Non-compliance notice",
    DueKind.COMPLETION_CERTIFICATE: "Completion notice",
    DueKind.TERMINATION_NOTICE: "Termination notice",
}


@dataclass(frozen=True)
class ClockRule:
    """One agency's clocks; ``None`` means the agency does not ask for that document.

    ``progress_every_weeks`` and ``progress_monthly_day`` are alternatives: every N weeks
    from his start, or every month by day N (for the month just ended).
    """

    enrollment_notice_days: int | None = None
    progress_every_weeks: int | None = None
    progress_monthly_day: int | None = None
    noncompliance_days: int | None = None
    noncompliance_business_days: bool = False
    closing_notice_days: int | None = None
    #: A make-up (or other repair) allowed within this many days before the notice goes.
    repair_window_days: int | None = None

    def __post_init__(self) -> None:
        for name in (
            "enrollment_notice_days",
            "progress_every_weeks",
            "noncompliance_days",
            "closing_notice_days",
            "repair_window_days",
        ):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 366:
                raise ClockError(name, "must be between 0 and 366.")
        if self.progress_every_weeks == 0:
            raise ClockError("progress_every_weeks", "must be at least 1 week.")
        if self.progress_monthly_day is not None and not 1 <= self.progress_monthly_day <= 28:
            raise ClockError(
                "progress_monthly_day", "must be a day from 1 to 28, so every month has it."
            )
        if self.progress_every_weeks is not None and self.progress_monthly_day is not None:
            raise ClockError(
                "progress_monthly_day",
                "choose every N weeks or monthly by a day, not both.",
            )


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    rule: ClockRule
    citation: str
    source: str


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            "california",
            "California (PC 1203.097): progress at least every 3 months",
            ClockRule(
                enrollment_notice_days=14,
                progress_every_weeks=13,
                noncompliance_days=7,
                closing_notice_days=10,
            ),
            "Progress reports to court/probation at least every 3 months.",
            "California PC 1203.097 / 1203.098 (bip_standards.md, table row California)",
        ),
        Preset(
            "washington",
            "Washington (WAC 388-60B): non-compliance within 7 days",
            ClockRule(
                enrollment_notice_days=14,
                progress_every_weeks=4,
                noncompliance_days=7,
                closing_notice_days=7,
            ),
            "Non-compliance is notified to the court within 7 days.",
            "WAC 388-60B (bip_standards.md, table row Washington)",
        ),
        Preset(
            "texas",
            "Texas (TDCJ-CJAD BIPP): monthly by the 10th",
            ClockRule(
                enrollment_notice_days=10,
                progress_monthly_day=10,
                noncompliance_days=7,
                closing_notice_days=10,
            ),
            "A Monthly Activity Report (MAR), broken down by referral source, is due by the 10th.",
            "TDCJ-CJAD BIPP Accreditation Guidelines (bip_standards.md, table row Texas)",
        ),
        Preset(
            "ca_audit",
            "California State Auditor 2021-113: violations within 2 business days",
            ClockRule(
                enrollment_notice_days=14,
                progress_every_weeks=13,
                noncompliance_days=2,
                noncompliance_business_days=True,
                closing_notice_days=10,
            ),
            "Recommendation: report violations within ~2 business days (AB 304 proposed 7).",
            "California State Auditor, report 2021-113 (bip_standards.md, California practice)",
        ),
    )
}


def local_today(now: dt.datetime, time_zone: str) -> dt.date:
    """The calendar day ``now`` (an aware datetime) falls on in ``time_zone``."""
    if now.tzinfo is None:
        raise ClockError("now", "must carry a time zone (an aware datetime).")
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def add_days(
    start: dt.date, days: int, *, business: bool = False, holidays: Collection[dt.date] = ()
) -> dt.date:
    """``days`` calendar days after ``start``, or business days (weekends, holidays skipped)."""
    if days < 0:
        raise ClockError("days", "cannot be negative.")
    if business:
        return add_business_days(start, days, holidays)
    return start + dt.timedelta(days=days)


def monthly_due_on(month_start: dt.date, day: int) -> dt.date:
    """The report on the month starting ``month_start`` is due on ``day`` of the next month."""
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    following = month_start.replace(day=last) + dt.timedelta(days=1)
    return following.replace(day=day)


def progress_due_dates(rule: ClockRule, started_on: dt.date, until: dt.date) -> list[dt.date]:
    """Every progress report due date from his start up to ``until`` (inclusive)."""
    dates: list[dt.date] = []
    if rule.progress_every_weeks is not None:
        step = dt.timedelta(weeks=rule.progress_every_weeks)
        day = started_on + step
        while day <= until:
            dates.append(day)
            day += step
    elif rule.progress_monthly_day is not None:
        month = started_on.replace(day=1)
        while True:
            due = monthly_due_on(month, rule.progress_monthly_day)
            if due > until:
                break
            dates.append(due)
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dates


def progress_window_opens(rule: ClockRule, due: dt.date) -> dt.date:
    """The first day a report counts towards the progress report due on ``due``.

    Monthly: from the first of the month it is due in (the month reported on has ended).
    Every N weeks: up to two weeks before (or one period, if shorter), so that a late report
    for one period does not also count for the next.
    """
    if rule.progress_monthly_day is not None:
        return due.replace(day=1)
    weeks = rule.progress_every_weeks or 1
    return due - min(dt.timedelta(weeks=weeks), dt.timedelta(days=UPCOMING_DAYS))


def noncompliance_due_on(
    rule: ClockRule, event_on: dt.date, holidays: Collection[dt.date] = ()
) -> tuple[dt.date | None, dt.date | None]:
    """(due date, end of the repair window) for a notice about a breach on ``event_on``.

    The repair window never delays the mandatory clock: the notice is due on the earlier of
    the two. With no clock and no window, nothing is due.
    """
    mandatory = (
        None
        if rule.noncompliance_days is None
        else add_days(
            event_on,
            rule.noncompliance_days,
            business=rule.noncompliance_business_days,
            holidays=holidays,
        )
    )
    repair_end = (
        None
        if rule.repair_window_days is None
        else event_on + dt.timedelta(days=rule.repair_window_days)
    )
    candidates = [d for d in (mandatory, repair_end) if d is not None]
    return (min(candidates) if candidates else None), repair_end


@dataclass(frozen=True)
class ClockFacts:
    """What the clocks need to know about one enrollment."""

    #: The day he was enrolled (his intake): the enrollment notice's trigger.
    enrolled_on: dt.date | None
    #: His first day in a group: the progress clock runs from here.
    started_on: dt.date | None = None
    #: The day the engine first found him in breach, while it still does.
    breach_on: dt.date | None = None
    #: The day he left, and how ("completion" or "termination").
    closed_on: dt.date | None = None
    closed_how: str = ""
    #: (document kind, local day produced) of every document already sent about him.
    sent: tuple[tuple[str, dt.date], ...] = ()


@dataclass(frozen=True)
class DueItem:
    kind: DueKind
    trigger_on: dt.date
    due_on: dt.date
    overdue: bool
    #: The end of a repair window the program allows before the notice, if any.
    repair_until: dt.date | None = None

    @property
    def label(self) -> str:
        return DUE_LABELS[self.kind]


def _satisfied(sent: Iterable[tuple[str, dt.date]], kind: DueKind, trigger_on: dt.date) -> bool:
    return any(k == kind.value and day >= trigger_on for k, day in sent)


def due_items(
    rule: ClockRule,
    facts: ClockFacts,
    *,
    today: dt.date,
    holidays: Collection[dt.date] = (),
) -> list[DueItem]:
    """The documents due (or overdue) for this man today, earliest first.

    Each item is open until a document of its kind is produced on or after its trigger.
    Progress reports: the latest due date on or before today, and the next one when it
    falls within ``UPCOMING_DAYS`` (listed ahead of time, not overdue).
    """
    items: list[DueItem] = []

    def add(kind: DueKind, trigger: dt.date, due: dt.date, repair: dt.date | None = None) -> None:
        if not _satisfied(facts.sent, kind, trigger):
            items.append(DueItem(kind, trigger, due, today > due, repair))

    if rule.enrollment_notice_days is not None and facts.enrolled_on is not None:
        add(
            DueKind.ENROLLMENT_NOTICE,
            facts.enrolled_on,
            add_days(facts.enrolled_on, rule.enrollment_notice_days),
        )
    if facts.started_on is not None and facts.closed_on is None:
        horizon = today + dt.timedelta(days=UPCOMING_DAYS)
        dates = progress_due_dates(rule, facts.started_on, horizon)
        past = [d for d in dates if d <= today]
        ahead = [d for d in dates if d > today]
        for due in past[-1:] + ahead[:1]:
            add(DueKind.PROGRESS_REPORT, progress_window_opens(rule, due), due)
    if facts.breach_on is not None and facts.closed_on is None:
        notice_due, repair = noncompliance_due_on(rule, facts.breach_on, holidays)
        if notice_due is not None:
            add(DueKind.NONCOMPLIANCE_NOTICE, facts.breach_on, notice_due, repair)
    if rule.closing_notice_days is not None and facts.closed_on is not None:
        kind = (
            DueKind.COMPLETION_CERTIFICATE
            if facts.closed_how == "completion"
            else DueKind.TERMINATION_NOTICE
        )
        add(kind, facts.closed_on, add_days(facts.closed_on, rule.closing_notice_days))
    return sorted(items, key=lambda i: (i.due_on, i.kind.value))
