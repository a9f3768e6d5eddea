from __future__ import annotations

import logging
import zoneinfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from alliance.core.instruments import CLASS_ORDER
from alliance.core.outcomes import CAVEAT
from alliance.core.outcomes.research import DateMode
from alliance.outcomes.evaluation_store import stored_evaluation
from alliance.outcomes.export_jobs import forget_expired, request_research_export
from alliance.outcomes.permissions import (
    access_evaluation,
    access_follow_up_import,
    access_research_export,
    access_research_export_file,
    may_export,
    may_import,
)
from alliance.outcomes.research_export import DATE_MODE_LABELS, FORMAT_LABELS, FileFormat
from alliance.outcomes.services import COLUMNS, import_follow_up
from alliance.programs.permissions import visible_programs

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _parse_program(request: HttpRequest) -> int | None:
    raw = request.GET.get("program", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/evaluation.html", _evaluation_context(request))


@login_required
@require_GET
def evaluation_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF (WeasyPrint), charts included as the same SVGs."""
    from weasyprint import HTML

    context = _evaluation_context(request)
    if not context["has_result"]:
        # Nothing computed yet: the page says so, and offers the PDF once there is a result.
        query = f"?program={context['selected']}" if context["selected"] else ""
        return redirect(reverse("evaluation") + query)
    context["produced"] = timezone.now()
    html = render_to_string("outcomes/evaluation_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="program-evaluation.pdf"'
    return response


def _evaluation_context(request: HttpRequest) -> dict[str, object]:
    membership, programs = access_evaluation(request.user, _parse_program(request))
    stored = stored_evaluation(programs)
    return {
        **(stored.parts or {}),
        "computed_at": stored.computed_at,
        "recomputing": stored.recomputing,
        "has_result": stored.parts is not None,
        "caveat": CAVEAT,
        "all_programs": visible_programs(membership),
        "selected": _parse_program(request),
        "scope": ", ".join(p.name for p in programs) or "No programs",
        "change_classes": [c.value.replace("_", " ").capitalize() for c in CLASS_ORDER],
        "may_import": may_import(membership),
        "may_export": may_export(membership),
    }


@login_required
@require_http_methods(["GET", "POST"])
def research_export_view(request: HttpRequest) -> HttpResponse:
    """Choose programs, format and date handling; POST asks for the zip, produced in the
    background, and goes to the export's page."""
    source = request.POST if request.method == "POST" else request.GET
    raw_program = source.get("program", "")
    program_id = int(raw_program) if raw_program.isdigit() else None
    membership, programs = access_research_export(request.user, program_id)
    context: dict[str, object] = {
        "all_programs": access_research_export(request.user, None)[1],
        "selected": program_id,
        "formats": list(FORMAT_LABELS.items()),
        "date_modes": list(DATE_MODE_LABELS.items()),
        "chosen_format": source.get("format", FileFormat.CSV.value),
        "chosen_dates": source.get("dates", DateMode.SHIFT.value),
    }
    if request.method == "GET":
        return render(request, "outcomes/research_export.html", context)
    errors = []
    if raw_program and program_id is None:
        errors.append("Program: choose one of your programs or all of them.")
    if source.get("format") not in {f.value for f in FileFormat}:
        errors.append("Format: choose CSV, SPSS, Stata or REDCap.")
    if source.get("dates") not in {m.value for m in DateMode}:
        errors.append("Dates: choose shifted dates or intervals.")
    if errors:
        context["errors"] = errors
        return render(request, "outcomes/research_export.html", context, status=400)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))
    export = request_research_export(
        membership=membership,
        program_ids=list(programs.values_list("pk", flat=True)),
        fmt=FileFormat(source["format"]),
        date_mode=DateMode(source["dates"]),
        today=today,
    )
    return redirect("research-export-file", export_id=export.pk)


@login_required
@require_GET
def research_export_file(request: HttpRequest, export_id: int) -> HttpResponse:
    """The export's own page: being produced, ready to download (until when), or expired."""
    export = access_research_export_file(request.user, export_id)
    forget_expired()
    export.refresh_from_db()
    return render(
        request,
        "outcomes/research_export_file.html",
        {"export": export, "available": export.content is not None},
    )


@login_required
@require_GET
def research_export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = access_research_export_file(request.user, export_id)
    forget_expired()
    export.refresh_from_db()
    if export.content is None:
        # Not produced yet, failed or expired: its page says which.
        return redirect("research-export-file", export_id=export.pk)
    log.info("research export %s downloaded by user %s", export.pk, request.user.pk)
    response = HttpResponse(bytes(export.content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_follow_up_view(request: HttpRequest) -> HttpResponse:
    membership = access_follow_up_import(request.user)
    context: dict[str, object] = {"columns": COLUMNS}
    if request.method == "GET":
        return render(request, "outcomes/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = "Choose a CSV file to import."
        return render(request, "outcomes/import.html", context, status=400)
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        context["error"] = "The file is larger than 20 MB: split it."
        return render(request, "outcomes/import.html", context, status=400)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))
    report = import_follow_up(
        membership=membership,
        user=membership.user,
        content=upload.read(),
        filename=upload.name or "upload.csv",
        today=today,
    )
    context["report"] = report
    return render(request, "outcomes/import.html", context, status=200 if report.ok else 400)
