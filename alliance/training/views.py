"""Pages: my training, a colleague's register, the team's statuses, credential alerts, a
program's requirement, and fidelity observations. Parse, access, service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.core import fidelity
from alliance.core import training as rules
from alliance.http import actor
from alliance.organizations.models import Membership
from alliance.organizations.permissions import CLINICAL_ROLES, require_membership
from alliance.programs.models import Session, SessionStatus
from alliance.programs.permissions import visible_programs
from alliance.training import permissions, selectors, services
from alliance.training.forms import (
    AcknowledgeForm,
    CredentialForm,
    EntryForm,
    ObservationForm,
    RequirementForm,
    labelled_errors,
)
from alliance.training.models import Kind, Preset, TrainingRequirement
from alliance.training.services import TrainingError, organization_today

#: How far back an observer may pick a session to attach to an observation.
SESSION_WINDOW_DAYS = 90


def _today(membership: Membership) -> dt.date:
    return organization_today(membership.organization, timezone.now())


def _register_page(
    request: HttpRequest, viewer: Membership, person: Membership, *, mine: bool
) -> HttpResponse:
    today = _today(viewer)
    return render(
        request,
        "training/register.html",
        {
            "viewer": viewer,
            "person": person,
            "mine": mine,
            "held": selectors.register(person, today=today),
            "today": today,
            "kinds": Kind.choices,
            "checklist": fidelity.DEFAULT,
        },
    )


@login_required
@require_GET
def my_training(request: HttpRequest) -> HttpResponse:
    viewer = require_membership(request.user)
    return _register_page(request, viewer, viewer, mine=True)


@login_required
@require_GET
def person_training(request: HttpRequest, membership_id: int) -> HttpResponse:
    viewer, person = permissions.access_person(request.user, membership_id)
    if person.pk == viewer.pk:
        return redirect("training-mine")
    return _register_page(request, viewer, person, mine=False)


def _back(viewer: Membership, person: Membership) -> HttpResponse:
    if viewer.pk == person.pk:
        return redirect("training-mine")
    return redirect("training-person", membership_id=person.pk)


@login_required
@require_POST
def add_entry(request: HttpRequest, membership_id: int) -> HttpResponse:
    viewer, person = permissions.access_person(request.user, membership_id)
    form = EntryForm(request.POST)
    try:
        if not form.is_valid():
            raise TrainingError(labelled_errors(form))
        data = form.cleaned_data
        services.record_training_entry(
            actor=actor(request),
            person=person,
            kind=data["kind"],
            topic=data["topic"],
            provider=data["provider"],
            completed_on=data["completed_on"],
            hours=data["hours"],
            evidence_note=data["evidence_note"],
            now=timezone.now(),
        )
        messages.success(request, "Training recorded.")
    except TrainingError as exc:
        messages.error(request, f"Not recorded. {exc}")
    return _back(viewer, person)


@login_required
@require_POST
def add_credential(request: HttpRequest, membership_id: int) -> HttpResponse:
    viewer, person = permissions.access_person(request.user, membership_id)
    form = CredentialForm(request.POST)
    try:
        if not form.is_valid():
            raise TrainingError(labelled_errors(form))
        data = form.cleaned_data
        services.record_credential(
            actor=actor(request),
            person=person,
            name=data["name"],
            issuer=data["issuer"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            now=timezone.now(),
        )
        messages.success(request, "Credential recorded.")
    except TrainingError as exc:
        messages.error(request, f"Not recorded. {exc}")
    return _back(viewer, person)


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    viewer = permissions.require_team(request.user)
    today = _today(viewer)
    return render(
        request,
        "training/team.html",
        {
            "rows": selectors.team_rows(viewer, today=today),
            "alerts": selectors.open_alerts(viewer),
            "today": today,
            "soon": today + dt.timedelta(days=rules.DEFAULT_DUE_SOON_DAYS),
            "programs": visible_programs(viewer).select_related("training_requirement")
            if viewer.role in permissions.MANAGER_ROLES
            else [],
        },
    )


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    viewer = require_membership(request.user)
    return render(
        request,
        "training/alerts.html",
        {"alerts": selectors.open_alerts(viewer), "today": _today(viewer)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement(request: HttpRequest, program_id: int) -> HttpResponse:
    _viewer, program = permissions.access_program_requirement(request.user, program_id)
    current = TrainingRequirement.objects.filter(program=program).first()
    if request.method == "POST":
        form = RequirementForm(request.POST)
        try:
            if not form.is_valid():
                raise TrainingError(labelled_errors(form))
            services.set_training_requirement(
                actor=actor(request),
                program=program,
                preset=form.cleaned_data["preset"],
                figures=rules.Requirement(
                    core_hours=form.figure("core_hours"),
                    trainee_hours=form.figure("trainee_hours"),
                    ce_hours_per_year=form.figure("ce_hours_per_year"),
                    observation_every_months=form.cleaned_data["observation_every_months"] or 0,
                ),
                due_soon_days=form.cleaned_data["due_soon_days"],
                now=timezone.now(),
            )
            messages.success(request, "Training requirement saved.")
            return redirect("training-requirement", program_id=program.pk)
        except TrainingError as exc:
            messages.error(request, f"Not saved. {exc}")
        status = 400
    else:
        status = 200
    return render(
        request,
        "training/requirement.html",
        {
            "program": program,
            "current": current,
            "requirement": selectors.requirement_of(current),
            "presets": rules.PRESETS,
            "preset_choices": Preset.choices,
        },
        status=status,
    )


@login_required
@require_GET
def observations(request: HttpRequest) -> HttpResponse:
    viewer = require_membership(request.user, CLINICAL_ROLES)
    rows = permissions.visible_observations(viewer).select_related(
        "facilitator", "observer", "session__group"
    )[:300]
    return render(
        request,
        "training/observations.html",
        {
            "observations": [(o, fidelity.summarise(fidelity.DEFAULT, o.scores)) for o in rows],
            "is_team": permissions.is_team(viewer),
        },
    )


def _observation_form(viewer: Membership, data: object = None) -> ObservationForm:
    members = (
        Membership.objects.filter(organization=viewer.organization, user__is_active=True)
        .exclude(user_id=viewer.user_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    today = _today(viewer)
    sessions = (
        Session.objects.filter(
            group__program__organization=viewer.organization,
            status=SessionStatus.HELD,
            held_on__lte=today,
            held_on__gt=today - dt.timedelta(days=SESSION_WINDOW_DAYS),
        )
        .select_related("group")
        .order_by("-held_on")
    )
    return ObservationForm(
        data,
        facilitators=[
            (m.user_id, f"{m.user.get_full_name() or m.user.username} ({m.get_role_display()})")
            for m in members
        ],
        sessions=[(s.pk, f"{s.group} · {s.held_on:%-d %b %Y}") for s in sessions],
    )


@login_required
@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest) -> HttpResponse:
    viewer = permissions.require_team(request.user)
    status = 200
    if request.method == "POST":
        form = _observation_form(viewer, request.POST)
        try:
            if not form.is_valid():
                raise TrainingError(labelled_errors(form))
            data = form.cleaned_data
            facilitator = Membership.objects.get(
                organization=viewer.organization, user_id=data["facilitator"]
            ).user
            session = (
                Session.objects.select_related("group__program")
                .filter(pk=data["session"], group__program__organization=viewer.organization)
                .first()
                if data["session"]
                else None
            )
            observation = services.record_observation(
                actor=actor(request),
                organization=viewer.organization,
                facilitator=facilitator,
                session=session,
                observed_on=data["observed_on"],
                scores=form.scores(),
                strengths=data["strengths"],
                feedback=data["feedback"],
                follow_up=data["follow_up"],
                now=timezone.now(),
            )
            messages.success(request, "Observation recorded. He can read and acknowledge it.")
            return redirect("training-observation", observation_id=observation.pk)
        except TrainingError as exc:
            messages.error(request, f"Not recorded. {exc}")
            status = 400
    else:
        initial = request.GET.get("facilitator", "")
        form = _observation_form(viewer)
        if initial.isdigit():
            form.initial["facilitator"] = int(initial)
        form.initial["observed_on"] = _today(viewer)
    # Each item with the score already chosen (kept when a refused form comes back).
    items = [
        (item, form.data.get(f"score_{item.id}", "") if form.is_bound else "")
        for item in fidelity.DEFAULT.items
    ]
    return render(
        request,
        "training/observation_form.html",
        {"form": form, "checklist": fidelity.DEFAULT, "items": items},
        status=status,
    )


@login_required
@require_GET
def observation(request: HttpRequest, observation_id: int) -> HttpResponse:
    viewer, record = permissions.access_observation(request.user, observation_id)
    checklist = fidelity.CHECKLISTS.get(record.checklist, fidelity.DEFAULT)
    items = [(item, record.scores.get(item.id)) for item in checklist.items]
    return render(
        request,
        "training/observation.html",
        {
            "observation": record,
            "checklist": checklist,
            "items": items,
            "summary": fidelity.summarise(checklist, record.scores),
            "is_his": record.facilitator_id == viewer.user_id,
            "form": AcknowledgeForm(initial={"comment": record.facilitator_comment}),
        },
    )


@login_required
@require_POST
def observation_acknowledge(request: HttpRequest, observation_id: int) -> HttpResponse:
    record = permissions.access_own_observation(request.user, observation_id)
    form = AcknowledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise TrainingError(labelled_errors(form))
        services.acknowledge_observation(
            observation=record, comment=form.cleaned_data["comment"], now=timezone.now()
        )
        messages.success(request, "Thank you: the observation is acknowledged.")
    except TrainingError as exc:
        messages.error(request, f"Not saved. {exc}")
    return redirect("training-observation", observation_id=record.pk)
