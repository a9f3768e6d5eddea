from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from alliance.rights.permissions import access_participant_for_export
from alliance.rights.services import export_participant


@login_required
@require_POST
def participant_export(request: HttpRequest, participant_id: int) -> HttpResponse:
    """Download everything held about a man (except the partner-safety compartment)."""
    participant = access_participant_for_export(request.user, participant_id)
    export = export_participant(actor=request.user, participant=participant)  # type: ignore[arg-type]
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
