"""Pages of figures: the group's check-out heatmap and the program's measures page."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alliance.audit.services import record
from alliance.measures import charts
from alliance.measures.configuration.selectors import schedule_for, settings_for
from alliance.measures.fhir_responses import completed_administrations, responses_bundle
from alliance.measures.forms import MeasureSettingsForm, ScheduleForm, ZoneSettingsForm
from alliance.measures.permissions import access_program_measures, may_configure
from alliance.measures.statistics.selectors import (
    change_table,
    checkout_heatmap,
    internal_consistency,
)
from alliance.measures.statistics.zones import group_zones
from alliance.organizations.models import Role
from alliance.participants.permissions import visible_participants
from alliance.programs.permissions import access_group


@login_required
@require_GET
def group_checkouts(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    today = timezone.localdate(timezone=group.program.tzinfo)
    heatmap = checkout_heatmap(group, today=today)
    labels = [f"{s.held_on.day} {s.held_on:%b}" for s in heatmap.sessions]
    svg = (
        charts.heatmap_svg(
            title=f"{group}: check-out by man and session",
            codes=heatmap.codes,
            session_labels=labels,
            values=heatmap.values,
        )
        if heatmap.codes
        else ""
    )
    return render(
        request,
        "measures/group_checkouts.html",
        {
            "heatmap": heatmap,
            "labels": labels,
            "svg": svg,
            "rows": list(zip(heatmap.codes, heatmap.participant_ids, heatmap.values, strict=True)),
        },
    )


@login_required
@require_GET
def group_zone_map(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's safe-but-not-too-safe map, for its facilitators and their supervisors."""
    group = access_group(request.user, group_id)
    today = timezone.localdate(timezone=group.program.tzinfo)
    return render(request, "measures/group_zones.html", {"map": group_zones(group, today=today)})


@login_required
@require_GET
def program_measures(request: HttpRequest, program_id: int) -> HttpResponse:
    membership, program = access_program_measures(request.user, program_id)
    configure = may_configure(membership)
    return render(
        request,
        "measures/program.html",
        {
            "program": program,
            "consistency": internal_consistency(program),
            "changes": change_table(program),
            "schedule": schedule_for(program),
            "thresholds": settings_for(program),
            "may_configure": configure,
            "settings_form": MeasureSettingsForm(instance=settings_for(program))
            if configure
            else None,
            "schedule_form": ScheduleForm() if configure else None,
            "zone_form": ZoneSettingsForm(instance=settings_for(program)) if configure else None,
            "is_evaluator": membership.role == Role.EVALUATOR,
        },
    )


@login_required
@require_GET
def program_fhir_answers(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program's completed questionnaires as one FHIR Bundle (QuestionnaireResponse and
    Observation per administration), for the men this user may see; every man in it is
    recorded in the access log."""
    membership, program = access_program_measures(request.user, program_id)
    rows = list(
        completed_administrations(
            organization=membership.organization, programs=[program.pk]
        ).filter(enrollment__participant__in=visible_participants(membership))
    )
    for participant_id in sorted({a.enrollment.participant_id for a in rows}):
        record(request, participant_id=participant_id)
    bundle, _ = responses_bundle(rows)
    response = HttpResponse(
        json.dumps(bundle, indent=2, default=str), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="program-{program.pk}-fhir-answers.json"'
    )
    return response
