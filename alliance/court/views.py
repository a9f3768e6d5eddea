"""Court order, breach letter, agencies and their clocks. Views stay thin: services write.

The court-order and letter pages name the enrollment in their URL, so the access log
(``alliance.audit``) records who read whose order and letter.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.court import selectors, services
from alliance.court.forms import (
    AgencyForm,
    ClockForm,
    CourtOrderForm,
    agency_initial,
    clock_initial,
    order_initial,
)
from alliance.court.letters import breach_letter
from alliance.court.models import Breach
from alliance.court.permissions import access_agencies, access_agency, access_order_enrollment
from alliance.http import actor
from alliance.participants.models import Enrollment

#: Which fields of the agency form go in which part of the page.
FIELD_GROUPS = {
    "agency_fields": ["name", "kind", "email", "phone", "address"],
    "clock_fields": list(ClockForm.base_fields),
}


def _apply_errors(form: CourtOrderForm | ClockForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def court_order(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The court's order for this enrollment: its terms, where he stands, its history."""
    _, enrollment = access_order_enrollment(request.user, enrollment_id)
    order = selectors.order_of(enrollment)
    form = CourtOrderForm(request.POST or None, initial=order_initial(order))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_court_order(
                    actor=actor(request), enrollment=enrollment, details=form.details()
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"Court order saved for {enrollment.participant.code}.")
                return redirect("court-order", enrollment_id=enrollment.pk)
        status = 400
    today = selectors.organization_today(enrollment.program.organization)
    breach = Breach.objects.filter(enrollment=enrollment).first()
    context = {
        "enrollment": enrollment,
        "participant": enrollment.participant,
        "order": order,
        "form": form,
        "status": selectors.order_status(enrollment, today),
        "versions": selectors.order_versions(order) if order is not None else [],
        "breach": breach,
        "clock": selectors.clock_for(enrollment),
        "due": selectors.due_queue(Enrollment.objects.filter(pk=enrollment.pk), today=today),
    }
    return render(request, "court/order.html", context, status=status)


@login_required
@require_GET
def letter(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """His plain-language letter about the latest breach, to print and hand or post."""
    _, enrollment = access_order_enrollment(request.user, enrollment_id)
    breach = Breach.objects.filter(enrollment=enrollment).first()
    if breach is None:
        raise Http404("No breach to write about.")
    today = selectors.organization_today(enrollment.program.organization)
    return render(
        request,
        "court/letter.html",
        {"enrollment": enrollment, "letter": breach_letter(enrollment, breach, today=today)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agencies(request: HttpRequest) -> HttpResponse:
    """Every agency with its clocks, and a form to add one."""
    membership = access_agencies(request.user)
    organization = membership.organization
    form = AgencyForm(request.POST or None, initial={"kind": "probation"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agency = services.save_agency(
                    actor=actor(request),
                    organization=organization,
                    agency=None,
                    details=form.agency_details(),
                    clock=form.details(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"Agency {agency.name} added.")
                return redirect("settings-agencies")
        status = 400
    context = {
        "form": form,
        "agencies": selectors.agencies_of(organization),
        "default_clock": selectors.default_clock(organization),
        **FIELD_GROUPS,
    }
    return render(request, "court/agencies.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    membership, agency = access_agency(request.user, agency_id)
    clock = getattr(agency, "reporting_clock", None)
    form = AgencyForm(request.POST or None, initial=agency_initial(agency, clock))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_agency(
                    actor=actor(request),
                    organization=membership.organization,
                    agency=agency,
                    details=form.agency_details(),
                    clock=form.details(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"Agency {agency.name} saved.")
                return redirect("settings-agencies")
        agency.refresh_from_db()
        status = 400
    return render(
        request,
        "court/agency_form.html",
        {"form": form, "agency": agency, **FIELD_GROUPS},
        status=status,
    )


@login_required
@require_POST
def agency_active(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Deactivate or reactivate an agency (``active`` = 0 or 1)."""
    _, agency = access_agency(request.user, agency_id)
    active = request.POST.get("active", "")
    if active not in ("0", "1"):
        clock = getattr(agency, "reporting_clock", None)
        form = AgencyForm(initial=agency_initial(agency, clock))
        context = {
            "form": form,
            "agency": agency,
            "error": "active: choose deactivate or reactivate.",
            **FIELD_GROUPS,
        }
        return render(request, "court/agency_form.html", context, status=400)
    services.set_agency_active(agency=agency, active=active == "1")
    word = "reactivated" if active == "1" else "deactivated"
    messages.success(request, f"Agency {agency.name} {word}.")
    return redirect("settings-agencies")


@login_required
@require_http_methods(["GET", "POST"])
def default_clock(request: HttpRequest) -> HttpResponse:
    """The organization's clocks for men referred without an agency on file."""
    membership = access_agencies(request.user)
    organization = membership.organization
    clock = selectors.default_clock(organization)
    form = ClockForm(request.POST or None, initial=clock_initial(clock))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_clock(
                    actor=actor(request),
                    organization=organization,
                    agency=None,
                    details=form.details(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Default reporting clocks saved.")
                return redirect("settings-agencies")
        status = 400
    return render(
        request, "court/default_clock.html", {"form": form, **FIELD_GROUPS}, status=status
    )
