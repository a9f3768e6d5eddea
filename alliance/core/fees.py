"""Fees, sliding scales and the ledger's arithmetic: integers in, integers out.

Money is always an integer count of the currency's minor unit (cents, pence, yen), never a
float; the number of decimals comes from ISO 4217 (``MINOR_UNITS``). A ledger is a sequence of
:class:`Entry`; every amount is positive and the kind says which way it moves the balance:

    balance = charges + refunds - payments - waivers + (reversals of credits - reversals of debits)

A *correction* is never an edit: it is a new entry that reverses an earlier one (the earlier
row stays, as in double-entry bookkeeping), so the balance after a correction is the balance
as if the reversed entry had not been posted.

The sliding scale is a table the program loads (``parse_band_table``): for each household
size, rows of an income ceiling and the percentage of the full fee he pays. Programs often
derive the ceilings from a poverty guideline (e.g. 100 %, 150 %, 200 % of the guideline for
his household size); the table holds the resulting amounts so that the rule is auditable.

References
----------
California's standards require a sliding fee schedule and a financial evaluation at intake;
a study of Los Angeles programs found 78 % withhold proof of completion for unpaid fees
(Fines and Fees Justice Center, https://finesandfeesjusticecenter.org/articles/
la-batterers-intervention-programs-costs/). See ``shared/research/bip_standards.md``, gap 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

#: Decimals of the minor unit by ISO 4217 code, for the currencies a program is likely to use.
#: Anything not listed has two (the ISO default for most currencies).
MINOR_UNITS: dict[str, int] = {
    "BHD": 3,
    "CLP": 0,
    "IQD": 3,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KRW": 0,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "PYG": 0,
    "TND": 3,
    "UGX": 0,
    "VND": 0,
    "XAF": 0,
    "XOF": 0,
}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^(?P<whole>\d{1,12})(?:\.(?P<fraction>\d+))?$")


class MoneyError(ValueError):
    """Text that is not an amount in the currency (the message says why)."""


def check_currency(code: str) -> str:
    """The ISO 4217 code in upper case, or ``MoneyError``."""
    upper = code.strip().upper()
    if not _CURRENCY.match(upper):
        raise MoneyError(f"{code!r} is not a three-letter ISO 4217 currency code (e.g. USD, CAD).")
    return upper


def minor_units(currency: str) -> int:
    return MINOR_UNITS.get(currency, 2)


def _scale(decimals: int) -> int:
    scale: int = 10**decimals
    return scale


def parse_money(text: str, currency: str) -> int:
    """``"25.50"`` in USD → ``2550``. No sign, no thousands separators, no more decimals
    than the currency has; a currency symbol or code in front is not accepted either."""
    cleaned = text.strip()
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise MoneyError(f"{text!r} is not an amount: write digits, e.g. 25 or 25.50.")
    decimals = minor_units(currency)
    fraction = match.group("fraction") or ""
    if len(fraction) > decimals:
        raise MoneyError(
            f"{text!r} has more decimals than {currency} has ({decimals})."
            if decimals
            else f"{text!r}: {currency} has no minor unit; write a whole number."
        )
    whole = int(match.group("whole"))
    return whole * _scale(decimals) + int(fraction.ljust(decimals, "0") or "0")


def format_money(minor: int, currency: str) -> str:
    """``2550`` in USD → ``"USD 25.50"``; a negative amount (a credit) → ``"USD -25.50"``."""
    decimals = minor_units(currency)
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), _scale(decimals))
    text = f"{whole:,}" + (f".{fraction:0{decimals}d}" if decimals else "")
    return f"{currency} {sign}{text}"


def plain_amount(minor: int, currency: str) -> str:
    """``2550`` → ``"25.50"``: a decimal without separators, for CSV files."""
    decimals = minor_units(currency)
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), _scale(decimals))
    return f"{sign}{whole}" + (f".{fraction:0{decimals}d}" if decimals else "")


def percent_of(amount: int, percent: int) -> int:
    """``percent`` (0–100) of ``amount`` minor units, rounded half up to a whole minor unit."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return (amount * percent + 50) // 100


# --- Sliding scale ---------------------------------------------------------------------------

BAND_COLUMNS = ("band", "household_size", "max_income", "fee_percent")


