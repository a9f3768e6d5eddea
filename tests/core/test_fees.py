"""The fee arithmetic (``alliance.core.fees``): money, the sliding scale, balance and aging."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance.core.fees import (
    AbsenceCharge,
    BandRow,
    BandTableError,
    Entry,
    EntryKind,
    MoneyError,
    aging,
    assess_band,
    balance,
    check_currency,
    format_money,
    parse_band_table,
    parse_money,
    percent_of,
    plain_amount,
    session_charged,
)

DAY = dt.date(2025, 3, 10)

TABLE = """band,household_size,max_income,fee_percent
A,1,15650,10
B,1,31300,50
C,1,,100
A,2,21150,10
B,2,42300,50
C,2,,100
"""


def test_it_reads_amounts_in_minor_units_by_currency():
    assert parse_money("25.50", "USD") == 2550
    assert parse_money("25", "USD") == 2500
    assert parse_money("25.5", "CAD") == 2550
    assert parse_money("1500", "JPY") == 1500
    assert parse_money("1.250", "KWD") == 1250


@pytest.mark.parametrize("text", ["", "-5", "12,50", "$12", "1e3", "2.555", "abc"])
def test_it_refuses_text_that_is_not_an_amount(text):
    with pytest.raises(MoneyError):
        parse_money(text, "USD")


def test_yen_has_no_decimals():
    with pytest.raises(MoneyError, match="no minor unit"):
        parse_money("10.5", "JPY")


def test_it_formats_amounts_with_the_currency():
    assert format_money(123456, "USD") == "USD 1,234.56"
    assert format_money(-500, "NZD") == "NZD -5.00"
    assert format_money(1500, "JPY") == "JPY 1,500"
    assert plain_amount(-123456, "USD") == "-1234.56"


def test_currency_codes_are_three_letters():
    assert check_currency(" cad ") == "CAD"
    with pytest.raises(MoneyError, match="ISO 4217"):
        check_currency("dollars")


def test_percent_rounds_half_up_to_the_minor_unit():
    assert percent_of(2500, 10) == 250
    assert percent_of(2505, 10) == 251  # 250.5 → 251
    assert percent_of(2504, 10) == 250
    assert percent_of(2500, 0) == 0


def test_it_reads_a_sliding_scale_and_finds_his_band():
    table = parse_band_table(TABLE, "USD")
    assert len(table) == 6
    assert assess_band(table, income=1_000_000, household_size=1).band == "A"
    assert assess_band(table, income=1_565_000, household_size=1).band == "A"  # at the ceiling
    assert assess_band(table, income=1_565_001, household_size=1).band == "B"
    assert assess_band(table, income=9_000_000, household_size=1).band == "C"
    # A household larger than the table's largest uses the largest size's rows.
    assert assess_band(table, income=2_000_000, household_size=6) == BandRow("A", 2, 2_115_000, 10)


def test_a_bad_table_is_refused_whole_with_each_row_and_column_named():
    text = "band,household_size,max_income,fee_percent\nA,1,abc,10\n,1,,120\nB,x,100,50\n"
    with pytest.raises(BandTableError) as caught:
        parse_band_table(text, "USD")
    errors = caught.value.errors
    assert any(e.startswith("Row 2, column max_income") for e in errors)
    assert any(e.startswith("Row 3, column band") for e in errors)
    assert any(e.startswith("Row 3, column fee_percent") for e in errors)
    assert any(e.startswith("Row 4, column household_size") for e in errors)


def test_a_table_without_an_open_row_or_with_a_gap_is_refused():
    gap = "band,household_size,max_income,fee_percent\nA,1,,10\nA,3,,10\n"
    with pytest.raises(BandTableError, match="no rows for a household of 2"):
        parse_band_table(gap, "USD")
    closed = "band,household_size,max_income,fee_percent\nA,1,100,10\n"
    with pytest.raises(BandTableError, match="exactly one row with an empty max_income"):
        parse_band_table(closed, "USD")
    with pytest.raises(BandTableError, match="Row 1: the header lacks"):
        parse_band_table("band,size\nA,1\n", "USD")


def test_which_sessions_are_charged():
    def charged(mark, makeup=False, absences=AbsenceCharge.NONE, makeups=False):
        return session_charged(mark, is_makeup=makeup, absences=absences, charge_makeups=makeups)

    assert charged("present")
    assert charged("late")
    assert not charged("unexcused")
    assert not charged("excused")
    assert charged("unexcused", absences=AbsenceCharge.UNEXCUSED)
    assert not charged("excused", absences=AbsenceCharge.UNEXCUSED)
    assert charged("excused", absences=AbsenceCharge.ALL)
    assert not charged("present", makeup=True)
    assert charged("present", makeup=True, makeups=True)


def test_a_correction_names_what_it_reverses():
    with pytest.raises(ValueError, match="reverses"):
        Entry(EntryKind.CORRECTION, 100, DAY)
    with pytest.raises(ValueError, match="amount"):
        Entry(EntryKind.CHARGE, 0, DAY)


def test_aging_puts_payments_against_the_oldest_charge_first():
    entries = [
        Entry(EntryKind.CHARGE, 2500, DAY - dt.timedelta(days=100)),
        Entry(EntryKind.CHARGE, 2500, DAY - dt.timedelta(days=45)),
        Entry(EntryKind.CHARGE, 2500, DAY - dt.timedelta(days=5)),
        Entry(EntryKind.PAYMENT, 3000, DAY - dt.timedelta(days=2)),
    ]
    aged = aging(entries, as_of=DAY)
    assert aged.amount("90+") == 0
    assert aged.amount("31-60") == 2000
    assert aged.amount("0-30") == 2500
    assert aged.owed == balance(entries) == 4500
    assert aged.credit == 0


def test_a_payment_ahead_is_a_credit_used_by_later_charges():
    entries = [
        Entry(EntryKind.PAYMENT, 5000, DAY - dt.timedelta(days=40)),
        Entry(EntryKind.CHARGE, 2500, DAY - dt.timedelta(days=35)),
    ]
    aged = aging(entries, as_of=DAY)
    assert (aged.owed, aged.credit, balance(entries)) == (0, 2500, -2500)


# --- Properties --------------------------------------------------------------------------------

KINDS = [EntryKind.CHARGE, EntryKind.PAYMENT, EntryKind.REFUND, EntryKind.WAIVER]


@st.composite
def ledgers(draw) -> list[Entry]:
    entries: list[Entry] = []
    for _ in range(draw(st.integers(0, 25))):
        on = DAY - dt.timedelta(days=draw(st.integers(0, 200)))
        if entries and draw(st.booleans()) and draw(st.booleans()):
            target = draw(st.sampled_from([e for e in entries if e.reverses is None]))
            entries.append(Entry(EntryKind.CORRECTION, target.amount, on, reverses=target.kind))
        else:
            kind = draw(st.sampled_from(KINDS))
            entries.append(Entry(kind, draw(st.integers(1, 100_000)), on))
    return entries


def naive_balance(entries: list[Entry]) -> int:
    """The issue's formula, written out: charges − payments − waivers (+ refunds) ± corrections."""
    total = {kind: sum(e.amount for e in entries if e.kind is kind) for kind in EntryKind}
    corrections = sum(
        (e.amount if e.reverses in (EntryKind.PAYMENT, EntryKind.WAIVER) else -e.amount)
        for e in entries
        if e.kind is EntryKind.CORRECTION
    )
    return (
        total[EntryKind.CHARGE]
        - total[EntryKind.PAYMENT]
        - total[EntryKind.WAIVER]
        + total[EntryKind.REFUND]
        + corrections
    )


