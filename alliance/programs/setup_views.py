"""Set-up pages: programs and their presets, curriculum, groups, schedules, holidays, history.

Organization admins set up every program; program managers the programs of their sites.
Every page of an empty organization says what to do next and links there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.core.program_policy import PRESETS
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.organizations.models import Membership
from alliance.programs import setup_selectors as selectors
from alliance.programs import setup_services as services
from alliance.programs.forms import (
    CancelSessionForm,
    CurriculumSessionForm,
    GenerateScheduleForm,
    GroupForm,
    HolidayForm,
    MoveForm,
    MoveSessionForm,
    PresetForm,
    ProgramForm,
)
from alliance.programs.models import Group, Holiday, Program
from alliance.programs.permissions import (
    access_curriculum_item,
    access_holiday,
    access_managed_group,
    access_managed_program,
    access_managed_session,
    access_org_admin,
    access_setup,
)
from alliance.programs.setup_services import PolicyRefused, SetupError


def _refuse(form: Any, exc: SetupError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- Programs ------------------------------------------------------------------------------


@login_required
@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    membership = access_setup(request.user)
    sites = selectors.managed_sites(membership)
    return render(
        request,
        "programs/setup/program_list.html",
        {
            "programs": list(selectors.managed_programs(membership)),
            "has_sites": sites.exists(),
            "sites_url": reverse("settings-sites"),
            "is_admin": membership.is_org_admin,
        },
    )


def _program_form(
    request: HttpRequest, membership: Membership, program: Program | None
) -> tuple[ProgramForm, PresetForm, str | None]:
    """The program form, filled from ``?preset=`` when asked, and the chosen standard."""
    sites = selectors.managed_sites(membership)
    preset_key = request.GET.get("preset", "")
    preset = PRESETS.get(preset_key)
    if request.method == "POST":
        form = ProgramForm(request.POST, instance=program, sites=sites)
        standard = request.POST.get("standard")
    else:
        initial = preset.form_values() if preset else {}
        form = ProgramForm(instance=program, sites=sites, initial=initial)
        standard = preset.key if preset else (program.standard if program else None)
    preset_form = PresetForm(initial={"preset": standard or "custom"})
    return form, preset_form, standard


def _save_program(
    request: HttpRequest, membership: Membership, form: ProgramForm, program: Program | None
) -> Program | None:
    if not form.is_valid():
        return None
    try:
        return services.save_program(
            actor=actor(request),
            organization=membership.organization,
            values=form.cleaned_data,
            program=program,
        )
    except PolicyRefused as exc:
        for field, message in exc.problems:
            form.add_error(field if field in form.fields else None, message)
    except SetupError as exc:
        _refuse(form, exc)
    return None


def _program_page(
    request: HttpRequest,
    form: ProgramForm,
    preset_form: PresetForm,
    standard: str | None,
    **ctx: Any,
) -> HttpResponse:
    return render(
        request,
        "programs/setup/program_form.html",
        {
            "form": form,
            "preset_form": preset_form,
            "preset": PRESETS.get(standard or ""),
            **ctx,
        },
        status=_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    membership = access_setup(request.user)
    if not selectors.managed_sites(membership).exists():
        messages.error(request, "Add a site first: a program runs at a site.")
        return redirect("programs:program_list")
    form, preset_form, standard = _program_form(request, membership, None)
    if request.method == "POST":
        program = _save_program(request, membership, form, None)
        if program is not None:
            messages.success(request, f"Program {program.name} created. Next: its curriculum.")
            return redirect("programs:curriculum", program_id=program.pk)
    return _program_page(request, form, preset_form, standard, program=None)


@login_required
@require_GET
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    membership, program = access_managed_program(request.user, program_id)
    curriculum = services.current_curriculum(program)
    groups = list(selectors.managed_groups(membership, program))
    return render(
        request,
        "programs/setup/program_detail.html",
        {
            "program": program,
            "preset": PRESETS.get(program.standard),
            "curriculum": curriculum,
            "groups": groups,
            "groups_without_sessions": [g for g in groups if not getattr(g, "session_count", 0)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    membership, program = access_managed_program(request.user, program_id)
    form, preset_form, standard = _program_form(request, membership, program)
    if request.method == "POST":
        saved = _save_program(request, membership, form, program)
        if saved is not None:
            messages.success(request, "Program settings saved.")
            return redirect("programs:program_detail", program_id=saved.pk)
    return _program_page(request, form, preset_form, standard, program=program)


@login_required
@require_GET
def program_history(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_managed_program(request.user, program_id)
    return render(
        request,
        "programs/setup/history.html",
        {
            "title": f"Settings history: {program.name}",
            "back": reverse("programs:program_detail", args=[program.pk]),
            "back_label": program.name,
            "rows": selectors.program_history(program),
        },
    )


# --- Curriculum ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def curriculum(request: HttpRequest, program_id: int) -> HttpResponse:
    """The current curriculum, and a form to add a session at its end."""
    _, program = access_managed_program(request.user, program_id)
    form = CurriculumSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.add_curriculum_session(
            actor=actor(request),
            program=program,
            values=form.cleaned_data,
        )
        messages.success(request, f"Session {item.number} added.")
        return redirect("programs:curriculum", program_id=program.pk)
    program.refresh_from_db()
    items = services.current_curriculum(program)
    return render(
        request,
        "programs/setup/curriculum.html",
        {
            "program": program,
            "items": items,
            "form": form,
            "move_form": MoveForm(),
            "short_by": (program.curriculum_length or 0) - len(items),
        },
        status=_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_session_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    _, item = access_curriculum_item(request.user, item_id)
    form = CurriculumSessionForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.update_curriculum_session(
            actor=actor(request),
            item=item,
            values=form.cleaned_data,
        )
        messages.success(request, "Curriculum session saved.")
        return redirect("programs:curriculum", program_id=item.program_id)
    return render(
        request,
        "programs/setup/curriculum_session.html",
        {"item": item, "program": item.program, "form": form},
        status=_status(request),
    )


@login_required
@require_POST
def curriculum_move(request: HttpRequest, item_id: int) -> HttpResponse:
    _, item = access_curriculum_item(request.user, item_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            services.move_curriculum_session(
                actor=actor(request),
                item=item,
                direction=form.cleaned_data["direction"],
            )
        except SetupError as exc:
            messages.error(request, str(exc))
    return redirect("programs:curriculum", program_id=item.program_id)


@login_required
@require_POST
def curriculum_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    _, item = access_curriculum_item(request.user, item_id)
    services.remove_curriculum_session(actor=actor(request), item=item)
    messages.success(request, f"Session {item.number} ({item.topic}) removed.")
    return redirect("programs:curriculum", program_id=item.program_id)


# --- Groups --------------------------------------------------------------------------------


def _group_form(request: HttpRequest, membership: Membership, group: Group | None) -> GroupForm:
    initial: dict[str, Any] = {}
    if group is None and request.GET.get("program", "").isdigit():
        initial["program"] = int(request.GET["program"])
    return GroupForm(
        request.POST or None,
        instance=group,
        initial=initial,
        programs=selectors.managed_programs(membership),
        sites=selectors.managed_sites(membership),
        staff=selectors.staff_choices(membership),
    )


def _save_group(
    request: HttpRequest, membership: Membership, form: GroupForm, group: Group | None
) -> Group | None:
    if not form.is_valid():
        return None
    try:
        return services.save_group(
            actor=actor(request),
            organization=membership.organization,
            values=form.cleaned_data,
            group=group,
        )
    except SetupError as exc:
        _refuse(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    membership = access_setup(request.user)
    if not selectors.managed_programs(membership).exists():
        messages.error(request, "Create a program first: a group runs a program.")
        return redirect("programs:program_list")
    form = _group_form(request, membership, None)
    if request.method == "POST":
        group = _save_group(request, membership, form, None)
        if group is not None:
            messages.success(request, f"Group {group.name} created. Next: its schedule.")
            return redirect("programs:group_sessions", group_id=group.pk)
    return render(
        request,
        "programs/setup/group_form.html",
        {"form": form, "group": None},
        status=_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    membership, group = access_managed_group(request.user, group_id)
    form = _group_form(request, membership, group)
    if request.method == "POST":
        saved = _save_group(request, membership, form, group)
        if saved is not None:
            messages.success(request, "Group settings saved.")
            warning = selectors.capacity_warning(saved)
            if warning:
                messages.warning(request, warning)
            return redirect("programs:group_sessions", group_id=saved.pk)
    return render(
        request,
        "programs/setup/group_form.html",
        {"form": form, "group": group},
        status=_status(request),
    )


@login_required
@require_GET
def group_history(request: HttpRequest, group_id: int) -> HttpResponse:
    _, group = access_managed_group(request.user, group_id)
    return render(
        request,
        "programs/setup/history.html",
        {
            "title": f"Settings history: {group.name}",
            "back": reverse("programs:group_sessions", args=[group.pk]),
            "back_label": group.name,
            "rows": selectors.group_history(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_sessions(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's settings and schedule; POST adds sessions on its meeting day."""
    _, group = access_managed_group(request.user, group_id)
    curriculum = services.group_curriculum(group)
    remaining = max(len(curriculum) - group.sessions.count(), 0)
    form = GenerateScheduleForm(request.POST or None, initial={"count": remaining or 12})
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped = services.generate_schedule(
                actor=actor(request),
                group=group,
                count=form.cleaned_data["count"],
            )
        except SetupError as exc:
            _refuse(form, exc)
        else:
            note = "".join(f" Skipped {day:%-d %b %Y} ({name})." for day, name in skipped)
            messages.success(request, f"{len(created)} session(s) scheduled.{note}")
            return redirect("programs:group_sessions", group_id=group.pk)
    return render(
        request,
        "programs/setup/group_sessions.html",
        {
            "group": group,
            "sessions": selectors.group_sessions(group),
            "curriculum_size": len(curriculum),
            "men": selectors.men_in_group(group),
            "facilitators": list(group.facilitators.order_by("last_name", "username")),
            "capacity_warning": selectors.capacity_warning(group),
            "form": form,
            "cancel_form": CancelSessionForm(),
            "move_form": MoveSessionForm(),
        },
        status=_status(request),
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    _, session = access_managed_session(request.user, session_id)
    form = CancelSessionForm(request.POST)
    if request.POST.get("restore"):
        try:
            services.restore_session(actor=actor(request), session=session)
            messages.success(request, f"Session of {session.held_on:%-d %b %Y} restored.")
        except SetupError as exc:
            messages.error(request, str(exc))
    elif not form.is_valid():
        messages.error(request, f"{session.held_on:%-d %b %Y}: {form_errors(form)}")
    else:
        try:
            services.cancel_session(
                actor=actor(request),
                session=session,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                f"Session of {session.held_on:%-d %b %Y} cancelled; it counts as nobody's absence.",
            )
        except SetupError as exc:
            messages.error(request, f"{session.held_on:%-d %b %Y}: {exc}")
    return redirect("programs:group_sessions", group_id=session.group_id)


@login_required
@require_POST
def session_move(request: HttpRequest, session_id: int) -> HttpResponse:
    _, session = access_managed_session(request.user, session_id)
    was = session.held_on
    form = MoveSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{was:%-d %b %Y}: {form_errors(form)}")
    else:
        try:
            moved = services.move_session(
                actor=actor(request),
                session=session,
                held_on=form.cleaned_data["held_on"],
                starts_at=form.cleaned_data["starts_at"],
            )
            messages.success(
                request, f"Session of {was:%-d %b %Y} moved to {moved.held_on:%-d %b %Y}."
            )
        except SetupError as exc:
            messages.error(request, f"{was:%-d %b %Y}: {exc}")
    return redirect("programs:group_sessions", group_id=session.group_id)


# --- Holidays ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def holidays(request: HttpRequest) -> HttpResponse:
    membership = access_org_admin(request.user)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clashes = services.add_holiday(
                organization=membership.organization,
                day=form.cleaned_data["day"],
                name=form.cleaned_data["name"],
            )
        except SetupError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, "Holiday added; new schedules skip it.")
            for session in clashes:
                messages.warning(
                    request,
                    f"{session.group.name} already has a session that day: cancel or move it.",
                )
            return redirect("programs:holidays")
    return render(
        request,
        "programs/setup/holidays.html",
        {
            "holidays": Holiday.objects.filter(organization=membership.organization),
            "form": form,
        },
        status=_status(request),
    )


@login_required
@require_POST
def holiday_remove(request: HttpRequest, holiday_id: int) -> HttpResponse:
    holiday = access_holiday(request.user, holiday_id)
    services.remove_holiday(holiday=holiday)
    messages.success(request, f"Holiday {holiday.name} removed.")
    return redirect("programs:holidays")
