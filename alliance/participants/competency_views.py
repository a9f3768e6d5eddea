"""A man's competencies (sign-off, approval, return) and his leaves of absence.

Forms on his page post here and come back to it: facilitators of his group sign off,
decision roles approve, return and record leave. The same 404 for a man the user may not
see as for one who does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from alliance.formtools import form_errors
from alliance.http import actor
from alliance.organizations.permissions import membership_of
from alliance.participants.competencies import (
    CompetencyError,
    approve_competency,
    record_leave,
    return_competency,
    sign_off_competency,
)
from alliance.participants.forms import LeaveForm, ReviewForm, SignOffForm
from alliance.participants.permissions import (
    access_enrollment_for_decision,
    access_sign_off_for_review,
    may_decide,
)


def _back(participant_id: int) -> HttpResponse:
    return redirect("participant", participant_id=participant_id)


@login_required
@require_POST
def sign_off(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment_for_decision(request.user, enrollment_id)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(enrollment.participant_id)
    competency = enrollment.program.competencies.filter(pk=form.cleaned_data["competency"]).first()
    if competency is None:
        messages.error(request, "competency: choose one of his program's competencies.")
        return _back(enrollment.participant_id)
    try:
        sign_off_competency(
            actor=actor(request),
            enrollment=enrollment,
            competency=competency,
            evidence_note=form.cleaned_data["evidence_note"],
        )
    except CompetencyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{competency.name}” signed off; it awaits a supervisor.")
    return _back(enrollment.participant_id)


@login_required
@require_POST
def review(request: HttpRequest, sign_off_id: int) -> HttpResponse:
    item = access_sign_off_for_review(request.user, sign_off_id)
    participant_id = item.enrollment.participant_id
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(participant_id)
    try:
        if form.cleaned_data["decision"] == "approve":
            approve_competency(actor=actor(request), sign_off=item)
            messages.success(request, f"“{item.competency.name}” approved.")
        else:
            return_competency(
                actor=actor(request), sign_off=item, reason=form.cleaned_data["reason"]
            )
            messages.success(request, f"“{item.competency.name}” returned to the facilitators.")
    except CompetencyError as exc:
        messages.error(request, str(exc))
    return _back(participant_id)


@login_required
@require_POST
def leave(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment_for_decision(request.user, enrollment_id)
    if not may_decide(membership_of(request.user)):
        raise Http404("No such page.")
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _back(enrollment.participant_id)
    try:
        record_leave(actor=actor(request), enrollment=enrollment, **form.cleaned_data)
    except CompetencyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Leave of absence recorded.")
    return _back(enrollment.participant_id)
