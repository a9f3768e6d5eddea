"""A man's releases of therapeutic scores: read by clinical staff who see him, recorded and
revoked by supervisors, managers and organization admins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from alliance import audit
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.measures.errors import MeasureError
from alliance.measures.forms import ScoreReleaseForm
from alliance.measures.models import RecipientKind
from alliance.measures.permissions import (
    access_score_release,
    access_score_releases,
    may_manage_score_releases,
)
from alliance.measures.releases.selectors import score_release_rows
from alliance.measures.releases.services import record_score_release, revoke_score_release
from alliance.participants.services import program_today


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def score_releases_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    write = request.method == "POST"
    membership, enrollment = access_score_releases(request.user, enrollment_id, write=write)
    today = program_today(enrollment)
    manage = may_manage_score_releases(membership)
    form = ScoreReleaseForm(request.POST or None) if manage else None
    error, status = "", 200
    if form is not None and write:
        if not form.is_valid():
            error, status = form_errors(form), 400
        else:
            try:
                record_score_release(
                    actor=actor(request),
                    enrollment=enrollment,
                    recipient_kind=RecipientKind(form.cleaned_data["recipient_kind"]),
                    recipient_name=form.cleaned_data["recipient_name"],
                    signed_on=form.cleaned_data["signed_on"],
                    expires_on=form.cleaned_data["expires_on"],
                    all_therapeutic=form.cleaned_data["all_therapeutic"],
                    instrument_ids=form.cleaned_data["instrument_ids"],
                    today=today,
                )
            except MeasureError as exc:
                error, status = str(exc), 400
            else:
                messages.success(request, f"Release recorded for {enrollment.participant.code}.")
                return redirect("measure-releases", enrollment_id=enrollment.pk)
    return render(
        request,
        "measures/releases.html",
        {
            "enrollment": enrollment,
            "rows": score_release_rows(enrollment, today=today),
            "form": form,
            "may_manage": manage,
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
def revoke_score_release_view(request: HttpRequest, release_id: int) -> HttpResponse:
    release = access_score_release(request.user, release_id)
    audit.record(request, enrollment_id=release.enrollment_id)
    revoke_score_release(actor=actor(request), release=release)
    messages.success(request, "Release revoked.")
    return redirect("measure-releases", enrollment_id=release.enrollment_id)
