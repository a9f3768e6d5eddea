"""Intake pages: the coordinator's list, one enrollment's intake record and its forms, and the
treatment plan (which a facilitator may read)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance import audit
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.intake import selectors, services
from alliance.intake.forms import (
    AppointmentForm,
    AppointmentStatusForm,
    AssessmentForm,
    CollateralForm,
    DocumentForm,
    GoalForm,
    PlacementForm,
    RiskScoreForm,
    TreatmentPlanForm,
)
from alliance.intake.models import Assessment
from alliance.intake.permissions import (
    INTAKE_ROLES,
    access_appointment,
    access_intake_enrollment,
    access_plan_enrollment,
    does_intake,
)
from alliance.intake.services import IntakeError
from alliance.organizations.models import Membership, Site
from alliance.organizations.permissions import membership_of, require_membership
from alliance.participants.models import Enrollment


@login_required
@require_GET
def intake_home(request: HttpRequest) -> HttpResponse:
    """Upcoming intake appointments, men waiting for intake, and agreements to sign."""
    membership = require_membership(request.user, INTAKE_ROLES)
    return render(
        request,
        "intake/home.html",
        {
            "appointments": selectors.upcoming_appointments(
                membership, since=timezone.now() - dt.timedelta(hours=12)
            ),
            "awaiting": selectors.awaiting_intake(membership),
            "signatures_due": selectors.signatures_due(membership),
        },
    )


def _sites(membership: Membership) -> list[Site]:
    sites = Site.objects.filter(organization=membership.organization, is_active=True)
    return list(sites.order_by("name"))


def _staff(membership: Membership) -> list[object]:
    return list(
        get_user_model()
        .objects.filter(membership__organization=membership.organization, is_active=True)
        .order_by("first_name", "username")
    )


@login_required
@require_GET
def intake_record(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    membership = require_membership(request.user, INTAKE_ROLES)
    record = selectors.intake_record(enrollment)
    today = timezone.localdate()
    return render(
        request,
        "intake/record.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "record": record,
            "sites": _sites(membership),
            "staff": _staff(membership),
            "appointment_form": AppointmentForm(),
            "status_form": AppointmentStatusForm(),
            "collateral_form": CollateralForm(initial={"contacted_on": today}),
            "risk_form": RiskScoreForm(initial={"assessed_on": today}),
            "placement_form": PlacementForm(initial={"decided_on": today}),
            "documents": selectors.documents_of(enrollment.participant),
            "upload_form": DocumentForm(),
        },
    )


def _back(enrollment: Enrollment, anchor: str = "") -> HttpResponse:
    return redirect(f"/enrollments/{enrollment.pk}/intake/{'#' + anchor if anchor else ''}")


@login_required
@require_POST
def add_appointment(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    membership = require_membership(request.user, INTAKE_ROLES)
    form = AppointmentForm(request.POST)
    try:
        if not form.is_valid():
            raise IntakeError(form_errors(form))
        site = Site.objects.filter(
            organization=membership.organization, pk=form.cleaned_data["site"]
        ).first()
        if site is None:
            raise IntakeError("Site: choose one of the listed sites.")
        with_whom = None
        if form.cleaned_data["with_whom"]:
            with_whom = (
                get_user_model()
                .objects.filter(
                    membership__organization=membership.organization,
                    pk=form.cleaned_data["with_whom"],
                )
                .first()
            )
            if with_whom is None:
                raise IntakeError("With whom: choose one of the listed staff members.")
        services.schedule_appointment(
            actor=actor(request),
            enrollment=enrollment,
            starts_at=form.cleaned_data["starts_at"],
            site=site,
            with_whom=with_whom,
        )
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Appointment scheduled.")
    return _back(enrollment, "appointments")


@login_required
@require_POST
def appointment_status(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = access_appointment(request.user, appointment_id)
    audit.record(request, enrollment_id=appointment.enrollment_id)
    form = AppointmentStatusForm(request.POST)
    if form.is_valid():
        services.set_appointment_status(
            actor=actor(request), appointment=appointment, status=form.cleaned_data["status"]
        )
        messages.success(request, "Appointment updated.")
    else:
        messages.error(request, form_errors(form))
    return _back(appointment.enrollment, "appointments")


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    instance = Assessment.objects.filter(enrollment=enrollment).first()
    form = AssessmentForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_assessment(
                actor=actor(request),
                enrollment=enrollment,
                values={name: form.cleaned_data[name] for name in form.Meta.fields},
                now=timezone.now(),
            )
            messages.success(request, "Assessment saved.")
            return _back(enrollment, "assessment")
        status = 400
    return render(
        request,
        "intake/assessment.html",
        {"enrollment": enrollment, "participant": enrollment.participant, "form": form},
        status=status,
    )


@login_required
@require_POST
def add_collateral(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    form = CollateralForm(request.POST)
    try:
        if not form.is_valid():
            raise IntakeError(form_errors(form))
        services.add_collateral_contact(
            actor=actor(request), enrollment=enrollment, now=timezone.now(), **form.cleaned_data
        )
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Collateral contact recorded.")
    return _back(enrollment, "assessment")


@login_required
@require_POST
def add_risk_score(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    form = RiskScoreForm(request.POST)
    try:
        if not form.is_valid():
            raise IntakeError(form_errors(form))
        services.record_risk_score(
            actor=actor(request), enrollment=enrollment, now=timezone.now(), **form.cleaned_data
        )
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Risk score recorded.")
    return _back(enrollment, "risk")


@login_required
@require_POST
def add_placement(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_intake_enrollment(request.user, enrollment_id)
    form = PlacementForm(request.POST)
    try:
        if not form.is_valid():
            raise IntakeError(form_errors(form))
        services.place_enrollment(
            actor=actor(request), enrollment=enrollment, now=timezone.now(), **form.cleaned_data
        )
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Placement recorded.")
    return _back(enrollment, "placement")


@login_required
@require_http_methods(["GET", "POST"])
def treatment_plan(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The plan and its goals; the intake roles write, a facilitator of his group reads."""
    enrollment = access_plan_enrollment(request.user, enrollment_id)
    writes = does_intake(membership_of(request.user))
    if request.method == "POST":
        enrollment = access_intake_enrollment(request.user, enrollment_id)
        _write_plan(request, enrollment)
        return redirect("treatment-plan", enrollment_id=enrollment.pk)
    view = selectors.treatment_plan(enrollment)
    today = timezone.localdate()
    plan = view.plan
    return render(
        request,
        "intake/treatment_plan.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "view": view,
            "writes": writes,
            "plan_form": TreatmentPlanForm(
                initial={
                    "focus": plan.focus if plan else "",
                    "written_on": plan.written_on if plan else today,
                    "review_on": plan.review_on if plan else today + dt.timedelta(days=90),
                }
            ),
            "goal_form": GoalForm(initial={"review_on": today + dt.timedelta(days=28)}),
        },
    )


def _write_plan(request: HttpRequest, enrollment: Enrollment) -> None:
    """Either the plan itself (``focus`` posted) or one more goal (``goal`` posted)."""
    now = timezone.now()
    try:
        if "goal" in request.POST:
            goal_form = GoalForm(request.POST)
            if not goal_form.is_valid():
                raise IntakeError(form_errors(goal_form))
            plan = selectors.treatment_plan(enrollment).plan
            if plan is None:
                raise IntakeError("Goal: write the plan (its dates) before adding goals.")
            services.add_treatment_goal(
                actor=actor(request), plan=plan, now=now, **goal_form.cleaned_data
            )
            messages.success(request, "Goal added to the plan and to his accountability plan.")
            return
        form = TreatmentPlanForm(request.POST)
        if not form.is_valid():
            raise IntakeError(form_errors(form))
        services.save_treatment_plan(
            actor=actor(request), enrollment=enrollment, **form.cleaned_data
        )
        messages.success(request, "Treatment plan saved.")
    except IntakeError as exc:
        messages.error(request, str(exc))
