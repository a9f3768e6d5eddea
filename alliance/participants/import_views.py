"""The caseload import page and its templates (``alliance.participants.caseload_import``)."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alliance.participants.caseload_file import (
    MAX_UPLOAD_BYTES,
    template_csv,
    template_xlsx,
)
from alliance.participants.caseload_import import COLUMNS, import_caseload, import_log
from alliance.participants.permissions import access_caseload_import
from alliance.programs.permissions import visible_programs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def caseload_import(request: HttpRequest) -> HttpResponse:
    membership = access_caseload_import(request.user)
    context: dict[str, object] = {
        "columns": COLUMNS,
        "programs": list(visible_programs(membership).prefetch_related("groups")),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = "Choose a CSV or Excel (.xlsx) file."
            status = 400
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            context["error"] = f"The file is larger than {context['max_mb']} MB: split it."
            status = 400
        else:
            zone = zoneinfo.ZoneInfo(membership.organization.time_zone)
            report = import_caseload(
                membership=membership,
                content=upload.read(),
                filename=upload.name or "upload",
                today=timezone.localdate(timezone=zone),
                dry_run=request.POST.get("action") != "import",
            )
            context["report"] = report
            status = 200 if report.ok else 400
    context["log"] = import_log(membership)
    return render(request, "participants/import.html", context, status=status)


@login_required
@require_GET
def caseload_template_csv(request: HttpRequest) -> HttpResponse:
    access_caseload_import(request.user)
    response = HttpResponse(template_csv(COLUMNS), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="caseload-template.csv"'
    return response


@login_required
@require_GET
def caseload_template_xlsx(request: HttpRequest) -> HttpResponse:
    access_caseload_import(request.user)
    response = HttpResponse(template_xlsx(COLUMNS), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="caseload-template.xlsx"'
    return response
