"""Every document the organization sends is headed by its letterhead (name, address, phone,
logo) and closed by its signature block, as set on the organization settings page (issue 13,
item 1): previews, stored HTML, the PDF, and the monthly report."""

from __future__ import annotations

import io

from PIL import Image

from alliance.organizations.models import Organization
from tests.reports.test_documents import page, send, sent_pdf_text, subject
from tests.reports.test_monthly import flat, monthly


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def _set_letterhead(world) -> None:
    Organization.objects.filter(pk=world.riverside.pk).update(
        address="12 River Road\nRiverside, RS 10001",
        phone="+1 555 0100",
        signature_block="Dana Director\nProgram Director, Riverside",
        logo=_png(),
        logo_type="image/png",
    )


def test_a_court_document_carries_the_letterhead_and_signature_block(reports_world, as_user):
    _set_letterhead(reports_world)
    client = as_user(reports_world.mona)
    enrollment = subject(reports_world, "compliance_report")

    html = page(client, enrollment, "compliance_report")
    assert "12 River Road" in html
    assert "+1 555 0100" in html
    assert 'src="data:image/png;base64,' in html
    assert "Dana Director" in html
    assert "Program Director, Riverside" in html

    document = send(client, enrollment, "compliance_report")
    assert "Dana Director" in document.html
    assert "data:image/png;base64," in document.html
    text = sent_pdf_text(client, document)
    assert "12 River Road" in text
    assert "Program Director, Riverside" in text


def test_without_a_letterhead_a_document_still_names_the_organization(reports_world, as_user):
    client = as_user(reports_world.mona)
    html = page(client, subject(reports_world, "enrollment_notice"), "enrollment_notice")
    assert "Riverside" in html
    assert 'class="signature"' not in html
    assert "<img" not in html


def test_the_monthly_report_carries_the_letterhead_too(reports_world, as_user):
    _set_letterhead(reports_world)
    response = monthly(as_user(reports_world.mona), reports_world.program)
    assert response.status_code == 200
    html = flat(response.content.decode())
    assert "12 River Road" in html
    assert "Dana Director" in html
