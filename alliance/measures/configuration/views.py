"""A program's alert thresholds and measure schedule (managers and organization admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from alliance.formtools import form_errors
from alliance.measures.configuration.selectors import settings_for
from alliance.measures.configuration.services import (
    add_to_schedule,
    remove_from_schedule,
    update_measure_settings,
    update_zone_settings,
)
from alliance.measures.errors import MeasureError
from alliance.measures.forms import MeasureSettingsForm, ScheduleForm, ZoneSettingsForm
from alliance.measures.models import When
from alliance.measures.permissions import access_program_settings


@login_required
@require_POST
def program_settings_view(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    form = MeasureSettingsForm(request.POST, instance=settings_for(program))
    if form.is_valid():
        update_measure_settings(program=program, **form.cleaned_data)
        messages.success(request, "Alert thresholds saved.")
    else:
        messages.error(request, form_errors(form))
    return redirect("program-measures", program_id=program.pk)


@login_required
@require_POST
def zone_settings_view(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    form = ZoneSettingsForm(request.POST, instance=settings_for(program))
    if form.is_valid():
        try:
            update_zone_settings(program=program, **form.cleaned_data)
        except MeasureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Zone cutoffs saved.")
    else:
        messages.error(request, form_errors(form))
    return redirect("program-measures", program_id=program.pk)


@login_required
@require_POST
def schedule_add_view(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            add_to_schedule(
                program=program,
                instrument_id=form.cleaned_data["instrument"],
                when=When(form.cleaned_data["when"]),
                session_number=form.cleaned_data["session_number"],
            )
        except MeasureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Schedule updated.")
    return redirect("program-measures", program_id=program.pk)


@login_required
@require_POST
def schedule_remove_view(request: HttpRequest, program_id: int, entry_id: int) -> HttpResponse:
    program = access_program_settings(request.user, program_id)
    remove_from_schedule(program=program, entry_id=entry_id)
    messages.success(request, "Removed from the schedule.")
    return redirect("program-measures", program_id=program.pk)
