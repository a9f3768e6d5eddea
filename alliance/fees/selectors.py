"""Reads of fee accounts, for pages, documents and the man's own phone page.

The arithmetic is ``alliance.core.fees``; this module only turns rows into its entries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from alliance.core.fees import AGING_BUCKETS, Aging, Entry, EntryKind, aging, balance, signed
from alliance.fees.models import (
    BandAssessment,
    FeeSchedule,
    FeeSettings,
    LedgerEntry,
    PaymentMethod,
    Waiver,
)
from alliance.organizations.models import Membership, Organization
from alliance.organizations.people import person_name
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants

DEFAULT_CURRENCY = "USD"


def currency_of(organization: Organization) -> str:
    settings = FeeSettings.objects.filter(organization=organization).first()
    return settings.currency if settings else DEFAULT_CURRENCY


def as_entry(row: LedgerEntry) -> Entry:
    return Entry(
        kind=EntryKind(row.kind),
        amount=row.amount,
        on=row.posted_on,
        reverses=EntryKind(row.reverses_kind) if row.reverses_kind else None,
    )


def entries_of(enrollment: Enrollment) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(enrollment=enrollment).order_by("posted_on", "pk")


def account_balance(enrollment: Enrollment) -> int:
    return balance(as_entry(row) for row in entries_of(enrollment))


@dataclass(frozen=True)
class Line:
    """An entry with the running balance after it, for an account page or a statement."""

    entry: LedgerEntry
    signed: int
    running: int
    reversed: bool
    #: Who posted it, by full name (the ledger keeps the username of the moment it was posted).
    by: str = ""


@dataclass(frozen=True)
class Account:
    enrollment: Enrollment
    currency: str
    lines: list[Line]
    balance: int
    aging: Aging
    assessment: BandAssessment | None
    schedule: FeeSchedule | None
    waivers: list[Waiver]


def _lines(rows: Iterable[LedgerEntry], opening: int = 0) -> list[Line]:
    rows = list(rows)
    reversed_ids = {row.reverses_id for row in rows if row.reverses_id is not None}
    running = opening
    lines = []
    names = staff_names({row.username for row in rows})
    for row in rows:
        amount = signed(as_entry(row))
        running += amount
        by = names.get(row.username, row.username)
        lines.append(Line(row, amount, running, row.pk in reversed_ids, by))
    return lines


def staff_names(usernames: Iterable[str]) -> dict[str, str]:
    """Full names for the usernames the ledger kept, in one query; a username whose account
    is gone stays as it was written."""
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    users = get_user_model().objects.filter(username__in=wanted)
    return {user.get_username(): person_name(user) for user in users}


def account(enrollment: Enrollment, *, as_of: dt.date) -> Account:
    rows = list(entries_of(enrollment))
    entries = [as_entry(r) for r in rows]
    return Account(
        enrollment=enrollment,
        currency=currency_of(enrollment.program.organization),
        lines=_lines(rows),
        balance=balance(entries),
        aging=aging(entries, as_of=as_of),
        assessment=BandAssessment.objects.filter(enrollment=enrollment)
        .select_related("assessed_by")
        .first(),
        schedule=FeeSchedule.objects.filter(program=enrollment.program).first(),
        waivers=list(
            Waiver.objects.filter(enrollment=enrollment).select_related(
                "requested_by", "decided_by"
            )
        ),
    )


@dataclass(frozen=True)
class Statement:
    enrollment: Enrollment
    currency: str
    month_start: dt.date
    month_end: dt.date
    opening: int
    lines: list[Line]
    closing: int
    aging: Aging


def statement(enrollment: Enrollment, *, month_start: dt.date) -> Statement:
    """His statement for one calendar month: opening balance, the month's entries, closing
    balance, and what he owes by age at the month's end."""
    next_month = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    month_end = next_month - dt.timedelta(days=1)
    rows = list(entries_of(enrollment).filter(posted_on__lte=month_end))
    before = [as_entry(r) for r in rows if r.posted_on < month_start]
    inside = [r for r in rows if r.posted_on >= month_start]
    opening = balance(before)
    lines = _lines(inside, opening)
    return Statement(
        enrollment=enrollment,
        currency=currency_of(enrollment.program.organization),
        month_start=month_start,
        month_end=month_end,
        opening=opening,
        lines=lines,
        closing=lines[-1].running if lines else opening,
        aging=aging([as_entry(r) for r in rows], as_of=month_end),
    )


# --- Reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgingRow:
    enrollment: Enrollment
    balance: int
    aging: Aging


def visible_entries(membership: Membership) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        organization=membership.organization,
        enrollment__participant__in=visible_participants(membership),
    )


def visible_enrollments(membership: Membership) -> QuerySet[Enrollment]:
    """Every enrollment whose fee account she may open, by code."""
    return (
        Enrollment.objects.filter(participant__in=visible_participants(membership))
        .select_related("participant", "program")
        .order_by("participant__code", "pk")
    )


def aging_rows(membership: Membership, *, as_of: dt.date) -> list[AgingRow]:
    """Every account in her scope with anything posted, most owed first."""
    by_enrollment: dict[int, list[Entry]] = defaultdict(list)
    for row in visible_entries(membership).filter(posted_on__lte=as_of).order_by("pk"):
        assert row.enrollment_id is not None
        by_enrollment[row.enrollment_id].append(as_entry(row))
    enrollments = Enrollment.objects.filter(pk__in=by_enrollment).select_related(
        "participant", "program"
    )
    rows = [
        AgingRow(e, balance(by_enrollment[e.pk]), aging(by_enrollment[e.pk], as_of=as_of))
        for e in enrollments
    ]
    return sorted(rows, key=lambda r: (-r.balance, r.enrollment.participant.code))


def aging_totals(rows: list[AgingRow]) -> tuple[tuple[str, int], ...]:
    return tuple((label, sum(r.aging.amount(label) for r in rows)) for label, _, _ in AGING_BUCKETS)


@dataclass(frozen=True)
class PayerRow:
    method: str
    payer: str
    count: int
    total: int


def payer_rows(membership: Membership, *, start: dt.date, end: dt.date) -> list[PayerRow]:
    """Payments received in the period, by method and payer (net of reversed payments)."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = visible_entries(membership).filter(posted_on__gte=start, posted_on__lte=end)
    labels = dict(PaymentMethod.choices)
    reversed_payments = {
        r.reverses_id: r
        for r in rows.filter(kind=EntryKind.CORRECTION, reverses_kind=EntryKind.PAYMENT)
    }
    for row in rows.filter(kind=EntryKind.PAYMENT):
        key = (labels.get(row.method, row.method), row.payer)
        totals[key][0] += 1
        totals[key][1] += row.amount
        if row.pk in reversed_payments:
            totals[key][0] -= 1
            totals[key][1] -= row.amount
    return sorted(
        (PayerRow(m, p, c, t) for (m, p), (c, t) in totals.items() if c or t),
        key=lambda r: (r.method, r.payer),
    )


@dataclass(frozen=True)
class PhoneBalance:
    owed: int
    credit: int
    currency: str


def phone_balance(enrollment: Enrollment) -> PhoneBalance | None:
    """What he owes (or his credit), for his own phone page; None if nothing was ever posted
    to his account. Only the total: entries and their notes never reach him here."""
    rows = list(entries_of(enrollment))
    if not rows:
        return None
    total = balance(as_entry(r) for r in rows)
    return PhoneBalance(max(total, 0), max(-total, 0), currency_of(enrollment.program.organization))
