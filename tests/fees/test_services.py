"""Posting to the ledger through the services: charges from attendance, bands, payments,
refunds, waivers, the sliding scale and the currency."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.fees import AbsenceCharge
from alliance.fees import services
from alliance.fees.models import (
    ChargeKind,
    FeeSchedule,
    LedgerEntry,
    PaymentMethod,
    ScaleBand,
    Waiver,
)
from alliance.fees.selectors import account, account_balance
from tests.factories import P, U, mark

DAY = dt.date(2025, 3, 9)


def session_charges(enrollment) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(enrollment=enrollment, charge_kind="session"))


def test_sessions_attended_are_charged_once_however_often_it_runs(fees):
    created = services.generate_session_charges(
        actor=fees.mona, program=fees.program, through=fees.today
    )
    # Group A's past eight sessions: RIV-101 attended 8, RIV-102 6, RIV-103 5, RIV-104 3;
    # group C (same program): RIV-301 attended 8. Absences are not charged.
    assert created == 8 + 6 + 5 + 3 + 8
    assert len(session_charges(fees.good)) == 8
    assert {e.amount for e in session_charges(fees.good)} == {2500}
    again = services.generate_session_charges(
        actor=fees.mona, program=fees.program, through=fees.today
    )
    assert again == 0
    assert LedgerEntry.objects.filter(charge_kind="session").count() == created


def test_charging_absences_is_a_setting(fees):
    schedule = FeeSchedule.objects.get(program=fees.program)
    services.save_schedule(
        actor=fees.mona,
        program=fees.program,
        intake_fee=schedule.intake_fee,
        session_fee=schedule.session_fee,
        materials_fee=schedule.materials_fee,
        absences_charged=AbsenceCharge.UNEXCUSED,
        charge_makeups=False,
    )
    services.generate_session_charges(actor=fees.mona, program=fees.program, through=fees.today)
    assert len(session_charges(fees.at_limit)) == 8  # 6 attended + 2 unexcused


def test_a_make_up_session_is_charged_only_when_set(fees):
    today = fees.todays_session_a
    attendance = mark(today, fees.good, P, actor=fees.alice)
    attendance.is_makeup = True
    attendance.save()
    services.generate_session_charges(actor=fees.mona, program=fees.program, through=fees.today)
    assert len(session_charges(fees.good)) == 8  # the make-up is not charged


def test_his_band_sets_what_each_session_costs(fees):
    band = services.assess_ability_to_pay(
        actor=fees.ines, enrollment=fees.good, household_income=1_800_000, household_size=1
    )
    assert (band.band, band.fee_percent, band.assessed_by) == ("Low", 20, fees.ines)
    services.generate_session_charges(actor=fees.mona, program=fees.program, through=fees.today)
    assert {e.amount for e in session_charges(fees.good)} == {500}  # 20 % of 25.00
    intake = services.post_charge(
        actor=fees.mona, enrollment=fees.good, charge_kind=ChargeKind.INTAKE, on=DAY
    )
    assert intake.amount == 1000
    with pytest.raises(services.FeeError, match="already charged"):
        services.post_charge(
            actor=fees.mona, enrollment=fees.good, charge_kind=ChargeKind.INTAKE, on=DAY
        )


def test_payments_need_their_reference_or_payer(fees):
    with pytest.raises(services.FeeError, match=r"^reference:"):
        services.record_payment(
            actor=fees.ines, enrollment=fees.good, amount=100, method=PaymentMethod.CARD, on=DAY
        )
    with pytest.raises(services.FeeError, match=r"^payer:"):
        services.record_payment(
            actor=fees.ines,
            enrollment=fees.good,
            amount=100,
            method=PaymentMethod.THIRD_PARTY,
            on=DAY,
        )
    paid = services.record_payment(
        actor=fees.ines,
        enrollment=fees.good,
        amount=100,
        method=PaymentMethod.THIRD_PARTY,
        payer="County victim-services fund",
        on=DAY,
    )
    assert (paid.payer, paid.username, paid.currency) == (
        "County victim-services fund",
        "ines",
        "NZD",
    )
    assert LedgerEntry.objects.count() == 1


def test_a_refund_returns_no_more_than_his_credit(fees):
    services.record_payment(
        actor=fees.ines, enrollment=fees.good, amount=3000, method=PaymentMethod.CASH, on=DAY
    )
    services.post_charge(
        actor=fees.mona,
        enrollment=fees.good,
        charge_kind=ChargeKind.OTHER,
        amount=2000,
        on=DAY,
    )
    with pytest.raises(services.FeeError, match=r"at most his credit, NZD 10\.00"):
        services.record_refund(
            actor=fees.mona, enrollment=fees.good, amount=1500, method=PaymentMethod.CASH, on=DAY
        )
    services.record_refund(
        actor=fees.mona, enrollment=fees.good, amount=1000, method=PaymentMethod.CASH, on=DAY
    )
    assert account_balance(fees.good) == 0


def test_a_waiver_needs_a_second_person(fees):
    services.post_charge(
        actor=fees.mona, enrollment=fees.good, charge_kind=ChargeKind.OTHER, amount=4000, on=DAY
    )
    waiver = services.request_waiver(
        actor=fees.mona, enrollment=fees.good, amount=3000, reason="Lost his job in February."
    )
    with pytest.raises(services.FeeError, match="second person"):
        services.decide_waiver(actor=fees.mona, waiver=waiver, approve=True)
    assert account_balance(fees.good) == 4000
    services.decide_waiver(actor=fees.olga, waiver=waiver, approve=True, note="Agreed.")
    waiver.refresh_from_db()
    assert (waiver.status, waiver.decided_by, waiver.requested_by) == (
        "approved",
        fees.olga,
        fees.mona,
    )
    assert account_balance(fees.good) == 1000
    with pytest.raises(services.FeeError, match="already approved"):
        services.decide_waiver(actor=fees.olga, waiver=waiver, approve=True)
    assert waiver.history.count() == 2


def test_a_waiver_covers_no_more_than_he_owes(fees):
    with pytest.raises(services.FeeError, match=r"^amount: a waiver covers what he owes now"):
        services.request_waiver(
            actor=fees.ines, enrollment=fees.good, amount=100, reason="Hardship."
        )
    assert not Waiver.objects.exists()


def test_a_bad_scale_leaves_the_old_one_whole(fees):
    before = list(ScaleBand.objects.values_list("band", "household_size", "fee_percent"))
    bad = "band,household_size,max_income,fee_percent\nLow,1,100,20\nFull,1,,lots\n"
    with pytest.raises(services.FeeError, match="Row 3, column fee_percent"):
        services.load_scale(actor=fees.mona, program=fees.program, text=bad)
    after = list(ScaleBand.objects.values_list("band", "household_size", "fee_percent"))
    assert after == before


def test_the_currency_cannot_change_once_money_is_posted(fees):
    services.set_currency(actor=fees.olga, organization=fees.riverside, currency="aud")
    services.set_currency(actor=fees.olga, organization=fees.riverside, currency="NZD")
    services.record_payment(
        actor=fees.ines, enrollment=fees.good, amount=100, method=PaymentMethod.CASH, on=DAY
    )
    with pytest.raises(services.FeeError, match=r"^currency: the ledger already holds"):
        services.set_currency(actor=fees.olga, organization=fees.riverside, currency="AUD")
    with pytest.raises(services.FeeError, match="ISO 4217"):
        services.set_currency(actor=fees.olga, organization=fees.riverside, currency="dollars")


def test_the_account_ages_what_he_owes(fees):
    services.generate_session_charges(actor=fees.mona, program=fees.program, through=fees.today)
    services.record_payment(
        actor=fees.ines, enrollment=fees.good, amount=5000, method=PaymentMethod.CASH, on=DAY
    )
    summary = account(fees.good, as_of=fees.today)
    assert summary.balance == 8 * 2500 - 5000
    # Weekly sessions from 8 weeks back: the two oldest (49 and 56 days) are paid first.
    assert summary.aging.amount("31-60") == 2500 * 2  # 35 and 42 days
    assert summary.aging.amount("0-30") == 2500 * 4
    assert summary.aging.owed == summary.balance


def test_unexcused_absences_are_never_charged_by_default(fees):
    mark(fees.todays_session_a, fees.at_limit, U, actor=fees.alice)
    services.generate_session_charges(actor=fees.mona, program=fees.program, through=fees.today)
    assert len(session_charges(fees.at_limit)) == 6


def test_a_waiver_is_not_approved_beyond_what_he_still_owes(fees):
    services.post_charge(
        actor=fees.mona, enrollment=fees.good, charge_kind=ChargeKind.OTHER, amount=4000, on=DAY
    )
    waiver = services.request_waiver(
        actor=fees.ines, enrollment=fees.good, amount=3000, reason="Hardship."
    )
    services.record_payment(
        actor=fees.ines, enrollment=fees.good, amount=2000, method=PaymentMethod.CASH, on=DAY
    )
    with pytest.raises(services.FeeError, match=r"he now owes NZD 20\.00"):
        services.decide_waiver(actor=fees.mona, waiver=waiver, approve=True)
    services.decide_waiver(actor=fees.mona, waiver=waiver, approve=False, note="Paid instead.")
    assert account_balance(fees.good) == 2000
