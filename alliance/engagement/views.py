"""Pages of the early warning: the risk list, the model card and the outreach workflow."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from alliance import audit
from alliance.core.engagement import BANDS, FEATURES
from alliance.core.engagement.features import SIGNAL, TIMING, TRAIT
from alliance.core.engagement.model import (
    COLD_START_ODDS_RATIOS,
    ISOLATION_FEATURE,
    SIGNAL_PERSISTENCE,
    isolation_weight_is_assumed,
)
from alliance.core.engagement.outreach import ACTION_LABELS, OUTCOME_LABELS
from alliance.engagement import selectors, services
from alliance.engagement.models import DropoutModel
from alliance.engagement.panels import RiskPanel
from alliance.engagement.permissions import (
    access_enrollment_for_outreach,
    access_model_card,
    access_outreach_alert,
    access_risk_list,
)
from alliance.http import actor
from alliance.organizations.models import Membership
from alliance.participants.models import Enrollment

#: The full list shows this many men; past it, "All N men" says how many more there are.
RISK_LIST_LIMIT = 1000


def _today(membership: Membership) -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))


@login_required
@require_GET
def risk_list(request: HttpRequest) -> HttpResponse:
    membership = access_risk_list(request.user)
    # One run of the model for the whole page: the table formats these rows.
    rows = selectors.risk_rows(
        selectors.visible_enrollments(membership),
        organization_id=membership.organization_id,
        today=_today(membership),
    )
    return render(
        request,
        "engagement/risk_list.html",
        {
            "rows": rows,
            "risk": RiskPanel.of(rows, limit=RISK_LIST_LIMIT),
            "by_facilitator": selectors.outreach_by_facilitator(membership.organization),
            "outcomes": selectors.outreach_outcomes(membership.organization),
        },
    )


@login_required
@require_GET
def model_card(request: HttpRequest) -> HttpResponse:
    membership = access_model_card(request.user)
    in_use, stored = selectors.active_model(membership.organization_id)
    latest = DropoutModel.objects.filter(organization=membership.organization).first()
    kinds = {TRAIT: "Fixed at intake", SIGNAL: "Changeable signal", TIMING: "Book-keeping"}
    features = [
        {
            "title": f.title,
            "label": f.label,
            "kind": kinds[f.kind],
            "term": COLD_START_ODDS_RATIOS.get(f.name),
            "name": f.name,
        }
        for f in FEATURES
    ]
    isolation_assumed = isolation_weight_is_assumed(in_use.source, in_use.metrics)
    return render(
        request,
        "engagement/model_card.html",
        {
            "stored": stored,
            "latest": latest,
            "features": features,
            "traits": [f.title for f in FEATURES if f.kind == TRAIT],
            "signals": [f.title for f in FEATURES if f.kind == SIGNAL],
            "bands": BANDS,
            "persistence": SIGNAL_PERSISTENCE,
            "isolation_feature": ISOLATION_FEATURE,
            "isolation_assumed": isolation_assumed,
        },
    )


@login_required
@require_GET
def alert_page(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_outreach_alert(request.user, alert_id)
    membership = access_risk_list(request.user)
    audit.record(request, enrollment_id=alert.enrollment_id)
    today = _today(membership)
    # His outlook now: the same stored number and band the list shows.
    now = selectors.risk_rows(
        Enrollment.objects.filter(pk=alert.enrollment_id),
        organization_id=membership.organization_id,
        today=today,
    )
    return render(
        request,
        "engagement/alert.html",
        {
            "alert": alert,
            "now": now[0].outlook if now else None,
            "actions": alert.actions.select_related("recorded_by"),
            "action_kinds": list(ACTION_LABELS.items()),
            "outcomes": list(OUTCOME_LABELS.items()),
            "today": today,
        },
    )


@login_required
@require_POST
def start_outreach(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment_for_outreach(request.user, enrollment_id)
    membership = access_risk_list(request.user)
    try:
        alert = services.start_outreach(
            enrollment=enrollment,
            actor=actor(request),
            today=_today(membership),
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("engagement-risk")
    return redirect("engagement-alert", alert.pk)


@login_required
@require_POST
def acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_outreach_alert(request.user, alert_id)
    try:
        services.acknowledge_alert(alert=alert, actor=actor(request))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("engagement-alert", alert.pk)


@login_required
@require_POST
def record_action(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_outreach_alert(request.user, alert_id)
    membership = access_risk_list(request.user)
    today = _today(membership)
    raw = request.POST.get("done_on", "").strip()
    try:
        done_on = dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        messages.error(
            request, f"Action not recorded: the date {raw!r} is not a date (YYYY-MM-DD)."
        )
        return redirect("engagement-alert", alert.pk)
    try:
        services.record_outreach_action(
            alert=alert,
            actor=actor(request),
            kind=request.POST.get("kind", ""),
            done_on=done_on,
            today=today,
            note=request.POST.get("note", ""),
        )
    except ValueError as exc:
        messages.error(request, f"Action not recorded: {exc}")
        return redirect("engagement-alert", alert.pk)
    return redirect("engagement-alert", alert.pk)


@login_required
@require_POST
def record_outcome(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = access_outreach_alert(request.user, alert_id)
    try:
        services.record_outreach_outcome(
            alert=alert,
            actor=actor(request),
            outcome=request.POST.get("outcome", ""),
        )
    except ValueError as exc:
        messages.error(request, f"Outcome not recorded: {exc}")
    return redirect("engagement-alert", alert.pk)
