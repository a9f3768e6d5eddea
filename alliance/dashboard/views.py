from __future__ import annotations

import zoneinfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from alliance import charts
from alliance.court.permissions import QUEUE_ROLES
from alliance.court.selectors import due_queue, has_clocks
from alliance.dashboard.period import parse_period
from alliance.dashboard.selectors import program_dashboard, tiles
from alliance.engagement.panels import risk_panel
from alliance.incidents.selectors import handler_panel
from alliance.measures.panels import home_alerts
from alliance.organizations.models import Role
from alliance.organizations.permissions import CLINICAL_ROLES, DASHBOARD_ROLES, require_membership
from alliance.organizations.setup import setup_checklist
from alliance.participants.models import Enrollment
from alliance.practice.analysis import dose_panel
from alliance.practice.permissions import sees_practice
from alliance.programs.permissions import access_program_dashboard, visible_programs
from alliance.programs.selectors import facilitator_home


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "portal_account"):
        # A probation officer or court clerk (alliance.portal) has no staff home.
        return redirect("portal-home")
    membership = require_membership(request.user)
    if membership.role in (Role.PROGRAM_MANAGER, Role.EVALUATOR):
        return redirect("dashboard")
    if membership.role == Role.INTAKE:
        return redirect("intake-home")  # upcoming intakes, men waiting, agreements to sign
    if membership.role not in CLINICAL_ROLES:
        # Partner-safety workers see no clinical pages; their compartment is separate.
        return render(request, "dashboard/home_restricted.html", {"membership": membership})
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))
    context: dict[str, object] = {
        "home": facilitator_home(membership, today=today),
        "checklist": None,
        "risk": risk_panel(membership, today=today),
        "sees_practice": sees_practice(membership),
        "measure_alerts": home_alerts(membership),
        # A supervisor's open safety incidents (None for roles that do not handle them).
        "incidents": handler_panel(membership, now=timezone.now()),
        # Documents due to referral agencies, with dates (None for roles that do not send them).
        "due_rows": due_queue(
            Enrollment.objects.filter(program__in=visible_programs(membership)), today=today
        )
        if membership.role in QUEUE_ROLES
        else None,
    }
    if membership.is_org_admin:
        checklist = setup_checklist(membership.organization)
        # Shown on the admin's home until every step is done; Settings keeps it afterwards.
        context["checklist"] = None if checklist.done else checklist
    return render(request, "dashboard/home.html", context)


def _parse_program(request: HttpRequest) -> int | None:
    raw = request.GET.get("program", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership, programs = access_program_dashboard(request.user, _parse_program(request))
    data = program_dashboard(programs, with_names=membership.role != Role.EVALUATOR)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))
    period, period_error = parse_period(request.GET, today=today)
    dose_rows = dose_panel(data.programs, now=timezone.now())
    context = {
        # Each man x document his agency's clock makes due, with its date (managers only: the
        # evaluator's dashboard names nobody).
        "due_rows": due_queue(Enrollment.objects.filter(program__in=programs), today=today)
        if membership.role in QUEUE_ROLES
        else None,
        # Until clocks are set, the engine's dateless list stands in for the dated queue.
        "clocks_set": has_clocks(membership.organization),
        "data": data,
        "tiles": tiles(programs, start=period.start, end=period.end, today=today),
        "period": period,
        "period_error": period_error,
        "all_programs": visible_programs(membership),
        "selected": _parse_program(request),
        # No curve without men who started: an empty axis says nothing (a sentence does). The
        # chart is followed by its figures as a table (alliance/charts.py, D14).
        "retention_svg": charts.with_table(
            charts.retention_svg(data.retention), charts.retention_table(data.retention)
        )
        if data.retention.n
        else "",
        "may_see_names": membership.role in DASHBOARD_ROLES - {Role.EVALUATOR},
        "dose_rows": dose_rows,
        # One sentence instead of a panel per program when no program has an estimate yet.
        "dose_reasons": sorted({str(r["dose"].reason) for r in dose_rows})  # type: ignore[attr-defined]
        if dose_rows and not any(r["dose"].per_hour is not None for r in dose_rows)  # type: ignore[attr-defined]
        else [],
    }
    return render(request, "dashboard/dashboard.html", context, status=400 if period_error else 200)
