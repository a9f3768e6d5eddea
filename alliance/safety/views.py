"""The safety pages. Thin: parse, access, service or selector, render.

Every response of a view in this package, refusals included, is sent with
``Cache-Control: no-store`` by ``alliance.no_store.NoStoreMiddleware`` (not by each view's
decorators, which were forgotten on some), so a shared computer's browser keeps no copy, and no
submitted value appears in Django's error reports (``sensitive_post_parameters``).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from alliance.formtools import form_errors
from alliance.http import actor
from alliance.organizations.models import Membership
from alliance.participants.models import Participant
from alliance.safety import discrepancy, forms, history, selectors, services
from alliance.safety.models import BreakGlassAccess, PartnerRecord
from alliance.safety.permissions import (
    access_concern,
    access_notification,
    access_partner,
    access_partner_for_change,
    access_release,
    require_org_admin,
    require_safety_worker,
)
from alliance.safety.services import SafetyError


def _today(membership: Membership) -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))


def _participants(membership: Membership) -> list[tuple[int, str]]:
    return list(
        Participant.objects.filter(organization=membership.organization).values_list("pk", "code")
    )


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    membership = require_safety_worker(request.user)
    data = selectors.safety_home(membership, now=timezone.now(), today=_today(membership))
    form = forms.NewPartnerForm(participants=_participants(membership))
    return render(request, "safety/home.html", {"data": data, "form": form})


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def partner_new(request: HttpRequest) -> HttpResponse:
    membership = require_safety_worker(request.user)
    form = forms.NewPartnerForm(request.POST or None, participants=_participants(membership))
    error = ""
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            participant = Participant.objects.get(
                pk=int(data.pop("participant")), organization=membership.organization
            )
            try:
                record = services.create_partner_record(
                    actor=actor(request),
                    organization=membership.organization,
                    participant=participant,
                    **data,
                )
            except SafetyError as exc:
                error = str(exc)
            else:
                messages.success(request, "Partner record created.")
                return redirect("safety-partner", record.pk)
        else:
            error = form_errors(form)
    return render(
        request,
        "safety/partner_new.html",
        {"form": form, "error": error},
        status=400 if error else 200,
    )


def _partner_context(
    request: HttpRequest, record: PartnerRecord, grant: BreakGlassAccess | None, **forms_: Any
) -> dict[str, Any]:
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(record.organization.time_zone))
    context: dict[str, Any] = {
        "page": selectors.partner_page(record),
        "grant": grant,
        "may_change": grant is None,
        "reports": discrepancy.reports_panel(record, today=today),
    }
    if grant is None:
        fields = {name: getattr(record, name) for name in services.PARTNER_FIELDS}
        context.update(
            edit_form=forms.PartnerForm(initial=fields),
            release_form=forms.ReleaseForm(),
            concern_form=forms.ConcernForm(),
            contact_form=forms.ContactForm(),
            consent_form=forms.ReportConsentForm(),
            report_form=forms.PartnerReportForm(),
            flag_release_form=forms.FlagReleaseForm(),
        )
    context.update(forms_)
    return context


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET"])
def partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    record, grant = access_partner(request.user, partner_id, now=timezone.now())
    return render(request, "safety/partner.html", _partner_context(request, record, grant))


@never_cache
@login_required
@require_http_methods(["GET"])
def partner_history(request: HttpRequest, partner_id: int) -> HttpResponse:
    record, grant = access_partner(request.user, partner_id, now=timezone.now())
    context = {"record": record, "grant": grant, "events": history.partner_history(record)}
    return render(request, "safety/history.html", context)


def _refused(
    request: HttpRequest, record: PartnerRecord, error: str, **forms_: Any
) -> HttpResponse:
    context = _partner_context(request, record, None, **forms_)
    context["error"] = error
    return render(request, "safety/partner.html", context, status=400)


def _submit(
    request: HttpRequest,
    record: PartnerRecord,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    success: str,
    form_name: str | None = None,
) -> HttpResponse:
    """Every form posted from a partner record page: a form that does not validate or a write
    the service refuses shows the record again with the message (and the form as typed); a
    write that succeeds says so and goes back to the record."""
    typed = {form_name: form} if form_name else {}
    if not form.is_valid():
        return _refused(request, record, form_errors(form), **typed)
    try:
        write(form.cleaned_data)
    except SafetyError as exc:
        return _refused(request, record, str(exc), **typed)
    messages.success(request, success)
    return redirect("safety-partner", record.pk)


@sensitive_post_parameters()
@login_required
@require_POST
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    return _submit(
        request,
        record,
        forms.PartnerForm(request.POST),
        lambda data: services.update_partner_record(actor=actor(request), record=record, **data),
        "Partner details saved.",
        "edit_form",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def release_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    membership = require_safety_worker(request.user)
    return _submit(
        request,
        record,
        forms.ReleaseForm(request.POST),
        lambda data: services.record_release(
            actor=actor(request), record=record, today=_today(membership), **data
        ),
        "Release recorded.",
        "release_form",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def release_revoke(request: HttpRequest, release_id: int) -> HttpResponse:
    release = access_release(request.user, release_id)
    return _submit(
        request,
        release.partner,
        forms.RevokeForm(request.POST),
        lambda data: services.revoke_release(
            actor=actor(request), release=release, revoked_on=data["revoked_on"]
        ),
        "Release revoked; drafts that rested on it were withdrawn.",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def concern_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    membership = require_safety_worker(request.user)
    return _submit(
        request,
        record,
        forms.ConcernForm(request.POST),
        lambda data: services.raise_concern(
            actor=actor(request), record=record, today=_today(membership), **data
        ),
        "Safety concern recorded.",
        "concern_form",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def concern_resolve(request: HttpRequest, concern_id: int) -> HttpResponse:
    concern = access_concern(request.user, concern_id)
    return _submit(
        request,
        concern.partner,
        forms.ResolveForm(request.POST),
        lambda data: services.resolve_concern(actor=actor(request), concern=concern, **data),
        "Concern marked resolved.",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def contact_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    membership = require_safety_worker(request.user)
    return _submit(
        request,
        record,
        forms.ContactForm(request.POST),
        lambda data: services.log_contact(
            actor=actor(request), record=record, today=_today(membership), **data
        ),
        "Contact logged.",
        "contact_form",
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """The confirmation step: nothing is recorded as told until the worker confirms safety."""
    item = access_notification(request.user, notification_id)
    form = forms.SendForm(request.POST or None, initial={"message": item.message})
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.send_notification(
                    actor=actor(request), notification=item, **form.cleaned_data
                )
            except SafetyError as exc:
                error = str(exc)
            else:
                messages.success(request, "Notification recorded as told.")
                return redirect("safety-partner", item.partner_id)
        else:
            error = form_errors(form)
    context = {"item": item, "form": form, "cancel_form": forms.CancelForm(), "error": error}
    return render(request, "safety/notification.html", context, status=400 if error else 200)


@sensitive_post_parameters()
@login_required
@require_POST
def notification_cancel(request: HttpRequest, notification_id: int) -> HttpResponse:
    item = access_notification(request.user, notification_id)
    form = forms.CancelForm(request.POST)
    error = form_errors(form) if not form.is_valid() else ""
    if not error:
        try:
            services.cancel_notification(
                actor=actor(request), notification=item, reason=form.cleaned_data["reason"]
            )
        except SafetyError as exc:
            error = str(exc)
        else:
            messages.success(request, "Notification withdrawn; it will not be sent.")
            return redirect("safety-partner", item.partner_id)
    context = {
        "item": item,
        "form": forms.SendForm(initial={"message": item.message}),
        "cancel_form": form,
        "error": error,
    }
    return render(request, "safety/notification.html", context, status=400)


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """An organization admin opens one record for a short window, with a stated reason."""
    membership = require_org_admin(request.user)
    form = forms.BreakGlassForm(
        request.POST or None, records=selectors.break_glass_choices(membership)
    )
    error = ""
    if request.method == "POST":
        if form.is_valid():
            record = PartnerRecord.objects.get(
                pk=int(form.cleaned_data["partner"]), organization=membership.organization
            )
            try:
                services.open_break_glass(
                    actor=actor(request),
                    record=record,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
            except SafetyError as exc:
                error = str(exc)
            else:
                return redirect("safety-partner", record.pk)
        else:
            error = form_errors(form)
    context = {
        "form": form,
        "error": error,
        "minutes": int(services.BREAK_GLASS_WINDOW.total_seconds() // 60),
    }
    return render(request, "safety/break_glass.html", context, status=400 if error else 200)
