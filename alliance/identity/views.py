"""The identity pages: the list of men (identity on file or not), one man's identity, its form.

Each page that shows a man's identity has his id in its URL, so the access log
(``alliance.audit``) records who saw whose identity, refusals included.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alliance.http import actor
from alliance.identity.forms import IdentityForm, initial_from
from alliance.identity.models import ParticipantIdentity
from alliance.identity.permissions import access_identity, access_identity_list
from alliance.identity.selectors import identity_of, identity_versions
from alliance.identity.services import save_identity
from alliance.organizations.permissions import CLINICAL_ROLES
from alliance.participants.permissions import visible_participants
from alliance.participants.selectors import participant_enrollments

PAGE_SIZE = 50


@login_required
@require_GET
def identity_list(request: HttpRequest) -> HttpResponse:
    """The men she may see, by code, and whether an identity is on file (never the name)."""
    membership = access_identity_list(request.user)
    on_file = ParticipantIdentity.objects.filter(participant=OuterRef("pk"))
    men = visible_participants(membership).annotate(on_file=Exists(on_file)).order_by("code")
    page = Paginator(men, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "identity/list.html", {"page": page})


@login_required
@require_GET
def identity_page(request: HttpRequest, participant_id: int) -> HttpResponse:
    membership, participant = access_identity(request.user, participant_id)
    identity = identity_of(participant)
    return render(
        request,
        "identity/identity.html",
        {
            "participant": participant,
            "identity": identity,
            "versions": identity_versions(identity) if identity is not None else [],
            "enrollments": participant_enrollments(participant),
            "links_to_record": membership.role in CLINICAL_ROLES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def identity_edit(request: HttpRequest, participant_id: int) -> HttpResponse:
    membership, participant = access_identity(request.user, participant_id)
    identity = identity_of(participant)
    form = IdentityForm(
        request.POST or None,
        organization=membership.organization,
        current_agency_id=identity.agency_id if identity is not None else None,
        initial=initial_from(identity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_identity(
                actor=actor(request),
                participant=participant,
                details=form.details(),
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Identity saved for {participant.code}.")
            return redirect("participant-identity", participant_id=participant.pk)
    return render(
        request,
        "identity/edit.html",
        {"participant": participant, "form": form, "is_new": identity is None},
        status=400 if request.method == "POST" else 200,
    )
