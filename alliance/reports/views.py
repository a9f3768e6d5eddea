from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alliance.formtools import form_errors
from alliance.http import actor
from alliance.identity.permissions import sees_identity
from alliance.participants.models import Enrollment
from alliance.participants.services import assess_enrollment, program_today
from alliance.programs.models import Program
from alliance.reports import selectors
from alliance.reports.aggregate import MonthError, monthly_aggregate, parse_month
from alliance.reports.documents import (
    DocumentRefused,
    Recipient,
    build_document,
    default_recipient,
    refusal,
)
from alliance.reports.forms import MonthForm, PeriodForm
from alliance.reports.models import DocumentKind, SentDocument
from alliance.reports.permissions import (
    access_enrollment_document,
    access_enrollment_for_sending,
    access_enrollment_reports,
    access_program_reports,
    access_sent_document,
    may_read,
    may_send,
)
from alliance.reports.services import (
    DuplicateDocument,
    send_enrollment_document,
    send_monthly_aggregate,
)

ENROLLMENT_KINDS = [k for k in DocumentKind if k != DocumentKind.MONTHLY_AGGREGATE]


@login_required
@require_GET
def enrollment_reports(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    membership, enrollment = access_enrollment_reports(request.user, enrollment_id)
    assessment = assess_enrollment(enrollment)
    documents = [
        (kind, refusal(enrollment, kind, assessment))
        for kind in ENROLLMENT_KINDS
        if may_read(membership, kind)
    ]
    sender = may_send(membership)
    return render(
        request,
        "reports/enrollment_reports.html",
        {
            "enrollment": enrollment,
            "documents": documents,
            "may_send": sender,
            "log": selectors.enrollment_log(enrollment) if sender else [],
        },
    )


def _program_today(program: Program) -> dt.date:
    return timezone.localdate(timezone=program.tzinfo)


def _initial(enrollment: Enrollment, today: dt.date) -> dict[str, Any]:
    recipient = default_recipient(enrollment)
    return {
        "recipient_kind": recipient.kind,
        "recipient_organization": recipient.organization,
        "recipient_name": recipient.name,
        "period_start": today - dt.timedelta(days=27),
        "period_end": today,
    }


def _recipient(data: dict[str, Any]) -> Recipient:
    return Recipient(
        kind=data["recipient_kind"],
        name=data["recipient_name"] or "",
        organization=data["recipient_organization"],
    )


def _corrected(request: HttpRequest, data: dict[str, Any]) -> SentDocument | None:
    if not data.get("corrects"):
        return None
    return access_sent_document(request.user, data["corrects"])


def _sending(request: HttpRequest) -> bool:
    # Recipient details are only ever posted (finding L10): a preview is a POST with
    # action=preview and needs only read access; any other POST sends and needs the sending
    # roles. A GET shows the page with the referral contact and never reads its query string.
    return request.method == "POST" and request.POST.get("action") != "preview"


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_document(request: HttpRequest, enrollment_id: int, kind: str) -> HttpResponse:
    sending = _sending(request)
    if sending:
        membership, enrollment = access_enrollment_for_sending(request.user, enrollment_id, kind)
    else:
        membership, enrollment = access_enrollment_document(request.user, enrollment_id, kind)
    today = program_today(enrollment)
    posted = request.POST.dict() if request.method == "POST" else {}
    # Whatever was not submitted falls back to the referral contact and the last four weeks.
    form = PeriodForm(_initial(enrollment, today) | posted)
    context: dict[str, Any] = {
        "enrollment": enrollment,
        "kind": DocumentKind(kind),
        "form": form,
        "may_send": may_send(membership),
        "periodic": kind == DocumentKind.COMPLIANCE_REPORT,
    }
    if not form.is_valid():
        context["error"] = form_errors(form)
        return render(request, "reports/document_page.html", context, status=400)
    data = form.cleaned_data
    recipient = _recipient(data)
    try:
        if sending:
            sent = send_enrollment_document(
                actor=actor(request),
                enrollment=enrollment,
                kind=kind,
                recipient=recipient,
                today=today,
                period_start=data["period_start"],
                period_end=data["period_end"],
                corrects=_corrected(request, data),
                allow_duplicate=request.POST.get("produce_another") == "1",
            )
            messages.success(
                request,
                f"{sent.get_kind_display()} for {recipient.organization} produced and logged "
                f"(document {sent.pk}). Send it by e-mail or through the agency portal from "
                "Sent documents.",
            )
            # The PDF itself comes back, to save or print for the court file.
            return _pdf_download(sent)
        context["document"] = build_document(
            enrollment,
            kind,
            recipient=recipient,
            today=today,
            period_start=data["period_start"],
            period_end=data["period_end"],
            identity_shown=sees_identity(membership),
        )
    except DuplicateDocument as duplicate:
        context["error"] = str(duplicate)
        context["duplicate"] = duplicate.existing
        return render(request, "reports/document_page.html", context, status=409)
    except DocumentRefused as refused:
        context["error"] = str(refused)
        return render(request, "reports/document_page.html", context, status=409)
    return render(request, "reports/document_page.html", context)


def _pdf_download(document: SentDocument) -> HttpResponse:
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{document.kind.replace("_", "-")}-{document.pk}.pdf"'
    )
    return response


@login_required
@require_GET
def sent_document_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    document = access_sent_document(request.user, document_id)
    return _pdf_download(document)


@login_required
@require_GET
def program_reports(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_program_reports(request.user, program_id)
    return render(
        request,
        "reports/program_reports.html",
        {
            "program": program,
            "log": selectors.program_log(program),
            "form": _month_form(_program_today(program)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def monthly_report(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_program_reports(request.user, program_id)
    today = _program_today(program)
    if request.method == "GET":
        # The query string is never read: recipient details are posted (finding L10).
        return render(
            request,
            "reports/monthly_page.html",
            {"program": program, "form": _month_form(today)},
        )
    form = MonthForm(request.POST)
    context: dict[str, Any] = {"program": program, "form": form}
    if not form.is_valid():
        context["error"] = form_errors(form)
        return render(request, "reports/monthly_page.html", context, status=400)
    data = form.cleaned_data
    try:
        month_start = parse_month(data["month"], today=today)
        if _sending(request):
            sent = send_monthly_aggregate(
                actor=actor(request),
                program=program,
                month_start=month_start,
                recipient=_recipient(data),
                corrects=_corrected(request, data),
            )
            messages.success(
                request,
                f"Monthly report for {data['recipient_organization']} produced and logged "
                f"(document {sent.pk}).",
            )
            return redirect("program-reports", program_id=program.pk)
    except (MonthError, DocumentRefused) as refused:
        context["error"] = str(refused)
        return render(request, "reports/monthly_page.html", context, status=400)
    context["aggregate"] = monthly_aggregate(program, month_start)
    context["recipient"] = _recipient(data)
    return render(request, "reports/monthly_page.html", context)


def _month_form(today: dt.date) -> MonthForm:
    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    return MonthForm(initial={"month": month, "recipient_kind": "funder"})
