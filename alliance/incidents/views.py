"""The incident pages. Thin: parse, access, service or selector, render.

Every response is sent ``no-store`` by ``alliance.no_store.NoStoreMiddleware`` (see its list of
apps) and no submitted value appears in Django's error reports (``sensitive_post_parameters``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from alliance.formtools import form_errors
from alliance.http import actor
from alliance.incidents import forms, offences, selectors, services
from alliance.incidents.models import Incident
from alliance.incidents.permissions import (
    access_incident,
    access_incident_to_close,
    access_participant_to_flag,
    access_session_to_flag,
    may_close,
    procedure_programs,
    require_handler,
    require_procedure_editor,
    session_enrollment,
)
from alliance.incidents.services import IncidentError
from alliance.organizations.models import Membership, Role
from alliance.participants.models import Enrollment
from alliance.programs.models import Program, Session


def _receipt(incident: Incident) -> str:
    at = timezone.localtime(incident.flagged_at)
    return (
        f"Sent at {at:%H:%M} to the partner-safety worker and the supervisor. "
        "Follow the program's duty-to-warn procedure if someone is in danger now."
    )


def _flag(
    request: HttpRequest,
    form: forms.FlagForm,
    enrollment: Enrollment | None,
    session: Session | None,
    back: str,
) -> HttpResponse:
    error = form_errors(form) if enrollment is None or not form.is_valid() else ""
    if not error and enrollment is not None:
        try:
            incident = services.flag_incident(
                actor=actor(request),
                enrollment=enrollment,
                session=session,
                kind=form.cleaned_data["kind"],
                occurred_at=form.cleaned_data["occurred_at"],
                account=form.cleaned_data["account"],
                immediate_risk=form.cleaned_data["immediate_risk"],
                now=timezone.now(),
                link_base=request.build_absolute_uri("/"),
            )
        except IncidentError as exc:
            error = str(exc)
        else:
            messages.success(request, _receipt(incident))
            return redirect(back)
    context = {"form": form, "error": error, "back": back, "action": request.path}
    return render(request, "incidents/flag.html", context, status=400)


@sensitive_post_parameters()
@login_required
@require_POST
def flag_from_participant(request: HttpRequest, participant_id: int) -> HttpResponse:
    _, enrollment = access_participant_to_flag(request.user, participant_id)
    form = forms.FlagForm(request.POST)
    return _flag(request, form, enrollment, None, f"/participants/{participant_id}/")


@sensitive_post_parameters()
@login_required
@require_POST
def flag_from_session(request: HttpRequest, session_id: int) -> HttpResponse:
    membership, session = access_session_to_flag(request.user, session_id)
    men = selectors.session_men(membership, session)
    form = forms.SessionFlagForm(request.POST, men=men)
    enrollment = None
    if form.is_valid():
        enrollment = session_enrollment(membership, session, int(form.cleaned_data["enrollment"]))
    return _flag(request, form, enrollment, session, f"/sessions/{session_id}/")


@never_cache
@login_required
@require_http_methods(["GET"])
def incident_list(request: HttpRequest) -> HttpResponse:
    membership = require_handler(request.user)
    panel = selectors.handler_panel(membership, now=timezone.now())
    return render(request, "incidents/list.html", {"panel": panel})


def _page(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    membership = require_handler(request.user)
    context: dict[str, Any] = {
        "page": selectors.incident_page(incident, now=timezone.now()),
        "may_close": may_close(membership),
        "action_form": forms.ActionForm(initial={"taken_at": timezone.localtime()}),
        "close_form": forms.CloseForm(),
        "offence_form": forms.OffenceForm(),
    }
    context.update(extra)
    return context


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET"])
def incident(request: HttpRequest, incident_id: int) -> HttpResponse:
    _, item = access_incident(request.user, incident_id)
    return render(request, "incidents/incident.html", _page(request, item))


def _refused(request: HttpRequest, item: Incident, error: str, **forms_: Any) -> HttpResponse:
    context = _page(request, item, **forms_)
    context["error"] = error
    return render(request, "incidents/incident.html", context, status=400)


@sensitive_post_parameters()
@login_required
@require_POST
def incident_action(request: HttpRequest, incident_id: int) -> HttpResponse:
    _, item = access_incident(request.user, incident_id)
    form = forms.ActionForm(request.POST)
    if not form.is_valid():
        return _refused(request, item, form_errors(form), action_form=form)
    try:
        services.record_action(
            actor=actor(request), incident=item, now=timezone.now(), **form.cleaned_data
        )
    except IncidentError as exc:
        return _refused(request, item, str(exc), action_form=form)
    messages.success(request, "Action recorded.")
    return redirect("incident", item.pk)


@sensitive_post_parameters()
@login_required
@require_POST
def incident_close(request: HttpRequest, incident_id: int) -> HttpResponse:
    _, item = access_incident_to_close(request.user, incident_id)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, item, form_errors(form), close_form=form)
    try:
        services.close_incident(
            actor=actor(request), incident=item, now=timezone.now(), **form.cleaned_data
        )
    except IncidentError as exc:
        return _refused(request, item, str(exc), close_form=form)
    messages.success(request, "Incident closed.")
    return redirect("incident", item.pk)


@sensitive_post_parameters()
@login_required
@require_POST
def incident_offence(request: HttpRequest, incident_id: int) -> HttpResponse:
    _, item = access_incident(request.user, incident_id)
    form = forms.OffenceForm(request.POST)
    if not form.is_valid():
        return _refused(request, item, form_errors(form), offence_form=form)
    try:
        created = offences.record_new_offence(
            actor=actor(request), incident=item, today=timezone.localdate(), **form.cleaned_data
        )
    except IncidentError as exc:
        return _refused(request, item, str(exc), offence_form=form)
    messages.success(
        request,
        "New offence recorded as an outcome event."
        if created
        else "This offence was already on record as an outcome event; the incident points to it.",
    )
    return redirect("incident", item.pk)


def _procedure_form(
    membership: Membership, programs: list[Program], data: Any = None
) -> forms.ProcedureForm:
    return forms.ProcedureForm(
        data,
        programs=[(p.pk, f"{p.name} ({p.site.name})") for p in programs],
        default=membership.role == Role.ORG_ADMIN,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def procedures(request: HttpRequest) -> HttpResponse:
    """The duty-to-warn procedure: the organization's default and each program's own."""
    membership = require_procedure_editor(request.user)
    programs = list(procedure_programs(membership))
    form = _procedure_form(membership, programs, request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            raw = data.pop("program")
            program = next((p for p in programs if str(p.pk) == raw), None)
            try:
                services.save_procedure(
                    actor=actor(request),
                    organization=membership.organization,
                    program=program,
                    **data,
                )
            except IncidentError as exc:
                error = str(exc)
            else:
                messages.success(request, "Procedure saved.")
                return redirect("incident-procedures")
        else:
            error = form_errors(form)
    context = {
        "form": form,
        "error": error,
        "rows": selectors.procedure_rows(membership.organization, programs),
        "show_default": membership.role == Role.ORG_ADMIN,
        "default_hours": selectors.DEFAULT_RESPOND_HOURS,
        "default_immediate": selectors.DEFAULT_IMMEDIATE_HOURS,
        "default_days": selectors.DEFAULT_PARTNER_NOTICE_DAYS,
    }
    return render(request, "incidents/procedures.html", context, status=400 if error else 200)
