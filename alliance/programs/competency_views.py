"""Set-up pages for a program's competencies: list, add (or add the starting list), edit,
reorder, remove. Organization admins and program managers, as for the rest of set-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.formtools import form_errors
from alliance.http import actor
from alliance.programs import competencies as services
from alliance.programs.forms import CompetencyEditForm, CompetencyForm, MoveForm
from alliance.programs.permissions import access_competency, access_managed_program
from alliance.programs.setup_services import SetupError


@login_required
@require_http_methods(["GET", "POST"])
def competency_list(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_managed_program(request.user, program_id)
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_competency(
                actor=actor(request), program=program, **form.cleaned_data
            )
        except SetupError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Competency “{item.name}” added.")
            return redirect("programs:competencies", program_id=program.pk)
    return render(
        request,
        "programs/setup/competencies.html",
        {
            "program": program,
            "items": list(program.competencies.order_by("order", "pk")),
            "form": form,
            "presets": services.PRESET_COMPETENCIES,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def competency_presets(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_managed_program(request.user, program_id)
    added = services.add_preset_competencies(actor=actor(request), program=program)
    if added:
        messages.success(request, f"{added} competencies added from the starting list.")
    else:
        messages.info(request, "The program already has every competency of the starting list.")
    return redirect("programs:competencies", program_id=program.pk)


@login_required
@require_http_methods(["GET", "POST"])
def competency_edit(request: HttpRequest, competency_id: int) -> HttpResponse:
    _, item = access_competency(request.user, competency_id)
    initial = {
        "name": item.name,
        "description": item.description,
        "is_required": item.is_required,
        "is_active": item.is_active,
    }
    form = CompetencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_competency(actor=actor(request), competency=item, **form.cleaned_data)
        except SetupError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Competency saved.")
            return redirect("programs:competencies", program_id=item.program_id)
    return render(
        request,
        "programs/setup/competency.html",
        {"item": item, "program": item.program, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def competency_move(request: HttpRequest, competency_id: int) -> HttpResponse:
    _, item = access_competency(request.user, competency_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        services.move_competency(
            actor=actor(request), competency=item, direction=form.cleaned_data["direction"]
        )
    return redirect("programs:competencies", program_id=item.program_id)


@login_required
@require_POST
def competency_remove(request: HttpRequest, competency_id: int) -> HttpResponse:
    _, item = access_competency(request.user, competency_id)
    try:
        services.remove_competency(actor=actor(request), competency=item)
    except SetupError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Competency “{item.name}” removed.")
    return redirect("programs:competencies", program_id=item.program_id)
