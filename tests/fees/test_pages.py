"""The fee pages through HTTP, as the personas: who may post what, the access log, receipts
and statements as PDF text, the reports, the accounting CSV and his phone page."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils import timezone

from alliance.audit.models import AccessEvent
from alliance.fees import services
from alliance.fees.models import ChargeKind, LedgerEntry, PaymentMethod, Waiver
from alliance.practice.tokens import create_practice_link
from tests.fees.conftest import SCALE, pdf_text

DAY = dt.date(2025, 3, 9)


def account_url(enrollment) -> str:
    return f"/fees/enrollments/{enrollment.pk}/"


def owing(world, amount: int = 7500) -> LedgerEntry:
    return services.post_charge(
        actor=world.mona,
        enrollment=world.good,
        charge_kind=ChargeKind.OTHER,
        amount=amount,
        on=DAY - dt.timedelta(days=40),
        memo="STAFF-ONLY-MEMO",
    )


def test_the_intake_coordinator_records_a_payment_and_it_is_logged(fees, as_user):
    owing(fees)
    client = as_user(fees.ines)
    response = client.post(
        account_url(fees.good) + "payment/",
        {"amount": "20.50", "method": "card", "reference": "AUTH-7781", "on": "2025-03-09"},
    )
    assert response.status_code == 302
    payment = LedgerEntry.objects.get(kind="payment")
    assert (payment.amount, payment.reference, payment.username) == (2050, "AUTH-7781", "ines")
    logged = AccessEvent.objects.filter(user=fees.ines, url_name="fees:payment")
    assert logged.get().enrollment_id == fees.good.pk
    page = client.get(account_url(fees.good)).content.decode()
    assert "NZD 54.50" in page  # 75.00 - 20.50
    # The ledger keeps the username; the page names who posted each entry (D23).
    assert "<td>Ines Tester</td>" in page
    assert "<td>Mona Tester</td>" in page
    assert "<td>ines</td>" not in page


def test_a_payment_form_error_names_the_field_and_posts_nothing(fees, as_user):
    client = as_user(fees.ines)
    response = client.post(
        account_url(fees.good) + "payment/",
        {"amount": "12,50", "method": "cash", "on": "2025-03-09"},
        follow=True,
    )
    assert "amount:" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_the_intake_coordinator_may_not_post_charges_or_decide_waivers(fees, as_user):
    owing(fees)
    waiver = services.request_waiver(
        actor=fees.mona, enrollment=fees.good, amount=1000, reason="Hardship"
    )
    client = as_user(fees.ines)
    charge = client.post(
        account_url(fees.good) + "charge/",
        {"charge_kind": "other", "amount": "10", "on": "2025-03-09"},
    )
    decide = client.post(f"/fees/waivers/{waiver.pk}/decide/", {"decision": "approve"})
    assert (charge.status_code, decide.status_code) == (404, 404)
    assert LedgerEntry.objects.count() == 1
    assert Waiver.objects.get().status == "requested"


def test_facilitators_and_evaluators_see_nothing_of_fees(fees, as_user):
    owing(fees)
    for user in (fees.alice, fees.eve, fees.petra):
        client = as_user(user)
        assert client.get(account_url(fees.good)).status_code == 404
        assert client.get("/fees/").status_code == 404
        assert (
            client.post(
                account_url(fees.good) + "payment/",
                {"amount": "5", "method": "cash", "on": "2025-03-09"},
            ).status_code
            == 404
        )
    assert LedgerEntry.objects.count() == 1


def test_a_supervisor_reads_but_posts_nothing(fees, as_user):
    owing(fees)
    client = as_user(fees.bob)
    page = client.get(account_url(fees.good)).content.decode()
    assert "NZD 75.00" in page
    assert "Record payment" not in page
    response = client.post(
        account_url(fees.good) + "payment/", {"amount": "5", "method": "cash", "on": "2025-03-09"}
    )
    assert response.status_code == 404


def test_a_waiver_asked_for_by_one_manager_is_decided_by_another(fees, as_user):
    owing(fees)
    as_user(fees.mona).post(
        account_url(fees.good) + "waiver/", {"amount": "30", "reason": "Lost his job."}
    )
    waiver = Waiver.objects.get()
    refused = as_user(fees.mona).post(
        f"/fees/waivers/{waiver.pk}/decide/", {"decision": "approve"}, follow=True
    )
    assert "needs a second person" in refused.content.decode()
    assert Waiver.objects.get().status == "requested"
    as_user(fees.olga).post(f"/fees/waivers/{waiver.pk}/decide/", {"decision": "approve"})
    assert Waiver.objects.get().status == "approved"
    assert LedgerEntry.objects.get(kind="waiver").amount == 3000


def test_a_manager_reverses_an_entry_with_a_reason(fees, as_user):
    charge = owing(fees)
    client = as_user(fees.mona)
    client.post(f"/fees/entries/{charge.pk}/reverse/", {"reason": "Charged the wrong man"})
    correction = LedgerEntry.objects.get(kind="correction")
    assert (correction.reverses_id, correction.memo) == (charge.pk, "Charged the wrong man")
    assert AccessEvent.objects.filter(url_name="fees:reverse", enrollment_id=fees.good.pk).exists()


def test_the_receipt_is_a_pdf_with_the_letterhead_and_the_amount(fees, as_user):
    fees.riverside.address = "12 Harbour Road\nAuckland"
    fees.riverside.save()
    paid = services.record_payment(
        actor=fees.ines,
        enrollment=fees.good,
        amount=2550,
        method=PaymentMethod.CHEQUE,
        reference="CHQ-000451",
        on=DAY,
    )
    response = as_user(fees.bob).get(f"/fees/entries/{paid.pk}/receipt.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Receipt" in text
    assert "Riverside" in text
    assert "12 Harbour Road" in text
    assert "NZD 25.50" in text
    assert "CHQ-000451" in text
    assert "Received by Ines Tester" in text
    assert "RIV-101" in text
    assert AccessEvent.objects.filter(url_name="fees:receipt", enrollment_id=fees.good.pk).exists()


def test_a_charge_has_no_receipt(fees, as_user):
    charge = owing(fees)
    assert as_user(fees.mona).get(f"/fees/entries/{charge.pk}/receipt.pdf").status_code == 404


def test_the_monthly_statement_shows_opening_entries_and_closing(fees, as_user):
    owing(fees)  # 28 January: before March
    services.record_payment(
        actor=fees.ines, enrollment=fees.good, amount=2000, method=PaymentMethod.CASH, on=DAY
    )
    response = as_user(fees.ines).get(account_url(fees.good) + "statement.pdf?month=2025-03")
    text = " ".join(pdf_text(response.content).split())
    assert "Statement of fees · March 2025" in text
    assert "Balance on 1 March 2025: NZD 75.00" in text
    assert "Payment (cash)" in text
    assert "Balance on 31 March 2025: NZD 55.00" in text
    assert "STAFF-ONLY-MEMO" not in text
    bad = as_user(fees.ines).get(account_url(fees.good) + "statement.pdf?month=March")
    assert bad.status_code == 400
    assert b"month:" in bad.content


def test_the_aging_report_lists_what_each_man_owes_by_age(fees, as_user):
    owing(fees)
    page = as_user(fees.mona).get("/fees/").content.decode()
    assert "RIV-101" in page
    assert "NZD 75.00" in page
    assert AccessEvent.objects.filter(url_name="fees:aging", enrollment_id=fees.good.pk).exists()


def test_the_payer_report_totals_payments_by_payer(fees, as_user):
    owing(fees)
    for amount in (1000, 1500):
        services.record_payment(
            actor=fees.ines,
            enrollment=fees.good,
            amount=amount,
            method=PaymentMethod.THIRD_PARTY,
            payer="Men's Shed Trust",
            on=DAY,
        )
    page = as_user(fees.ines).get("/fees/payers/?start=2025-03-01&end=2025-03-10").content
    text = page.decode()
    assert "Men&#x27;s Shed Trust" in text or "Men's Shed Trust" in text
    assert "NZD 25.00" in text


def test_the_accounting_export_is_documented_and_injection_safe(fees, as_user):
    owing(fees)
    services.record_payment(
        actor=fees.ines,
        enrollment=fees.good,
        amount=1000,
        method=PaymentMethod.THIRD_PARTY,
        payer='=HYPERLINK("http://evil.example")',
        on=DAY,
    )
    response = as_user(fees.mona).get("/fees/export.csv?start=2025-01-01&end=2025-03-10")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == [
        "entry_id",
        "posted_on",
        "kind",
        "charge_kind",
        "amount",
        "signed_amount",
    ]
    payment = next(r for r in rows if r[2] == "payment")
    assert payment[rows[0].index("payer")].startswith("'=")
    assert payment[rows[0].index("signed_amount")] == "-10.00"
    assert payment[rows[0].index("participant_code")] == "RIV-101"
    assert as_user(fees.ines).get("/fees/export.csv").status_code == 404


def test_a_scale_with_errors_is_refused_whole_through_the_page(fees, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("scale.csv", b"band,household_size,max_income,fee_percent\nA,1,x,10\n")
    response = as_user(fees.mona).post(
        f"/fees/programs/{fees.program.pk}/scale/", {"file": bad}, follow=True
    )
    text = response.content.decode()
    assert "Nothing was loaded" in text
    assert "Row 2, column max_income" in text
    good = SimpleUploadedFile("scale.csv", SCALE.encode())
    response = as_user(fees.mona).post(
        f"/fees/programs/{fees.program.pk}/scale/", {"file": good}, follow=True
    )
    assert "Sliding scale loaded: 6 rows." in response.content.decode()


def test_charging_sessions_from_the_program_page_twice_charges_once(fees, as_user):
    client = as_user(fees.mona)
    url = f"/fees/programs/{fees.program.pk}/charge-sessions/"
    first = client.post(url, {"through": "2025-03-09"}, follow=True).content.decode()
    assert "30 session charges posted." in first
    second = client.post(url, {"through": "2025-03-09"}, follow=True).content.decode()
    assert "0 session charges posted." in second


def test_he_sees_his_balance_on_his_phone_but_no_entry_or_note(fees, client):
    owing(fees)
    _, token = create_practice_link(actor=fees.alice, enrollment=fees.good, now=timezone.now())
    page = client.get(f"/p/{token}/").content.decode()
    assert "You owe NZD 75.00." in page
    assert "STAFF-ONLY-MEMO" not in page
    assert "Other charge" not in page


def test_a_man_with_no_fee_account_sees_no_fee_section(fees, client):
    _, token = create_practice_link(actor=fees.alice, enrollment=fees.good, now=timezone.now())
    assert "Program fees" not in client.get(f"/p/{token}/").content.decode()


def test_any_account_in_her_scope_opens_from_the_fees_page(fees, as_user):
    client = as_user(fees.ines)
    response = client.get(f"/fees/?enrollment={fees.good.pk}")
    assert response.status_code == 302
    assert response["Location"] == account_url(fees.good)
    assert client.get(f"/fees/?enrollment={fees.man_b.pk}").status_code == 404  # South
    assert client.get("/fees/?enrollment=abc").status_code == 404
