"""Sending a document: build it, render its PDF and log it, all in one transaction.

If the document is refused or the PDF cannot be rendered, nothing is logged; if the log entry
cannot be written, no PDF is handed out. What is logged is exactly what was sent: the HTML that
fed the PDF and the PDF itself, never re-rendered later.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.participants.models import Enrollment
from alliance.programs.models import Program
from alliance.reports.aggregate import monthly_aggregate
from alliance.reports.documents import DocumentRefused, Recipient, build_document
from alliance.reports.models import DocumentKind, RecipientKind, SentDocument
from alliance.reports.rendering import document_html, html_to_pdf

#: A second document of the same kind about the same man for the same period within this
#: window is taken for an accidental double send, unless the sender says otherwise.
DUPLICATE_WINDOW = dt.timedelta(hours=1)


class DuplicateDocument(DocumentRefused):
    """The same document was produced moments ago; ``existing`` is that one."""

    def __init__(self, existing: SentDocument) -> None:
        super().__init__(
            f"The same {existing.get_kind_display().lower()} for this period was produced "
            f"{existing.sent_at:%H:%M} today by "
            f"{existing.sent_by.get_full_name() or existing.sent_by.get_username()} "
            f"(document {existing.pk}). Use that one, or say that you mean to produce another."
        )
        self.existing = existing


def _check_duplicate(
    *,
    enrollment: Enrollment,
    kind: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    recipient: Recipient,
    now: dt.datetime,
) -> None:
    """The same document to the same recipient: the same report to the court and to probation
    is two documents, not a duplicate."""
    existing = (
        SentDocument.objects.filter(
            enrollment=enrollment,
            kind=kind,
            recipient_kind=recipient.kind,
            recipient_organization__iexact=recipient.organization.strip(),
            period_start=period_start,
            period_end=period_end,
            sent_at__gte=now - DUPLICATE_WINDOW,
        )
        .defer("html", "pdf")
        .select_related("sent_by")
        .first()
    )
    if existing is not None:
        raise DuplicateDocument(existing)


def _check_recipient(recipient: Recipient) -> None:
    if recipient.kind not in RecipientKind.values:
        raise DocumentRefused(f"recipient_kind: unknown kind of recipient {recipient.kind!r}.")
    if not recipient.organization.strip():
        raise DocumentRefused("recipient_organization: say which organization receives it.")


def _check_correction(corrects: SentDocument | None, kind: str, enrollment_id: int | None) -> None:
    if corrects is None:
        return
    if corrects.kind != kind or corrects.enrollment_id != enrollment_id:
        raise DocumentRefused(
            "corrects: a correction must be the same kind of document about the same man."
        )


@transaction.atomic
def send_enrollment_document(
    *,
    actor: User,
    enrollment: Enrollment,
    kind: str,
    recipient: Recipient,
    today: dt.date,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    corrects: SentDocument | None = None,
    allow_duplicate: bool = False,
) -> SentDocument:
    """Produce and log one document. A document just like one produced within
    :data:`DUPLICATE_WINDOW` is refused (:class:`DuplicateDocument`) unless ``allow_duplicate``
    or it is a correction."""
    _check_recipient(recipient)
    _check_correction(corrects, kind, enrollment.pk)
    document = build_document(
        enrollment,
        kind,
        recipient=recipient,
        today=today,
        period_start=period_start,
        period_end=period_end,
    )
    now = timezone.now()
    if corrects is None and not allow_duplicate:
        _check_duplicate(
            enrollment=enrollment,
            kind=kind,
            period_start=document.period_start,
            period_end=document.period_end,
            recipient=recipient,
            now=now,
        )
    html = document_html(
        "reports/document_pdf.html",
        {"document": document, "sent_by": actor, "sent_at": now, "corrects": corrects},
    )
    return _log(
        actor=actor,
        kind=kind,
        program=enrollment.program,
        enrollment=enrollment,
        recipient=recipient,
        period_start=document.period_start,
        period_end=document.period_end,
        released=document.released_instrument_ids,
        corrects=corrects,
        html=html,
        now=now,
    )


@transaction.atomic
def send_monthly_aggregate(
    *,
    actor: User,
    program: Program,
    month_start: dt.date,
    recipient: Recipient,
    corrects: SentDocument | None = None,
) -> SentDocument:
    _check_recipient(recipient)
    _check_correction(corrects, DocumentKind.MONTHLY_AGGREGATE, None)
    aggregate = monthly_aggregate(program, month_start)
    now = timezone.now()
    html = document_html(
        "reports/monthly_pdf.html",
        {
            "aggregate": aggregate,
            "recipient": recipient,
            "sent_by": actor,
            "sent_at": now,
            "corrects": corrects,
        },
    )
    return _log(
        actor=actor,
        kind=DocumentKind.MONTHLY_AGGREGATE,
        program=program,
        enrollment=None,
        recipient=recipient,
        period_start=aggregate.month_start,
        period_end=aggregate.month_end,
        released=[],
        corrects=corrects,
        html=html,
        now=now,
    )


def _log(
    *,
    actor: User,
    kind: str,
    program: Program,
    enrollment: Enrollment | None,
    recipient: Recipient,
    period_start: dt.date | None,
    period_end: dt.date | None,
    released: list[str],
    corrects: SentDocument | None,
    html: str,
    now: dt.datetime,
) -> SentDocument:
    pdf = html_to_pdf(html)
    return SentDocument.objects.create(
        kind=kind,
        program=program,
        enrollment=enrollment,
        period_start=period_start,
        period_end=period_end,
        recipient_kind=recipient.kind,
        recipient_name=recipient.name.strip(),
        recipient_organization=recipient.organization.strip(),
        released_instrument_ids=released,
        corrects=corrects,
        sent_by=actor,
        sent_at=now,
        html=html,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
