"""Partner reports on her record, and the discrepancy signal pages. Thin, like ``views``.

The forms post from her record's page (``safety/partner.html``) and answer with it, refused or
done. The signal pages are read by partner-safety workers and supervisors
(``discrepancy.SIGNAL_ROLES``); the per-man page names him in its URL, so the access log
records who looked.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from alliance.core.partner_reports import (
    HER_IMPROVEMENT,
    HIS_IMPROVEMENT,
    PARTNER_REPORT,
)
from alliance.http import actor
from alliance.organizations.models import Membership
from alliance.safety import discrepancy, forms, partner_reports
from alliance.safety.permissions import (
    access_flag_release,
    access_partner_for_change,
    access_report_consent,
)
from alliance.safety.views import _submit


def _today(membership: Membership) -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(membership.organization.time_zone))


def _org_today(time_zone: str) -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(time_zone))


@sensitive_post_parameters()
@login_required
@require_POST
def consent_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    today = _org_today(record.organization.time_zone)
    return _submit(
        request,
        record,
        forms.ReportConsentForm(request.POST),
        lambda data: partner_reports.record_report_consent(
            actor=actor(request), record=record, today=today, **data
        ),
        "Her answer about partner reports is recorded.",
        "consent_form",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = access_report_consent(request.user, consent_id)
    today = _org_today(consent.partner.organization.time_zone)
    return _submit(
        request,
        consent.partner,
        forms.WithdrawForm(request.POST),
        lambda data: partner_reports.withdraw_report_consent(
            actor=actor(request), consent=consent, withdrawn_on=data["withdrawn_on"], today=today
        ),
        "Consent withdrawn: no further partner report will be recorded.",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def report_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    today = _org_today(record.organization.time_zone)

    def write(data: dict[str, object]) -> object:
        answers = {item.id: data[item.id] for item in PARTNER_REPORT.items}
        return partner_reports.record_partner_report(
            actor=actor(request),
            record=record,
            reported_on=data["reported_on"],  # type: ignore[arg-type]
            mode=str(data["mode"]),
            answers=answers,  # type: ignore[arg-type]
            worker_note=str(data["worker_note"]),
            today=today,
        )

    return _submit(
        request,
        record,
        forms.PartnerReportForm(request.POST),
        write,
        "Partner report recorded.",
        "report_form",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def flag_release_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    record = access_partner_for_change(request.user, partner_id)
    today = _org_today(record.organization.time_zone)
    return _submit(
        request,
        record,
        forms.FlagReleaseForm(request.POST),
        lambda data: partner_reports.record_flag_release(
            actor=actor(request), record=record, today=today, **data
        ),
        "Her release of the discrepancy flag is recorded.",
        "flag_release_form",
    )


@sensitive_post_parameters()
@login_required
@require_POST
def flag_release_withdraw(request: HttpRequest, flag_release_id: int) -> HttpResponse:
    release = access_flag_release(request.user, flag_release_id)
    today = _org_today(release.partner.organization.time_zone)
    return _submit(
        request,
        release.partner,
        forms.WithdrawForm(request.POST),
        lambda data: partner_reports.withdraw_flag_release(
            actor=actor(request), release=release, withdrawn_on=data["withdrawn_on"], today=today
        ),
        "Release withdrawn: the flag may no longer be told to that recipient.",
    )


def _thresholds() -> dict[str, float]:
    return {"his_threshold": HIS_IMPROVEMENT, "her_threshold": HER_IMPROVEMENT}


@never_cache
@login_required
@require_http_methods(["GET"])
def signals(request: HttpRequest) -> HttpResponse:
    membership = discrepancy.require_signal_reader(request.user)
    rows = discrepancy.signal_list(membership, today=_today(membership))
    context = {"rows": rows, "flagged": sum(1 for r in rows if r.signal.flagged)}
    return render(request, "safety/signals.html", context | _thresholds())


@never_cache
@login_required
@require_http_methods(["GET"])
def man_signal(request: HttpRequest, participant_id: int) -> HttpResponse:
    membership = discrepancy.require_signal_reader(request.user)
    participant, rows = discrepancy.man_signals(
        request.user, participant_id, today=_today(membership)
    )
    context = {"participant": participant, "rows": rows}
    return render(request, "safety/man_signal.html", context | _thresholds())
