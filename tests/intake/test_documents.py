"""Documents on his record: typed by content, size-limited, encrypted at rest, downloaded as
attachments nobody caches, every opening in the access log, and gone with a purge."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from alliance.audit.models import AccessEvent
from alliance.intake.documents import MAX_BYTES
from alliance.intake.models import ParticipantDocument
from tests.every_table import scan_png
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 10, 10)).save(out, format="JPEG")
    return out.getvalue()


def _upload(client, participant_id, content, name="scan.pdf", **fields):
    data = {"kind": "court_order", "title": "Order of 3 March"} | fields
    data["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"/participants/{participant_id}/documents/", data, follow=True)


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "application/pdf"), (scan_png(), "image/png"), (_jpeg(), "image/jpeg")],
)
def test_a_pdf_or_scan_is_stored_typed_by_its_content(world, as_user, content, kind):
    # The name says .exe: the type comes from the bytes, not the name.
    response = _upload(as_user(world.ian), world.good.participant_id, content, name="x.exe")
    assert "Document stored" in text(response)
    document = ParticipantDocument.objects.get()
    assert document.content_type == kind
    assert document.size == len(content)
    assert bytes(document.content) == content
    assert document.uploaded_by_id == world.ian.pk


def test_the_document_is_encrypted_at_rest(world, as_user):
    _upload(as_user(world.ian), world.good.participant_id, PDF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM intake_participantdocument")
        (stored,) = cursor.fetchone()
    assert b"%PDF" not in bytes(stored)


def _polyglot_png() -> bytes:
    return scan_png() + b"PK\x03\x04" + b"\x00" * 40  # a zip appended to a valid image


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00" + b"\x00" * 200, "only PDF, JPEG and PNG"),
        (b"<html><script>alert(1)</script></html>", "only PDF, JPEG and PNG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "only PDF, JPEG and PNG"),
        (
            PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>"),
            "active content",
        ),
        (PDF + b"<script>alert(1)</script>", "web page or script"),
        (PDF + b"PK\x03\x04rest", "data after its end"),
        (_polyglot_png(), "data after its end"),
        (scan_png()[:60], "damaged"),
        (b"GIF89a" + b"\x00" * 50, "only PDF, JPEG and PNG"),
    ],
)
def test_anything_else_is_refused_by_sniffing_and_nothing_is_stored(
    world, as_user, content, message
):
    response = _upload(as_user(world.ian), world.good.participant_id, content, name="scan.pdf")
    assert message in text(response)
    assert not ParticipantDocument.objects.exists()


def test_a_file_over_the_limit_is_refused(world, as_user):
    big = PDF[:-7] + b"\n" + b"0" * MAX_BYTES + b"\n%%EOF\n"
    response = _upload(as_user(world.ian), world.good.participant_id, big)
    assert "larger than 10 MB" in text(response)
    assert not ParticipantDocument.objects.exists()


def test_a_missing_title_is_refused_naming_the_field(world, as_user):
    response = _upload(as_user(world.ian), world.good.participant_id, PDF, title="")
    assert "title" in text(response)
    assert not ParticipantDocument.objects.exists()


def test_his_documents_are_listed_and_downloaded_as_attachments_in_the_access_log(world, as_user):
    _upload(as_user(world.ian), world.good.participant_id, PDF)
    document = ParticipantDocument.objects.get()
    client = as_user(world.bob)
    page = text(client.get(f"/participants/{world.good.participant_id}/?tab=documents"))
    assert "Order of 3 March" in page
    assert f"/documents/{document.pk}/" in page
    before = AccessEvent.objects.filter(participant_id=world.good.participant_id).count()
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="document-{document.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    events = AccessEvent.objects.filter(participant_id=world.good.participant_id)
    assert events.count() == before + 1
    assert events.latest("pk").url_name == "document"


def test_a_facilitator_sees_no_documents_and_cannot_download_one(world, as_user):
    _upload(as_user(world.ian), world.good.participant_id, PDF)
    document = ParticipantDocument.objects.get()
    alice = as_user(world.alice)
    assert "Order of 3 March" not in text(
        alice.get(f"/participants/{world.good.participant_id}/?tab=documents")
    )
    assert_same_not_found(
        alice.get(f"/documents/{document.pk}/"), alice.get(f"/documents/{MISSING_ID}/")
    )


def test_south_staff_cannot_upload_to_a_north_man(world, as_user):
    client = as_user(world.charlie)
    response = _upload(client, world.good.participant_id, PDF)
    assert response.status_code == 404
    assert not ParticipantDocument.objects.exists()


def test_rotating_the_key_re_encrypts_documents_and_agreements_and_they_still_open(
    world, as_user, settings
):
    import os

    from django.core.management import call_command
    from django.utils import timezone

    from alliance import encryption
    from alliance.intake.agreements import Signature, save_agreement_text, sign_agreement
    from alliance.intake.models import SignedAgreement
    from tests.every_table import signature_data_url

    _upload(as_user(world.ian), world.good.participant_id, PDF)
    version = save_agreement_text(
        actor=world.mona, program=world.program, text="Rules.", now=timezone.now()
    )
    sign_agreement(
        enrollment=world.good,
        version=version,
        signature=Signature(typed_name="John Example", drawing=signature_data_url(), agreed=False),
        channel="tablet",
        opened_by=world.ian,
        link=None,
        now=version.created_at,
    )
    pdf = bytes(SignedAgreement.objects.get().pdf)

    def stored():
        with connection.cursor() as cursor:
            cursor.execute("SELECT content FROM intake_participantdocument")
            document = bytes(cursor.fetchone()[0])
            cursor.execute("SELECT pdf, signature_png FROM intake_signedagreement")
            return (document, *(bytes(v) for v in cursor.fetchone()))

    before = stored()
    old = settings.ALLIANCE_PARTNER_KEY
    new = encryption.new_key()
    settings.ALLIANCE_PARTNER_KEY = f"{new},{old}"
    call_command("rotate_partner_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ALLIANCE_PARTNER_KEY = new  # the old key is dropped

    after = stored()
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert bytes(ParticipantDocument.objects.get().content) == PDF
    signed = SignedAgreement.objects.get()
    assert bytes(signed.pdf) == pdf
    assert bytes(signed.signature_png).startswith(b"\x89PNG")
