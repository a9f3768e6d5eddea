"""Documents fit for a court file: tagged PDF with page numbers, no internal to-dos, the PDF
back from "Produce", and no accidental duplicate."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from alliance.participants.services import assess_enrollment
from alliance.reports.models import SentDocument

pytestmark = pytest.mark.django_db

SEND = {
    "recipient_kind": "probation",
    "recipient_organization": "Riverside Probation",
    "period_start": "2025-02-10",
    "period_end": "2025-03-09",
    "action": "send",
}


def pdf_reader(content: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content))


def url(enrollment, kind="compliance_report") -> str:
    return reverse("enrollment-document", args=[enrollment.pk, kind])


def test_the_pdf_is_tagged_and_numbers_its_pages(world, document):
    reader = pdf_reader(bytes(document.pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    first = reader.pages[0].extract_text()
    assert f"Page 1 of {len(reader.pages)}" in first


def test_internal_to_dos_never_reach_a_document_sent_out(world, as_user):
    man = world.breach
    labels = [action.label for action in assess_enrollment(man).actions_due]
    assert any("Non-compliance notice" in label for label in labels)
    client = as_user(world.mona)
    preview = client.post(url(man), SEND | {"action": "preview"}).content.decode()
    # The program sees its to-dos beside the preview, outside the document.
    assert "For the program only, never in the document" in preview
    response = client.post(url(man), SEND)
    assert response.status_code == 200
    document = SentDocument.objects.get()
    text = "\n".join(page.extract_text() for page in pdf_reader(bytes(document.pdf)).pages)
    for shown in (document.html, text):
        assert "Actions due" not in shown
        for label in labels:
            assert label not in shown


def test_produce_returns_the_pdf_and_refuses_an_accidental_duplicate(world, as_user, frozen_clock):
    client = as_user(world.mona)
    first = client.post(url(world.good), SEND)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("attachment;")
    existing = SentDocument.objects.get()
    assert first.content == bytes(existing.pdf)

    again = client.post(url(world.good), SEND)
    assert again.status_code == 409
    body = again.content.decode()
    assert f"(document {existing.pk})" in body
    assert reverse("document-deliveries", args=[existing.pk]) in body
    assert "Produce another one anyway" in body
    assert SentDocument.objects.count() == 1

    # Another period or another kind is not a duplicate.
    other = client.post(url(world.good), SEND | {"period_start": "2025-02-11"})
    assert other.status_code == 200
    # The explicit override produces a second one.
    another = client.post(url(world.good), SEND | {"produce_another": "1"})
    assert another.status_code == 200
    assert SentDocument.objects.count() == 3

    # After the window it is a new document, not an accident.
    frozen_clock.shift(dt.timedelta(hours=1, minutes=1))
    client = as_user(world.mona)  # signed in again after the idle time-out
    assert client.post(url(world.good), SEND).status_code == 200
    assert SentDocument.objects.count() == 4


def test_the_sender_s_credentials_follow_his_name(world, as_user):
    client = as_user(world.mona)
    refused = client.post(reverse("profile-credentials"), {"credentials": "MSW <b>"})
    assert refused.status_code == 400
    assert "credentials: Use letters" in refused.content.decode()
    saved = client.post(reverse("profile-credentials"), {"credentials": "  MSW,  RSW "})
    assert saved.status_code == 302
    response = client.post(url(world.good), SEND)
    document = SentDocument.objects.get()
    assert response.status_code == 200
    assert "<strong>Mona Tester</strong>, MSW, RSW" in document.html
    text = "\n".join(page.extract_text() for page in pdf_reader(bytes(document.pdf)).pages)
    assert "Mona Tester, MSW, RSW" in text
    # The signature block: who prepared it, her role, the date, a line to sign.
    assert "Prepared and sent by" in text
    assert "Program manager, Riverside" in text
    local = document.sent_at.astimezone(world.good.program.tzinfo)
    assert f"Date: {local:%-d %B %Y}" in text
    assert "Signature: ____" in text