@settings(max_examples=300, deadline=None)
@given(ledgers())
def test_balance_is_charges_less_payments_and_waivers_plus_corrections(entries):
    assert balance(entries) == naive_balance(entries)


@settings(max_examples=300, deadline=None)
@given(ledgers())
def test_aging_always_adds_up_to_the_balance(entries):
    aged = aging(entries, as_of=DAY)
    owed = balance(entries)
    assert aged.owed == max(owed, 0)
    assert aged.credit == max(-owed, 0)
    assert all(amount >= 0 for _, amount in aged.buckets)


@settings(max_examples=200, deadline=None)
@given(ledgers(), st.data())
def test_reversing_an_entry_gives_the_balance_without_it(entries, data):
    if not entries:
        return
    target = data.draw(st.sampled_from([e for e in entries if e.reverses is None] or [None]))
    if target is None:
        return
    reversal = Entry(EntryKind.CORRECTION, target.amount, DAY, reverses=target.kind)
    without = list(entries)
    without.remove(target)
    assert balance([*entries, reversal]) == balance(without)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**11), st.sampled_from(["USD", "JPY", "KWD", "EUR"]))
def test_formatting_and_reading_an_amount_round_trips(minor, currency):
    assert parse_money(plain_amount(minor, currency), currency) == minor
