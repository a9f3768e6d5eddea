"""Each document sent is logged with its recipient, period, sender and time, in the same
transaction as its PDF; sent documents never change, and a correction is a new document."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.reports import services
from alliance.reports.models import ImmutableDocumentError, SentDocument
from tests.reports.conftest import pdf_text


def post(client, enrollment, kind="compliance_report", **fields):
    data = {
        "recipient_kind": "court",
        "recipient_organization": "Riverside District Court",
        "recipient_name": "Judge Kereama",
        "period_start": "2025-02-01",
        "period_end": "2025-02-28",
        "action": "send",
    } | fields
    return client.post(f"/enrollments/{enrollment.pk}/reports/{kind}/", data)


def test_sending_logs_recipient_period_sender_and_time(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    response = post(client, reports_world.breach)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    sent = SentDocument.objects.get()
    assert sent.kind == "compliance_report"
    assert sent.enrollment == reports_world.breach
    assert sent.program == reports_world.program
    assert (sent.recipient_kind, sent.recipient_organization, sent.recipient_name) == (
        "court",
        "Riverside District Court",
        "Judge Kereama",
    )
    assert (sent.period_start, sent.period_end) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert sent.sent_by == reports_world.mona
    assert sent.sent_at == dt.datetime(2025, 3, 9, 20, 45, tzinfo=dt.UTC)
    assert "Riverside District Court" in pdf_text(bytes(sent.pdf))

    page = client.get(f"/enrollments/{reports_world.breach.pk}/reports/").content.decode()
    program_log = client.get(f"/programs/{reports_world.program.pk}/reports/").content.decode()
    for body in (page, program_log):
        assert "Riverside District Court, Judge Kereama (Court)" in body
        assert "1 Feb 2025 – 28 Feb 2025" in body
        assert "Mona Tester" in body
        assert "Compliance report" in body
    assert "RIV-103" in program_log


def test_the_pdf_downloaded_later_is_the_one_that_was_sent(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    post(client, reports_world.good)
    sent = SentDocument.objects.get()
    response = client.get(f"/reports/sent/{sent.pk}.pdf")
    assert response.content == bytes(sent.pdf)
    import hashlib

    assert hashlib.sha256(response.content).hexdigest() == sent.pdf_sha256


def test_a_sent_document_cannot_be_changed_or_deleted(reports_world, as_user) -> None:
    post(as_user(reports_world.mona), reports_world.good)
    sent = SentDocument.objects.get()
    sent.recipient_organization = "Somebody else"
    with pytest.raises(ImmutableDocumentError):
        sent.save()
    with pytest.raises(ImmutableDocumentError):
        SentDocument.objects.filter(pk=sent.pk).update(recipient_organization="x")
    with pytest.raises(ImmutableDocumentError):
        sent.delete()
    with pytest.raises(ImmutableDocumentError):
        SentDocument.objects.all().delete()
    assert SentDocument.objects.get().recipient_organization == "Riverside District Court"


def test_a_correction_is_a_new_document_that_names_the_first(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    post(client, reports_world.good)
    first = SentDocument.objects.get()
    response = post(client, reports_world.good, corrects=str(first.pk), period_start="2025-01-01")
    assert response.status_code == 200
    second = SentDocument.objects.latest("pk")
    assert second.pk != first.pk
    assert second.corrects == first
    assert f"Correction of document {first.pk}" in pdf_text(bytes(second.pdf))
    assert SentDocument.objects.get(pk=first.pk).period_start == dt.date(2025, 2, 1)
    log = client.get(f"/enrollments/{reports_world.good.pk}/reports/").content.decode()
    assert f"(corrects no. {first.pk})" in log


def test_a_correction_must_be_of_the_same_document_about_the_same_man(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.mona)
    post(client, reports_world.good)
    first = SentDocument.objects.get()
    response = post(client, reports_world.breach, corrects=str(first.pk))
    assert response.status_code == 409
    assert "corrects:" in response.content.decode()
    assert SentDocument.objects.count() == 1


def test_when_the_pdf_cannot_be_rendered_nothing_is_logged(
    reports_world, as_user, monkeypatch
) -> None:
    def broken(html: str) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    with pytest.raises(RuntimeError):
        post(as_user(reports_world.mona), reports_world.good)
    assert SentDocument.objects.count() == 0
