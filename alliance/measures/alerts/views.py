"""Staff actions on alerts: acknowledge one, flag the session's missing check-outs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from alliance import audit
from alliance.http import HtmxHttpRequest, actor
from alliance.measures.alerts.services import acknowledge_alert, flag_missed_checkouts
from alliance.measures.permissions import access_alert
from alliance.programs.permissions import access_session
from alliance.redirects import redirect_to_next


@login_required
@require_POST
def flag_missed_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    alerts = flag_missed_checkouts(session=session)
    messages.success(request, f"{len(alerts)} man/men attended without a check-out.")
    return redirect("session", session_id=session.pk)


@login_required
@require_POST
def acknowledge_view(request: HtmxHttpRequest, alert_id: int) -> HttpResponse:
    alert = access_alert(request.user, alert_id)
    audit.record(request, enrollment_id=alert.enrollment_id)
    alert = acknowledge_alert(actor=actor(request), alert=alert)
    if request.htmx:
        return render(request, "measures/_alert.html", {"alert": alert})
    return redirect_to_next(request, default=reverse("home"))