@dataclass(frozen=True)
class BandRow:
    """One row of a sliding scale: a household of ``household_size`` whose yearly income is at
    most ``max_income`` (minor units; ``None`` = no ceiling) pays ``fee_percent`` % of each fee.

    The table's largest household size also applies to larger households."""

    band: str
    household_size: int
    max_income: int | None
    fee_percent: int


class BandTableError(ValueError):
    """Every problem found in a sliding-scale file, each naming its row and column."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


def parse_band_table(text: str, currency: str) -> tuple[BandRow, ...]:
    """Read a sliding-scale CSV (columns ``BAND_COLUMNS``) and check it as a whole.

    Rows are numbered as a spreadsheet shows them (the header is row 1). The table is refused
    unless every household size from 1 to the largest has rows, each size's ceilings rise
    strictly and end with one open row (empty ``max_income``), so every income finds a band.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in BAND_COLUMNS if c not in header]
    if missing:
        raise BandTableError(
            [
                f"Row 1: the header lacks the column(s) {', '.join(missing)}; "
                f"expected {', '.join(BAND_COLUMNS)}."
            ]
        )
    errors: list[str] = []
    rows: list[tuple[int, BandRow]] = []
    for number, raw in enumerate(reader, start=2):
        values = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(values.values()):
            continue
        row_errors: list[str] = []
        band = values.get("band", "")
        if not band:
            row_errors.append(f"Row {number}, column band: give the band a name.")
        elif len(band) > 40:
            row_errors.append(f"Row {number}, column band: at most 40 characters.")
        size = _int(values.get("household_size", ""))
        if size is None or not 1 <= size <= 30:
            row_errors.append(
                f"Row {number}, column household_size: "
                f"{values.get('household_size', '')!r} is not a whole number from 1 to 30."
            )
        ceiling: int | None = None
        if values.get("max_income", ""):
            try:
                ceiling = parse_money(values["max_income"], currency)
            except MoneyError as exc:
                row_errors.append(f"Row {number}, column max_income: {exc}")
        percent = _int(values.get("fee_percent", "").rstrip("%").strip())
        if percent is None or not 0 <= percent <= 100:
            row_errors.append(
                f"Row {number}, column fee_percent: "
                f"{values.get('fee_percent', '')!r} is not a whole percentage from 0 to 100."
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        assert size is not None
        assert percent is not None
        rows.append((number, BandRow(band, size, ceiling, percent)))
    if not rows and not errors:
        errors.append("The file has no rows after its header.")
    if not errors:
        errors.extend(_table_errors(rows))
    if errors:
        raise BandTableError(errors)
    return tuple(
        sorted(
            (row for _, row in rows),
            key=lambda r: (r.household_size, r.max_income is None, r.max_income or 0),
        )
    )


def _table_errors(rows: list[tuple[int, BandRow]]) -> list[str]:
    errors: list[str] = []
    by_size: dict[int, list[tuple[int, BandRow]]] = {}
    for number, row in rows:
        by_size.setdefault(row.household_size, []).append((number, row))
    largest = max(by_size)
    for size in range(1, largest + 1):
        if size not in by_size:
            errors.append(
                f"Column household_size: no rows for a household of {size} "
                f"(sizes 1 to {largest} each need rows)."
            )
            continue
        sized = by_size[size]
        open_rows = [number for number, row in sized if row.max_income is None]
        if len(open_rows) != 1:
            where = f"rows {', '.join(map(str, open_rows))}" if open_rows else "no row"
            errors.append(
                f"Column max_income: a household of {size} needs exactly one row with an empty "
                f"max_income (incomes above the last ceiling); {where} has one."
            )
        seen: dict[int, int] = {}
        for number, row in sized:
            if row.max_income is None:
                continue
            if row.max_income in seen:
                errors.append(
                    f"Row {number}, column max_income: the same ceiling as row "
                    f"{seen[row.max_income]} for a household of {size}."
                )
            seen[row.max_income] = number
    return errors


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def assess_band(table: Sequence[BandRow], *, income: int, household_size: int) -> BandRow:
    """The band of a household: among the rows for his household size (the largest size in the
    table if his is larger), the one with the lowest ceiling at or above his yearly income."""
    if income < 0:
        raise ValueError("income: a yearly income cannot be negative.")
    if household_size < 1:
        raise ValueError("household_size: a household has at least one person.")
    if not table:
        raise ValueError("The program has no sliding scale loaded.")
    size = min(household_size, max(r.household_size for r in table))
    candidates = [r for r in table if r.household_size == size]
    fitting = [r for r in candidates if r.max_income is None or income <= r.max_income]
    return min(fitting, key=lambda r: (r.max_income is None, r.max_income or 0))


# --- Charges from attendance ------------------------------------------------------------------


class AbsenceCharge(StrEnum):
    """Which absences cost him the session fee."""

    NONE = "none"
    UNEXCUSED = "unexcused"
    ALL = "all"


def session_charged(
    mark: str, *, is_makeup: bool, absences: AbsenceCharge, charge_makeups: bool
) -> bool:
    """Whether a session with attendance ``mark`` ("present", "late", "excused",
    "unexcused") is charged under the schedule's settings."""
    if is_makeup and not charge_makeups:
        return False
    if mark in ("present", "late"):
        return True
    if mark == "unexcused":
        return absences in (AbsenceCharge.UNEXCUSED, AbsenceCharge.ALL)
    if mark == "excused":
        return absences is AbsenceCharge.ALL
    raise ValueError(f"unknown attendance mark {mark!r}")


# --- The ledger -------------------------------------------------------------------------------


class EntryKind(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"
    REFUND = "refund"
    WAIVER = "waiver"
    #: Reverses an earlier entry (``reverses`` names its kind): a correction, never an edit.
    CORRECTION = "correction"


#: +1 for what he owes more of, -1 for what reduces it.
DIRECTION: dict[EntryKind, int] = {
    EntryKind.CHARGE: 1,
    EntryKind.REFUND: 1,
    EntryKind.PAYMENT: -1,
    EntryKind.WAIVER: -1,
}


@dataclass(frozen=True)
class Entry:
    """One posted ledger entry. ``amount`` is positive, in minor units."""

    kind: EntryKind
    amount: int
    on: dt.date
    #: For a correction: the kind of the entry it reverses (never another correction).
    reverses: EntryKind | None = None

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("amount: an entry's amount must be more than zero.")
        if (self.kind is EntryKind.CORRECTION) != (self.reverses is not None):
            raise ValueError(
                "reverses: a correction, and only a correction, names what it reverses."
            )
        if self.reverses is EntryKind.CORRECTION:
            raise ValueError("reverses: a correction cannot itself be reversed.")


def signed(entry: Entry) -> int:
    """The entry's effect on what he owes (positive: he owes more)."""
    if entry.kind is EntryKind.CORRECTION:
        assert entry.reverses is not None
        return -DIRECTION[entry.reverses] * entry.amount
    return DIRECTION[entry.kind] * entry.amount


def balance(entries: Iterable[Entry]) -> int:
    """What he owes (negative: the program owes him, a credit)."""
    return sum(signed(e) for e in entries)


AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


@dataclass(frozen=True)
class Aging:
    """What he owes, by how long ago it fell due, and any credit not yet used."""

    buckets: tuple[tuple[str, int], ...]
    credit: int

    @property
    def owed(self) -> int:
        return sum(amount for _, amount in self.buckets)

    def amount(self, label: str) -> int:
        return dict(self.buckets)[label]


def aging(entries: Iterable[Entry], *, as_of: dt.date) -> Aging:
    """Age what he owes: every credit (payment, waiver, reversal of a debit) pays off the
    oldest open debit first (first in, first out, the usual accounts-receivable rule); each
    debit still open is aged by whole days from its date to ``as_of``.

    The buckets add up to the balance when he owes, and ``credit`` is what he has paid ahead.
    """
    debits: list[tuple[dt.date, int]] = []  # open debits, oldest first: (date, remaining)
    credit = 0
    for entry in sorted(entries, key=lambda e: (e.on, -signed(e))):
        amount = signed(entry)
        if amount > 0:
            used = min(credit, amount)
            credit -= used
            if amount > used:
                debits.append((entry.on, amount - used))
            continue
        credit += -amount
        while credit and debits:
            day, remaining = debits[0]
            used = min(credit, remaining)
            credit -= used
            if used == remaining:
                debits.pop(0)
            else:
                debits[0] = (day, remaining - used)
    totals = {label: 0 for label, _, _ in AGING_BUCKETS}
    for day, remaining in debits:
        totals[_bucket(max((as_of - day).days, 0))] += remaining
    return Aging(tuple(totals.items()), credit)


def _bucket(days: int) -> str:
    for label, low, high in AGING_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    raise AssertionError(days)
