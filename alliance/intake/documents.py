"""Uploaded documents: what is accepted, judged from the content, never from the name.

A court order, a release or an assessment arrives as a PDF or a scan (JPEG, PNG). The type is
sniffed with ``filetype`` (magic numbers) and must agree with the file's own signature at
offset 0; then the whole content is checked for what does not belong in such a file:

* executables and archives (refused by the type at offset 0, and by the end-marker checks when
  appended after a valid file: the classic image-plus-zip polyglot), HTML, SVG or script
  anywhere in the bytes;
* in a PDF, active content: JavaScript, launch actions, embedded files, forms that submit;
* an image that Pillow cannot open and verify, or with bytes after its end marker.

Refused uploads write nothing. Accepted ones are stored encrypted
(``alliance.encryption.EncryptedBinaryField``); every download is in the access log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import filetype
from django.contrib.auth.models import User
from django.db import transaction

from alliance.intake.models import DocumentKind, DocumentType, ParticipantDocument
from alliance.participants.models import Participant

#: A scanned court order of a dozen pages fits; a video does not.
MAX_BYTES = 10 * 1024 * 1024

_SIGNATURES = {
    DocumentType.PDF: b"%PDF-",
    DocumentType.PNG: b"\x89PNG\r\n\x1a\n",
    DocumentType.JPEG: b"\xff\xd8\xff",
}
#: Markup a browser would run, hidden anywhere in the file. Long enough not to occur by chance
#: in compressed image or PDF data. (Executables and archives are refused at offset 0 by the
#: type check, and appended after the file's end by the end-marker checks below.)
_FOREIGN = re.compile(
    rb"<\s*(?:script|html|svg|iframe|embed)\b|<!doctype\s+html|javascript:",
    re.IGNORECASE,
)
#: PDF name objects that run something or carry another file.
_PDF_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|SubmitForm|ImportData|XFA)\b"
)


class DocumentRefused(ValueError):
    """The upload is not accepted; the message says why, naming the field."""


def sniff(content: bytes) -> DocumentType:
    """The document's type, judged from its bytes; raises :class:`DocumentRefused`."""
    if not content:
        raise DocumentRefused("File: the file is empty.")
    if len(content) > MAX_BYTES:
        raise DocumentRefused(f"File: larger than {MAX_BYTES // (1024 * 1024)} MB.")
    guessed = filetype.guess_mime(content)
    try:
        kind = DocumentType(guessed)
    except ValueError:
        raise DocumentRefused(
            "File: only PDF, JPEG and PNG files are accepted (this file's content is "
            f"{guessed or 'of an unknown type'})."
        ) from None
    if not content.startswith(_SIGNATURES[kind]):
        raise DocumentRefused("File: its content does not start like a real PDF, JPEG or PNG.")
    if _FOREIGN.search(content):
        raise DocumentRefused(
            "File: it contains web page or script content; only plain "
            "documents and scans are accepted."
        )
    if kind == DocumentType.PDF:
        _check_pdf(content)
    else:
        _check_image(content, kind)
    return kind


def _check_pdf(content: bytes) -> None:
    if _PDF_ACTIVE.search(content):
        raise DocumentRefused(
            "File: this PDF carries active content (script, launch action, attachment or "
            "form submission). Print it to a plain PDF and upload that."
        )
    end = content.rfind(b"%%EOF")
    if end < 0:
        raise DocumentRefused("File: this PDF is incomplete (no end-of-file marker).")
    if content[end + 5 :].strip():
        raise DocumentRefused("File: this PDF has data after its end; it was refused.")


def _check_image(content: bytes, kind: DocumentType) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception:
        raise DocumentRefused("File: the image is damaged or not really an image.") from None
    end = b"IEND\xaeB`\x82" if kind == DocumentType.PNG else b"\xff\xd9"
    position = content.rfind(end)
    if position < 0 or len(content[position + len(end) :].strip(b"\x00")) > 0:
        raise DocumentRefused("File: the image has data after its end; it was refused.")


@transaction.atomic
def upload_document(
    *,
    actor: User,
    participant: Participant,
    kind: str,
    title: str,
    content: bytes,
    now: dt.datetime,
) -> ParticipantDocument:
    if kind not in DocumentKind.values:
        raise DocumentRefused("Kind: choose court order, release, assessment or other.")
    title = title.strip()
    if not title:
        raise DocumentRefused("Title: say what the document is (e.g. 'Order of 3 March').")
    if len(title) > 200:
        raise DocumentRefused("Title: keep it under 200 characters.")
    content_type = sniff(content)
    return ParticipantDocument.objects.create(
        participant=participant,
        kind=kind,
        title=title,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor,
        uploaded_at=now,
    )
