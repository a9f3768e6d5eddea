"""Training and observation requirements for facilitators, and whether one person meets them.

Pure logic: hours, dates and a requirement in; a status and its exact reasons out. The figures
of each preset come from ``shared/research/bip_standards.md`` §1 (with its sources) and are
cited on the preset itself. A program may take a preset as it is or switch to ``custom`` and
set its own figures; nothing here knows about programs or people.

Status (worst wins):

``missing``   a requirement to be met *before* facilitating is not met (core hours, trainee
              hours), or a required observation has never been done;
``overdue``   a date has passed: last year's continuing education fell short, an observation
              is past due, a credential has expired;
``due_soon``  something falls due within ``due_soon_days`` (60 by default): this year's
              continuing education is short, an observation, a credential's expiry;
``compliant`` nothing of the above.

Continuing education counts calendar years (1 January to 31 December). It is first owed in the
calendar year *after* the year his core training reached the required hours and after the year
he started (an assumption, documented in ``docs/training.md``: the standards do not say how the
first year is prorated).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

MAX_HOURS_PER_ENTRY = Decimal(24)
DEFAULT_DUE_SOON_DAYS = 60
#: Days before a credential's expiry at which an alert is raised (and on the day itself).
CREDENTIAL_ALERT_DAYS: tuple[int, ...] = (60, 30, 0)


class Status(enum.StrEnum):
    COMPLIANT = "compliant"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def rank(self) -> int:
        return _RANK[self]


STATUS_LABELS = {
    Status.COMPLIANT: "Compliant",
    Status.DUE_SOON: "Due soon",
    Status.OVERDUE: "Overdue",
    Status.MISSING: "Missing",
}
_RANK = {Status.COMPLIANT: 0, Status.DUE_SOON: 1, Status.OVERDUE: 2, Status.MISSING: 3}


class EntryKind(enum.StrEnum):
    CORE = "core"
    CONTINUING = "continuing"
    TRAINEE = "trainee"


@dataclass(frozen=True)
class Requirement:
    """What a program requires of each facilitator. Zero means "not required"."""

    core_hours: Decimal = Decimal(0)
    trainee_hours: Decimal = Decimal(0)
    ce_hours_per_year: Decimal = Decimal(0)
    observation_every_months: int = 0
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS

    def __post_init__(self) -> None:
        for name in ("core_hours", "trainee_hours", "ce_hours_per_year"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.observation_every_months < 0:
            raise ValueError("observation_every_months must not be negative")
        if self.due_soon_days < 0:
            raise ValueError("due_soon_days must not be negative")

    @property
    def is_empty(self) -> bool:
        return not (
            self.core_hours
            or self.trainee_hours
            or self.ce_hours_per_year
            or self.observation_every_months
        )


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    requirement: Requirement
    #: What each figure means and where it comes from, one line each.
    notes: tuple[str, ...]
    sources: tuple[str, ...]


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            key="california",
            label="California (PC 1203.098)",
            requirement=Requirement(
                core_hours=Decimal(40),
                trainee_hours=Decimal(104),
                ce_hours_per_year=Decimal(16),
            ),
            notes=(
                "40 hours of core training before facilitating, including 4 hours of intake "
                "and assessment (violence history, threats, substance abuse).",
                "52 weeks or 104 hours as a trainee (here: 104 supervised co-facilitation hours).",
                "16 hours of continuing education each year (AB 1886).",
            ),
            sources=(
                "California Penal Code 1203.098, https://self-law.org/code/ca/penal-code/1203-098",
                "http://danielsonkin.com/1203.html",
            ),
        ),
        Preset(
            key="washington",
            label="Washington (WAC 388-60B)",
            requirement=Requirement(ce_hours_per_year=Decimal(20), observation_every_months=6),
            notes=(
                "Quality management: a supervisor observes groups every 6 months "
                "(WAC 388-60B-0250).",
                "20 hours of continuing education a year, including 4 hours on sexism, racism "
                "and homophobia: the older rule (WAC 388-60-0405); check the current chapter.",
            ),
            sources=(
                "https://apps.leg.wa.gov/WAC/default.aspx?cite=388-60B-0250",
                "http://apps.leg.wa.gov/WAC/default.aspx?cite=388-60-0405",
            ),
        ),
        Preset(
            key="texas",
            label="Texas (TDCJ-CJAD BIPP guidelines)",
            requirement=Requirement(core_hours=Decimal(40)),
            notes=(
                "40 hours of initial training: 25 hours of BIPP training and 15 hours of "
                "family-violence training.",
            ),
            sources=("https://www.tdcj.texas.gov/faq/cjad_bipp.html",),
        ),
        Preset(
            key="colorado",
            label="Colorado (DVOMB standards)",
            requirement=Requirement(trainee_hours=Decimal(500)),
            notes=(
                "Providers are approved on competencies assessed by a clinical supervisor, "
                "with 500 client hours for full status (here: 500 supervised hours).",
            ),
            sources=(
                "https://dcj.colorado.gov/dcj-offices/domestic-violence-and-sex-offender-"
                "management/dvomb-standards-approved-pending",
            ),
        ),
    )
}
CUSTOM = "custom"
NONE = "none"


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    completed_on: dt.date
    hours: Decimal


@dataclass(frozen=True)
class Credential:
    name: str
    expires_on: dt.date | None


@dataclass(frozen=True)
class Finding:
    status: Status
    text: str


@dataclass(frozen=True)
class PersonStatus:
    status: Status
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def reasons(self) -> list[str]:
        return [f.text for f in self.findings]


def _hours(value: Decimal) -> str:
    """12 → "12", 1.5 → "1.5" (hours as people write them)."""
    normal = value.quantize(Decimal("0.01")).normalize()
    return f"{normal:f}"


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, clamped to the month's last day (31 Aug + 6 → 28/29
    Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _total(entries: Iterable[Entry], kind: EntryKind, *, year: int | None = None) -> Decimal:
    return sum(
        (
            e.hours
            for e in entries
            if e.kind == kind and (year is None or e.completed_on.year == year)
        ),
        Decimal(0),
    )


def _core_completed_year(entries: Sequence[Entry], required: Decimal) -> int | None:
    """The calendar year in which his core hours reached ``required`` (None if never)."""
    running = Decimal(0)
    for e in sorted((e for e in entries if e.kind == EntryKind.CORE), key=lambda e: e.completed_on):
        running += e.hours
        if running >= required:
            return e.completed_on.year
    return None


def evaluate(
    requirement: Requirement,
    *,
    entries: Sequence[Entry],
    credentials: Sequence[Credential] = (),
    observations: Sequence[dt.date] = (),
    started_on: dt.date | None = None,
    today: dt.date,
) -> PersonStatus:
    """Whether one person meets ``requirement`` on ``today``, with one finding per rule.

    ``observations`` are the dates he was observed; ``started_on`` (when he joined) sets the
    first observation's due date when he has never been observed.
    """
    findings: list[Finding] = []
    soon = dt.timedelta(days=requirement.due_soon_days)
    if requirement.core_hours:
        done = _total(entries, EntryKind.CORE)
        if done < requirement.core_hours:
            findings.append(
                Finding(
                    Status.MISSING,
                    f"{_hours(done)} of {_hours(requirement.core_hours)} core training hours; "
                    f"{_hours(requirement.core_hours - done)} to go before facilitating.",
                )
            )
        else:
            findings.append(
                Finding(
                    Status.COMPLIANT,
                    f"Core training complete ({_hours(done)} of "
                    f"{_hours(requirement.core_hours)} hours).",
                )
            )
    if requirement.trainee_hours:
        done = _total(entries, EntryKind.TRAINEE)
        if done < requirement.trainee_hours:
            findings.append(
                Finding(
                    Status.MISSING,
                    f"{_hours(done)} of {_hours(requirement.trainee_hours)} supervised trainee "
                    f"hours; {_hours(requirement.trainee_hours - done)} to go.",
                )
            )
        else:
            findings.append(
                Finding(
                    Status.COMPLIANT,
                    f"Trainee hours complete ({_hours(done)} of "
                    f"{_hours(requirement.trainee_hours)}).",
                )
            )
    if requirement.ce_hours_per_year:
        findings += _continuing_education(
            requirement, entries, started_on=started_on, today=today, soon=soon
        )
    if requirement.observation_every_months:
        findings.append(
            _observation(requirement, observations, started_on=started_on, today=today, soon=soon)
        )
    findings += [_credential(c, today=today, soon=soon) for c in credentials]
    if not findings:
        return PersonStatus(Status.COMPLIANT, (Finding(Status.COMPLIANT, "Nothing required."),))
    worst = max((f.status for f in findings), key=lambda s: s.rank)
    # Worst first, so the first reason shown is the one to act on.
    ordered = sorted(findings, key=lambda f: -f.status.rank)
    return PersonStatus(worst, tuple(ordered))


def _continuing_education(
    requirement: Requirement,
    entries: Sequence[Entry],
    *,
    started_on: dt.date | None,
    today: dt.date,
    soon: dt.timedelta,
) -> list[Finding]:
    need = requirement.ce_hours_per_year
    # Without a core requirement or a start date, only this year can be judged.
    first_year = today.year if started_on is None else 0
    if requirement.core_hours:
        completed = _core_completed_year(entries, requirement.core_hours)
        if completed is None or completed >= today.year:
            after = "core training" if completed is None else f"core training ({completed})"
            return [
                Finding(
                    Status.COMPLIANT,
                    f"Continuing education is owed from the calendar year after {after}.",
                )
            ]
        first_year = completed + 1
    if started_on is not None and started_on.year + 1 >= first_year:
        if started_on.year >= today.year:
            return [
                Finding(
                    Status.COMPLIANT,
                    "Continuing education is owed from the calendar year after starting "
                    f"({started_on.year}).",
                )
            ]
        first_year = started_on.year + 1
    findings = []
    last_year = today.year - 1
    if last_year >= first_year:
        done_last = _total(entries, EntryKind.CONTINUING, year=last_year)
        if done_last < need:
            findings.append(
                Finding(
                    Status.OVERDUE,
                    f"{_hours(done_last)} of {_hours(need)} continuing-education hours in "
                    f"{last_year}; {_hours(need - done_last)} were due by 31 Dec {last_year}.",
                )
            )
    done = _total(entries, EntryKind.CONTINUING, year=today.year)
    year_end = dt.date(today.year, 12, 31)
    if done >= need:
        findings.append(
            Finding(
                Status.COMPLIANT,
                f"{_hours(done)} of {_hours(need)} continuing-education hours this year.",
            )
        )
    else:
        findings.append(
            Finding(
                Status.DUE_SOON if year_end - today <= soon else Status.COMPLIANT,
                f"{_hours(done)} of {_hours(need)} continuing-education hours this year; "
                f"{_hours(need - done)} due by {_date(year_end)}.",
            )
        )
    return findings


def next_observation_due(
    every_months: int, observations: Sequence[dt.date], *, started_on: dt.date | None
) -> dt.date | None:
    """When his next observation is due: ``every_months`` after the last one, or after he
    started when he has never been observed (None when neither date is known)."""
    base = max(observations) if observations else started_on
    return None if base is None else add_months(base, every_months)


def _observation(
    requirement: Requirement,
    observations: Sequence[dt.date],
    *,
    started_on: dt.date | None,
    today: dt.date,
    soon: dt.timedelta,
) -> Finding:
    months = requirement.observation_every_months
    due = next_observation_due(months, observations, started_on=started_on)
    if due is None:
        return Finding(Status.MISSING, f"Never observed; one is required every {months} months.")
    last = f"last observed {_date(max(observations))}" if observations else "never observed"
    if due < today:
        return Finding(Status.OVERDUE, f"Observation overdue since {_date(due)} ({last}).")
    status = Status.DUE_SOON if due - today <= soon else Status.COMPLIANT
    return Finding(status, f"Next observation due by {_date(due)} ({last}).")


def _credential(credential: Credential, *, today: dt.date, soon: dt.timedelta) -> Finding:
    if credential.expires_on is None:
        return Finding(Status.COMPLIANT, f"{credential.name}: does not expire.")
    if credential.expires_on < today:
        return Finding(
            Status.OVERDUE, f"{credential.name}: expired on {_date(credential.expires_on)}."
        )
    if credential.expires_on - today <= soon:
        days = (credential.expires_on - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        return Finding(
            Status.DUE_SOON,
            f"{credential.name}: expires {when} ({_date(credential.expires_on)}).",
        )
    return Finding(
        Status.COMPLIANT, f"{credential.name}: valid until {_date(credential.expires_on)}."
    )


def credential_alert_threshold(
    expires_on: dt.date, *, today: dt.date, thresholds: Sequence[int] = CREDENTIAL_ALERT_DAYS
) -> int | None:
    """The tightest alert threshold (days before expiry) reached on ``today``, or None.

    60 days before → 60; 30 days before → 30; on the day and after → 0. A daily job keeps one
    alert per threshold; when it first runs late (20 days before), only the 30-day alert is
    raised, not a stale 60-day one.
    """
    days_left = (expires_on - today).days
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def combine(statuses: Iterable[PersonStatus]) -> PersonStatus:
    """One person under several programs' requirements: the worst status, every finding once."""
    findings: list[Finding] = []
    for status in statuses:
        findings += [f for f in status.findings if f not in findings]
    if not findings:
        return PersonStatus(Status.COMPLIANT, (Finding(Status.COMPLIANT, "Nothing required."),))
    worst = max((f.status for f in findings), key=lambda s: s.rank)
    return PersonStatus(worst, tuple(sorted(findings, key=lambda f: -f.status.rank)))
