"""Delivering a sent document (staff), inviting officers (managers) and the agency portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.audit import record
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.organizations import invitations
from alliance.organizations.forms import AcceptInvitationForm
from alliance.organizations.permissions import require_membership
from alliance.organizations.views import _private
from alliance.portal import services
from alliance.portal.forms import EmailDeliveryForm, OfficerInviteForm
from alliance.portal.models import Channel, Delivery, OfficerAccount, OfficerInvitation
from alliance.portal.permissions import (
    access_agency_officers,
    access_document_deliveries,
    access_portal_delivery,
    portal_deliveries,
    require_officer,
)
from alliance.reports.models import SentDocument

SESSION_KEY = "portal_invitation_id"


def _record(request: HttpRequest, document: SentDocument) -> None:
    if document.enrollment_id is not None:
        record(request, enrollment_id=document.enrollment_id)


# Staff: deliver a document ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_deliveries(request: HttpRequest, document_id: int) -> HttpResponse:
    """A sent document, where it went and whether it arrived; send it by e-mail or portal."""
    _, document = access_document_deliveries(request.user, document_id)
    _record(request, document)
    enrollment = document.enrollment
    agency = enrollment.agency if enrollment is not None else None
    email_form = EmailDeliveryForm(initial={"email": agency.email if agency else ""})
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "email":
                email_form = EmailDeliveryForm(request.POST)
                if not email_form.is_valid():
                    raise services.DeliveryRefused("email", form_errors(email_form))
                delivery = services.deliver(
                    actor=actor(request),
                    document=document,
                    channel=Channel.EMAIL,
                    email=email_form.cleaned_data["email"],
                    agency=agency,
                )
                _say(request, delivery)
                return redirect("document-deliveries", document_id=document.pk)
            if action == "portal":
                services.deliver(actor=actor(request), document=document, channel=Channel.PORTAL)
                messages.success(request, f"The document is on {agency}'s portal.")
                return redirect("document-deliveries", document_id=document.pk)
            if action == "retry":
                found = Delivery.objects.filter(
                    pk=_int(request.POST.get("delivery")) or 0, document=document
                ).first()
                if found is None:
                    raise services.DeliveryRefused(
                        "delivery", "Choose a delivery of this document."
                    )
                _say(request, services.retry_now(delivery=found))
                return redirect("document-deliveries", document_id=document.pk)
            raise services.DeliveryRefused("action", "Choose e-mail or the agency portal.")
        except services.DeliveryRefused as refused:
            error = f"{refused.field}: {refused.message}"
            status = 400
    context = {
        "document": document,
        "agency": agency,
        "deliveries": document.deliveries.select_related("agency", "acknowledged_by"),
        "email_form": email_form,
        "error": error,
        "portal_ready": agency is not None and agency.officers.exists(),
    }
    return render(request, "portal/document_deliveries.html", context, status=status)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _say(request: HttpRequest, delivery: Delivery) -> None:
    if delivery.status == "sent":
        messages.success(request, f"Sent by e-mail to {delivery.recipient_email}.")
    else:
        messages.error(
            request,
            f"The e-mail to {delivery.recipient_email} could not be sent "
            f"({delivery.last_error}). Alliance tries again automatically; you can also try "
            "again below.",
        )


# Managers: the agency's officers -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agency_officers(request: HttpRequest, agency_id: int) -> HttpResponse:
    _, agency = access_agency_officers(request.user, agency_id)
    form = OfficerInviteForm()
    status = 200
    link = ""
    if request.method == "POST":
        form = OfficerInviteForm(request.POST)
        if form.is_valid():
            try:
                invited = services.invite_officer(
                    actor=actor(request),
                    agency=agency,
                    email=form.cleaned_data["email"],
                    base_url=request.build_absolute_uri("/"),
                )
            except services.DeliveryRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(
                    request,
                    f"Invitation sent to {invited.invitation.email}. The link works once, for "
                    f"{services.INVITATION_DAYS} days.",
                )
                link = invited.link
                form = OfficerInviteForm()
        if form.errors:
            status = 400
    context = {
        "agency": agency,
        "form": form,
        "officers": OfficerAccount.objects.filter(agency=agency).select_related("user"),
        "invitations": OfficerInvitation.objects.filter(
            agency=agency, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ),
        "link": link,
    }
    return _private(render(request, "portal/agency_officers.html", context, status=status))


# Staff: the credentials printed after his name ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_credentials(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request.user)
    error = ""
    status = 200
    value = membership.credentials
    if request.method == "POST":
        value = request.POST.get("credentials", "")
        try:
            services.set_credentials(membership=membership, credentials=value)
        except services.DeliveryRefused as refused:
            error = f"{refused.field}: {refused.message}"
            status = 400
        else:
            messages.success(request, "Saved. Documents you send from now on carry them.")
            return redirect("profile-credentials")
    context = {"value": value, "error": error}
    return render(request, "portal/credentials.html", context, status=status)


# The invitee ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a username and password, then set up two-factor sign-in (as staff do)."""
    return invitations.accept_page(
        request,
        token,
        url_name="portal-invitation",
        session_key=SESSION_KEY,
        queryset=OfficerInvitation.objects.select_related("agency__organization"),
        ask=services.ASK,
        template="portal/invitation_accept.html",
        form_class=AcceptInvitationForm,
        accept=services.accept_invitation,
        then="portal-home",
    )


# The officer ---------------------------------------------------------------------------------


@login_required
@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    account = require_officer(request.user)
    deliveries = list(portal_deliveries(account).order_by("-sent_at", "-pk"))
    for delivery in deliveries:
        _record(request, delivery.document)
    return render(
        request,
        "portal/home.html",
        {"account": account, "deliveries": deliveries},
    )


@login_required
@require_GET
def portal_document(request: HttpRequest, delivery_id: int) -> HttpResponse:
    account, delivery = access_portal_delivery(request.user, delivery_id)
    _record(request, delivery.document)
    return render(request, "portal/document.html", {"account": account, "delivery": delivery})


@login_required
@require_GET
def portal_document_pdf(request: HttpRequest, delivery_id: int) -> HttpResponse:
    _, delivery = access_portal_delivery(request.user, delivery_id)
    _record(request, delivery.document)
    document = SentDocument.objects.only("pdf", "kind").get(pk=delivery.document_id)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{document.kind.replace("_", "-")}-{document.pk}.pdf"'
    )
    return _private(response)


@login_required
@require_POST
def portal_acknowledge(request: HttpRequest, delivery_id: int) -> HttpResponse:
    _, delivery = access_portal_delivery(request.user, delivery_id)
    _record(request, delivery.document)
    services.acknowledge(officer=actor(request), delivery=delivery)
    messages.success(request, "Receipt acknowledged. The program can see that you have it.")
    return redirect("portal-document", delivery_id=delivery.pk)
