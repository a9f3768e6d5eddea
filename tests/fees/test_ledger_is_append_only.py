"""The database itself refuses to change or delete a posted ledger entry (SQLite and
PostgreSQL, as the access log); a correction is a new, reversing entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from alliance.fees import services
from alliance.fees.models import LedgerEntry, PaymentMethod


@pytest.fixture
def paid(fees) -> LedgerEntry:
    return services.record_payment(
        actor=fees.ines,
        enrollment=fees.good,
        amount=2000,
        method=PaymentMethod.CASH,
        on=dt.date(2025, 3, 9),
        memo="paid at the desk",
    )


def test_an_update_through_the_orm_is_refused(paid):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=paid.pk).update(amount=1)
    assert LedgerEntry.objects.get().amount == 2000


def test_saving_a_changed_entry_is_refused(paid):
    paid.memo = "changed"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        paid.save()
    assert LedgerEntry.objects.get().memo == "paid at the desk"


def test_a_delete_is_refused(paid):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.count() == 1


def test_raw_sql_cannot_change_or_empty_it_either(paid):
    statements = [
        "UPDATE fees_ledgerentry SET amount = 1",
        "UPDATE fees_ledgerentry SET enrollment_id = NULL, memo = ''",
        "DELETE FROM fees_ledgerentry",
        "TRUNCATE fees_ledgerentry"
        if connection.vendor == "postgresql"
        else "DELETE FROM fees_ledgerentry WHERE 1",
    ]
    for statement in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert LedgerEntry.objects.get().amount == 2000


def test_a_purge_may_forget_whose_entry_it_was_and_nothing_else(paid):
    LedgerEntry.objects.filter(pk=paid.pk).update(enrollment=None)
    kept = LedgerEntry.objects.get()
    assert kept.enrollment_id is None
    assert (kept.amount, kept.kind, kept.memo) == (2000, "payment", "paid at the desk")


def test_a_correction_is_a_new_entry_and_the_original_stays(paid, fees):
    correction = services.reverse_entry(actor=fees.mona, entry=paid, reason="typed twice")
    assert LedgerEntry.objects.count() == 2
    assert LedgerEntry.objects.get(pk=paid.pk).amount == 2000
    assert (correction.kind, correction.reverses_id, correction.amount) == (
        "correction",
        paid.pk,
        2000,
    )
    with pytest.raises(services.FeeError, match="already reversed"):
        services.reverse_entry(actor=fees.mona, entry=paid, reason="again")
    with pytest.raises(services.FeeError, match="cannot be reversed"):
        services.reverse_entry(actor=fees.mona, entry=correction, reason="undo")
