"""Organization settings: integration keys (make one, see each one's use, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.api.forms import IntegrationKeyForm
from alliance.api.models import IntegrationKey
from alliance.api.services import create_integration_key, revoke_integration_key
from alliance.http import actor
from alliance.organizations.permissions import require_org_admin


@login_required
@require_http_methods(["GET", "POST"])
def integration_keys(request: HttpRequest) -> HttpResponse:
    membership = require_org_admin(request.user)
    organization = membership.organization
    form = IntegrationKeyForm(organization=organization)
    status = 200
    new_key = ""
    if request.method == "POST":
        form = IntegrationKeyForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                _key, new_key = create_integration_key(
                    actor=actor(request),
                    organization=organization,
                    name=form.cleaned_data["name"],
                    role=form.cleaned_data["role"],
                    sites=form.cleaned_data["sites"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                status = 400
            else:
                form = IntegrationKeyForm(organization=organization)
        else:
            status = 400
    keys = IntegrationKey.objects.filter(organization=organization).select_related(
        "created_by", "user__membership"
    )
    context = {"form": form, "keys": keys, "new_key": new_key}
    response = render(request, "api/integration_keys.html", context, status=status)
    if new_key:
        # The key is on this page once; never cache it anywhere.
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke_key(request: HttpRequest, key_id: int) -> HttpResponse:
    membership = require_org_admin(request.user)
    key = IntegrationKey.objects.filter(pk=key_id, organization=membership.organization).first()
    if key is None:
        raise Http404("No such key.")
    revoke_integration_key(actor=actor(request), key=key)
    messages.success(request, f"Key “{key.name}” revoked: it no longer works.")
    return redirect("api-keys")
