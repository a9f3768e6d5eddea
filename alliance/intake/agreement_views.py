"""The participant agreement: its text per program, signing on a tablet or by phone link, the
signed PDF, and his documents' upload and download.

Every download (a signed PDF, a document) is recorded in the access log and sent as an
attachment that no browser or proxy keeps (``alliance.no_store``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance import audit
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.intake import agreements
from alliance.intake.agreements import AgreementError, LinkUnavailable, Signature
from alliance.intake.documents import DocumentRefused, upload_document
from alliance.intake.forms import AgreementTextForm, DocumentForm, SigningForm
from alliance.intake.models import AgreementVersion, SigningChannel
from alliance.intake.permissions import (
    access_agreement_program,
    access_document,
    access_intake_enrollment,
    access_intake_participant,
    access_signed_agreement,
)
from alliance.languages import language_of_enrollment, speak
from alliance.organizations.models import Membership
from alliance.organizations.participant_tokens import TooManyGuesses, client_of
from alliance.organizations.permissions import CLINICAL_ROLES, membership_of
from alliance.participants.models import Enrollment


@login_required
@require_http_methods(["GET", "POST"])
def agreement_text(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_agreement_program(request.user, program_id)
    current = agreements.current_version(program)
    initial = {"text": current.text if current else ""}
    posted = request.method == "POST"
    form = AgreementTextForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            version = agreements.save_agreement_text(
                actor=actor(request),
                program=program,
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except AgreementError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, f"Saved as version {version.number}.")
            return redirect("agreement-text", program_id=program.pk)
    status = 400 if posted else 200
    enrollments = list(Enrollment.objects.filter(program=program).select_related("participant"))
    return render(
        request,
        "intake/agreement_text.html",
        {
            "program": program,
            "form": form,
            "current": current,
            "versions": AgreementVersion.objects.filter(program=program).order_by("-number"),
            "due": agreements.needing_signature(enrollments),
        },
        status=status,
    )


def _signing_page(
    request: HttpRequest,
    *,
    enrollment: Enrollment,
    version: AgreementVersion,
    form: SigningForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "intake/sign.html",
        {
            "enrollment": enrollment,
            "version": version,
            "form": form,
            # Programs write their agreement in English today: a man reading another language
            # is told so and asked to have it read to him (docs/languages.md).
            "text_in_english": translation.get_language() not in (None, "en"),
        },
        status=status,
    )


def _signature(form: SigningForm) -> Signature:
    return Signature(
        typed_name=form.cleaned_data["typed_name"],
        drawing=form.cleaned_data["signature"],
        agreed=form.cleaned_data["agreed"],
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_on_tablet(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """A staff member opens this on the program's tablet and hands it to him."""
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    version = agreements.current_version(enrollment.program)
    if version is None:
        messages.error(request, "This program has no agreement text yet: ask a manager to add it.")
        return redirect("intake-record", enrollment_id=enrollment.pk)
    if request.method == "GET":
        return _signing_page(request, enrollment=enrollment, version=version, form=SigningForm())
    form = SigningForm(request.POST)
    posted_version = request.POST.get("version", "")
    try:
        if not form.is_valid():
            raise AgreementError(form_errors(form))
        if posted_version != str(version.pk):
            raise AgreementError(
                "The agreement text changed while it was open. Read the new version and sign."
            )
        agreements.sign_agreement(
            enrollment=enrollment,
            version=version,
            signature=_signature(form),
            channel=SigningChannel.TABLET,
            opened_by=actor(request),
            link=None,
            now=timezone.now(),
        )
    except AgreementError as exc:
        form.add_error(None, str(exc))
        return _signing_page(request, enrollment=enrollment, version=version, form=form, status=400)
    # Not his intake record: the tablet is in his hands until staff take it back.
    return render(request, "intake/signed.html", {"enrollment": enrollment, "staff": True})


@login_required
@never_cache
@require_POST
def agreement_link(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """A one-time link for his phone; shown once, never stored."""
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    try:
        link, token = agreements.create_agreement_link(
            actor=actor(request), enrollment=enrollment, now=timezone.now()
        )
    except AgreementError as exc:
        messages.error(request, str(exc))
        return redirect("intake-record", enrollment_id=enrollment.pk)
    return render(
        request,
        "intake/link.html",
        {
            "enrollment": enrollment,
            "link": link,
            "url": request.build_absolute_uri(f"/a/{token}/"),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_by_phone(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    try:
        link = agreements.resolve_agreement_link(token, client=client_of(request), now=now)
    except TooManyGuesses as exc:
        return render(request, "intake/link_unavailable.html", {"reason": exc.reason}, status=429)
    except LinkUnavailable as exc:
        return render(request, "intake/link_unavailable.html", {"reason": exc.reason}, status=410)
    enrollment = link.enrollment
    speak(request, language_of_enrollment(enrollment))
    if request.method == "GET":
        return _signing_page(
            request, enrollment=enrollment, version=link.version, form=SigningForm()
        )
    form = SigningForm(request.POST)
    try:
        if not form.is_valid():
            raise AgreementError(form_errors(form))
        agreements.sign_agreement(
            enrollment=enrollment,
            version=link.version,
            signature=_signature(form),
            channel=SigningChannel.PHONE,
            opened_by=None,
            link=link,
            now=now,
        )
    except AgreementError as exc:
        form.add_error(None, str(exc))
        return _signing_page(
            request, enrollment=enrollment, version=link.version, form=form, status=400
        )
    return render(request, "intake/signed.html", {"enrollment": enrollment, "staff": False})


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def agreement_pdf(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = access_signed_agreement(request.user, agreement_id)
    audit.record(request, enrollment_id=agreement.enrollment_id)
    return _attachment(agreement.pdf, "application/pdf", agreement.attachment_name("pdf"))


@login_required
@require_POST
def add_document(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = access_intake_participant(request.user, participant_id)
    form = DocumentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise DocumentRefused(form_errors(form))
        upload = form.cleaned_data["file"]
        upload_document(
            actor=actor(request),
            participant=participant,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            content=upload.read(),
            now=timezone.now(),
        )
    except DocumentRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Document stored (encrypted).")
    # Back to the page the form was on: his intake record (an intake coordinator has no
    # participant page) or his page.
    back_id = _as_int(request.POST.get("enrollment"))
    back = participant.enrollments.filter(pk=back_id).first() if back_id else None
    if back is None and not reads_participant_page(membership_of(request.user)):
        back = participant.enrollments.order_by("-referred_on", "-pk").first()
    if back is not None:
        return redirect(f"/enrollments/{back.pk}/intake/#documents")
    return redirect(f"/participants/{participant.pk}/#documents")


def reads_participant_page(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CLINICAL_ROLES


def _as_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@login_required
@require_GET
def download_document(request: HttpRequest, document_id: int) -> HttpResponse:
    document = access_document(request.user, document_id)
    audit.record(request, participant_id=document.participant_id)
    return _attachment(document.content, document.content_type, document.attachment_name("content"))
