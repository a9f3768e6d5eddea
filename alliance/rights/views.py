from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.formtools import form_errors
from alliance.http import actor
from alliance.rights import selectors
from alliance.rights.forms import RetentionPolicyForm
from alliance.rights.permissions import access_participant_for_export, require_rights_admin
from alliance.rights.services import (
    clear_retention_policy,
    export_participant,
    set_retention_policy,
)


@login_required
@require_POST
def participant_export(request: HttpRequest, participant_id: int) -> HttpResponse:
    """Download everything held about a man (except the partner-safety compartment)."""
    participant = access_participant_for_export(request.user, participant_id)
    export = export_participant(actor=actor(request), participant=participant)
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def data_rights(request: HttpRequest) -> HttpResponse:
    """The organization admin's page: retention in force, exports made, purges run."""
    membership = require_rights_admin(request.user)
    organization = membership.organization
    form = RetentionPolicyForm()
    error = ""
    if request.method == "POST":
        if "clear" in request.POST:
            if clear_retention_policy(actor=actor(request), organization=organization):
                messages.success(request, "Retention policy cleared: the default applies.")
            return redirect("data-rights")
        form = RetentionPolicyForm(request.POST)
        if form.is_valid():
            years = form.cleaned_data["years"]
            set_retention_policy(actor=actor(request), organization=organization, years=years)
            messages.success(request, f"Retention policy set to {years} years.")
            return redirect("data-rights")
        error = form_errors(form).replace("years:", "Retention years:", 1)
    context = {
        "form": form,
        "error": error,
        "policy": selectors.policy_in_force(membership),
        "changes": selectors.policy_changes(membership),
        "exports": selectors.exports(membership),
        "purges": selectors.purges(membership),
    }
    return render(request, "rights/data_rights.html", context, status=400 if error else 200)
