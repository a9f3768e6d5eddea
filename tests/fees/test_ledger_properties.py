"""Property: whatever staff post, in whatever order, the stored account's balance is charges −
payments − waivers + refunds ± corrections, and its aging adds up to it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance.core.fees import EntryKind
from alliance.fees import services
from alliance.fees.models import ChargeKind, LedgerEntry, PaymentMethod
from alliance.fees.selectors import account, account_balance

DAY = dt.date(2025, 3, 9)

actions = st.lists(
    st.tuples(
        st.sampled_from(["charge", "payment", "waiver", "refund", "reverse"]),
        st.integers(1, 20_000),
        st.integers(0, 120),
    ),
    max_size=12,
)


def stored_formula(enrollment) -> int:
    rows = list(LedgerEntry.objects.filter(enrollment=enrollment))

    def total(kind: str) -> int:
        return sum(r.amount for r in rows if r.kind == kind)

    corrections = sum(
        (r.amount if r.reverses_kind in (EntryKind.PAYMENT, EntryKind.WAIVER) else -r.amount)
        for r in rows
        if r.kind == EntryKind.CORRECTION
    )
    return total("charge") - total("payment") - total("waiver") + total("refund") + corrections


def apply(world, action: str, amount: int, days_ago: int) -> None:
    man = world.good
    on = DAY - dt.timedelta(days=days_ago)
    try:
        if action == "charge":
            services.post_charge(
                actor=world.mona, enrollment=man, charge_kind=ChargeKind.OTHER, amount=amount, on=on
            )
        elif action == "payment":
            services.record_payment(
                actor=world.ines, enrollment=man, amount=amount, method=PaymentMethod.CASH, on=on
            )
        elif action == "refund":
            services.record_refund(
                actor=world.mona, enrollment=man, amount=amount, method=PaymentMethod.CASH, on=on
            )
        elif action == "waiver":
            waiver = services.request_waiver(
                actor=world.ines, enrollment=man, amount=amount, reason="Hardship"
            )
            services.decide_waiver(actor=world.mona, waiver=waiver, approve=True)
        else:
            entries = list(LedgerEntry.objects.filter(enrollment=man).exclude(kind="correction"))
            if entries:
                target = entries[amount % len(entries)]
                services.reverse_entry(actor=world.mona, entry=target, reason="mistake")
    except services.FeeError:
        pass  # refused (a refund beyond his credit, a second reversal): nothing is posted


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions)
def test_the_stored_balance_follows_the_formula_for_any_sequence(fees, steps):
    with transaction.atomic():
        for action, amount, days_ago in steps:
            apply(fees, action, amount, days_ago)
        balance = account_balance(fees.good)
        assert balance == stored_formula(fees.good)
        summary = account(fees.good, as_of=DAY)
        assert summary.aging.owed == max(balance, 0)
        assert summary.aging.credit == max(-balance, 0)
        assert summary.lines[-1].running == balance if summary.lines else balance == 0
        transaction.set_rollback(True)
