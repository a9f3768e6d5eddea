"""Fee pages: a man's account, the program's schedule, the reports, receipts and statements.

Views parse, check access, call a service or a selector, and render. A refused action comes
back to the page it was sent from with a message naming the field.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.audit.services import record
from alliance.core.fees import AGING_BUCKETS, EntryKind, format_money, plain_amount, signed
from alliance.fees import selectors, services
from alliance.fees.forms import (
    AgencyPolicyForm,
    AssessForm,
    ChargeForm,
    CurrencyForm,
    GenerateForm,
    MonthForm,
    PaymentForm,
    PeriodForm,
    RefundForm,
    ReverseForm,
    ScaleForm,
    ScheduleForm,
    WaiverDecisionForm,
    WaiverRequestForm,
)
from alliance.fees.models import (
    AgencyFeePolicy,
    ChargeKind,
    FeeSchedule,
    PaymentMethod,
    ScaleBand,
)
from alliance.fees.permissions import (
    DESK_ROLES,
    MANAGER_ROLES,
    access_agency_policy,
    access_entry,
    access_fee_account,
    access_fee_program,
    access_fee_reports,
    access_waiver,
    may_manage_fees,
    may_post_payments,
)
from alliance.fees.policy import EVIDENCE_WARNING
from alliance.formtools import form_errors
from alliance.http import actor
from alliance.organizations.letterhead import letterhead
from alliance.organizations.models import Agency, Role
from alliance.reports.rendering import document_html, html_to_pdf

# --- A man's account --------------------------------------------------------------------------


@login_required
@require_GET
def account_page(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    membership, enrollment = access_fee_account(request.user, enrollment_id)
    currency = selectors.currency_of(enrollment.program.organization)
    today = timezone.localdate()
    return render(
        request,
        "fees/account.html",
        {
            "account": selectors.account(enrollment, as_of=today),
            "e": enrollment,
            "may_post": may_post_payments(membership),
            "may_manage": may_manage_fees(membership),
            "me": request.user.pk,
            "forms": {
                "assess": AssessForm(currency=currency),
                "charge": ChargeForm(currency=currency, initial={"on": today}),
                "payment": PaymentForm(currency=currency, initial={"on": today}),
                "refund": RefundForm(currency=currency, initial={"on": today}),
                "waiver": WaiverRequestForm(currency=currency),
            },
            "last_month": (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m"),
            "this_month": today.strftime("%Y-%m"),
        },
    )


def _post_entry(
    request: HttpRequest,
    enrollment_id: int,
    form: forms.Form,
    write: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Check the form, write through the service (``write`` returns what to tell the user) and
    go back to his account; a refusal is shown there, naming the field, and nothing is written."""
    try:
        if not form.is_valid():
            raise services.FeeError(form_errors(form))
        messages.success(request, write(form.cleaned_data))
    except services.FeeError as exc:
        messages.error(request, str(exc))
    return _back(enrollment_id)


def _back(enrollment_id: int) -> HttpResponse:
    return redirect("fees:account", enrollment_id=enrollment_id)


@login_required
@require_POST
def assess(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _, enrollment = access_fee_account(request.user, enrollment_id, DESK_ROLES)
    form = AssessForm(request.POST, currency=selectors.currency_of(enrollment.program.organization))

    def write(data: dict[str, Any]) -> str:
        done = services.assess_ability_to_pay(
            actor=actor(request),
            enrollment=enrollment,
            household_income=data["household_income"],
            household_size=data["household_size"],
        )
        return f"Band {done.band}: he pays {done.fee_percent} % of each fee."

    return _post_entry(request, enrollment.pk, form, write)


@login_required
@require_POST
def charge(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _, enrollment = access_fee_account(request.user, enrollment_id, MANAGER_ROLES)
    form = ChargeForm(request.POST, currency=selectors.currency_of(enrollment.program.organization))

    def write(data: dict[str, Any]) -> str:
        services.post_charge(
            actor=actor(request),
            enrollment=enrollment,
            charge_kind=ChargeKind(data["charge_kind"]),
            amount=data["amount"],
            on=data["on"],
            memo=data["memo"],
        )
        return "Charge posted."

    return _post_entry(request, enrollment.pk, form, write)


@login_required
@require_POST
def payment(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _, enrollment = access_fee_account(request.user, enrollment_id, DESK_ROLES)
    form = PaymentForm(
        request.POST, currency=selectors.currency_of(enrollment.program.organization)
    )

    def write(data: dict[str, Any]) -> str:
        entry = services.record_payment(
            actor=actor(request),
            enrollment=enrollment,
            amount=data["amount"],
            method=PaymentMethod(data["method"]),
            on=data["on"],
            reference=data["reference"],
            payer=data["payer"],
            memo=data["memo"],
        )
        return f"Payment recorded (receipt {entry.pk})."

    return _post_entry(request, enrollment.pk, form, write)


@login_required
@require_POST
def refund(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _, enrollment = access_fee_account(request.user, enrollment_id, MANAGER_ROLES)
    form = RefundForm(request.POST, currency=selectors.currency_of(enrollment.program.organization))

    def write(data: dict[str, Any]) -> str:
        services.record_refund(
            actor=actor(request),
            enrollment=enrollment,
            amount=data["amount"],
            method=PaymentMethod(data["method"]),
            on=data["on"],
            reference=data["reference"],
            memo=data["memo"],
        )
        return "Refund recorded."

    return _post_entry(request, enrollment.pk, form, write)


@login_required
@require_POST
def request_waiver(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _, enrollment = access_fee_account(request.user, enrollment_id, DESK_ROLES)
    form = WaiverRequestForm(
        request.POST, currency=selectors.currency_of(enrollment.program.organization)
    )

    def write(data: dict[str, Any]) -> str:
        services.request_waiver(
            actor=actor(request),
            enrollment=enrollment,
            amount=data["amount"],
            reason=data["reason"],
        )
        return "Waiver requested; another member of staff decides it."

    return _post_entry(request, enrollment.pk, form, write)


@login_required
@require_POST
def decide_waiver(request: HttpRequest, waiver_id: int) -> HttpResponse:
    _, waiver = access_waiver(request.user, waiver_id)
    record(request, enrollment_id=waiver.enrollment_id)
    form = WaiverDecisionForm(request.POST)

    def write(data: dict[str, Any]) -> str:
        services.decide_waiver(
            actor=actor(request),
            waiver=waiver,
            approve=data["decision"] == "approve",
            note=data["note"],
        )
        return "Waiver decided."

    return _post_entry(request, waiver.enrollment_id, form, write)


@login_required
@require_POST
def reverse(request: HttpRequest, entry_id: int) -> HttpResponse:
    _, entry = access_entry(request.user, entry_id, MANAGER_ROLES)
    record(request, enrollment_id=entry.enrollment_id)
    form = ReverseForm(request.POST)
    assert entry.enrollment_id is not None  # access_entry finds entries of visible men only

    def write(data: dict[str, Any]) -> str:
        services.reverse_entry(actor=actor(request), entry=entry, reason=data["reason"])
        return "Entry reversed by a correcting entry."

    return _post_entry(request, entry.enrollment_id, form, write)


# --- Documents ------------------------------------------------------------------------------


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def receipt(request: HttpRequest, entry_id: int) -> HttpResponse:
    _, entry = access_entry(request.user, entry_id)
    record(request, enrollment_id=entry.enrollment_id)
    if entry.kind != EntryKind.PAYMENT or entry.enrollment is None:
        raise Http404("Receipts are for payments.")
    organization = entry.enrollment.program.organization
    html = document_html(
        "fees/receipt_pdf.html",
        {
            "entry": entry,
            "received_by": selectors.staff_names([entry.username]).get(
                entry.username, entry.username
            ),
            "e": entry.enrollment,
            "amount": format_money(entry.amount, entry.currency),
            "letterhead": letterhead(organization),
            "issued_on": timezone.localdate(),
        },
    )
    return _pdf(html_to_pdf(html), f"receipt-{entry.pk}.pdf")


@login_required
@require_GET
def statement_pdf(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    _, enrollment = access_fee_account(request.user, enrollment_id)
    form = MonthForm(request.GET or {"month": timezone.localdate().strftime("%Y-%m")})
    if not form.is_valid():
        return HttpResponse(form_errors(form), status=400, content_type="text/plain; charset=utf-8")
    month = form.cleaned_data["month"]
    if month > timezone.localdate():
        return HttpResponse(
            "month: a statement covers a month that has begun.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = selectors.statement(enrollment, month_start=month)
    html = document_html(
        "fees/statement_pdf.html",
        {
            "s": data,
            "e": enrollment,
            "letterhead": letterhead(enrollment.program.organization),
            "issued_on": timezone.localdate(),
            "buckets": [(label, data.aging.amount(label)) for label, _, _ in AGING_BUCKETS],
        },
    )
    code = enrollment.participant.code
    return _pdf(html_to_pdf(html), f"statement-{code}-{month:%Y-%m}.pdf")


# --- Reports ----------------------------------------------------------------------------------


@login_required
@require_GET
def aging_report(request: HttpRequest) -> HttpResponse:
    membership = access_fee_reports(request.user)
    accounts = selectors.visible_enrollments(membership)
    chosen = request.GET.get("enrollment", "")
    if chosen:
        found = accounts.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if found is None:
            raise Http404("No such fee account.")
        return redirect("fees:account", enrollment_id=found.pk)
    today = timezone.localdate()
    rows = selectors.aging_rows(membership, as_of=today)
    for row in rows:
        record(request, enrollment_id=row.enrollment.pk)
    return render(
        request,
        "fees/aging.html",
        {
            "rows": rows,
            "totals": selectors.aging_totals(rows),
            "labels": [label for label, _, _ in AGING_BUCKETS],
            "currency": selectors.currency_of(membership.organization),
            "today": today,
            "may_manage": may_manage_fees(membership),
            "is_admin": membership.is_org_admin,
            "accounts": accounts,
        },
    )


@login_required
@require_GET
def payer_report(request: HttpRequest) -> HttpResponse:
    membership = access_fee_reports(request.user)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today.replace(day=1), "end": today})
    if not form.is_valid():
        return render(request, "fees/payers.html", {"form": form, "rows": None}, status=400)
    rows = selectors.payer_rows(
        membership, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
    )
    return render(
        request,
        "fees/payers.html",
        {
            "form": form,
            "rows": rows,
            "total": sum(r.total for r in rows),
            "currency": selectors.currency_of(membership.organization),
        },
    )


#: The accounting export's columns, documented in docs/fees.md.
CSV_HEADER = [
    "entry_id",
    "posted_on",
    "kind",
    "charge_kind",
    "amount",
    "signed_amount",
    "currency",
    "method",
    "reference",
    "payer",
    "reverses_entry_id",
    "participant_code",
    "program",
    "posted_by",
]


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    membership = access_fee_reports(request.user, MANAGER_ROLES)
    today = timezone.localdate()
    form = PeriodForm(request.GET or {"start": today.replace(day=1), "end": today})
    if not form.is_valid():
        return HttpResponse(form_errors(form), status=400, content_type="text/plain; charset=utf-8")
    rows = (
        selectors.visible_entries(membership)
        .filter(posted_on__gte=form.cleaned_data["start"], posted_on__lte=form.cleaned_data["end"])
        .select_related("enrollment__participant", "enrollment__program")
        .order_by("posted_on", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response["Content-Disposition"] = f'attachment; filename="fees-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    seen: set[int] = set()
    for row in rows:
        enrollment = row.enrollment
        assert enrollment is not None
        if enrollment.pk not in seen:
            record(request, enrollment_id=enrollment.pk)
            seen.add(enrollment.pk)
        writer.writerow(
            [
                row.pk,
                row.posted_on.isoformat(),
                row.kind,
                row.charge_kind,
                plain_amount(row.amount, row.currency),
                plain_amount(signed(selectors.as_entry(row)), row.currency),
                row.currency,
                row.method,
                _cell(row.reference),
                _cell(row.payer),
                row.reverses_id or "",
                _cell(enrollment.participant.code),
                _cell(enrollment.program.name),
                _cell(row.username),
            ]
        )
    return response


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Set-up -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def schedule_page(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_fee_program(request.user, program_id)
    currency = selectors.currency_of(program.organization)
    schedule = FeeSchedule.objects.filter(program=program).first()
    status = 200
    if request.method == "POST":
        form = ScheduleForm(request.POST, currency=currency)
        if form.is_valid():
            services.save_schedule(
                actor=actor(request),
                program=program,
                intake_fee=form.cleaned_data["intake_fee"],
                session_fee=form.cleaned_data["session_fee"],
                materials_fee=form.cleaned_data["materials_fee"],
                absences_charged=form.absence_rule(),
                charge_makeups=form.cleaned_data["charge_makeups"],
            )
            messages.success(request, "Fees saved.")
            return redirect("fees:schedule", program_id=program.pk)
        status = 400
    else:
        initial = {}
        if schedule is not None:
            initial = {
                "intake_fee": plain_amount(schedule.intake_fee, currency),
                "session_fee": plain_amount(schedule.session_fee, currency),
                "materials_fee": plain_amount(schedule.materials_fee, currency),
                "absences_charged": schedule.absences_charged,
                "charge_makeups": schedule.charge_makeups,
            }
        form = ScheduleForm(initial=initial, currency=currency)
    return render(
        request,
        "fees/schedule.html",
        {
            "program": program,
            "schedule": schedule,
            "form": form,
            "scale_form": ScaleForm(),
            "generate_form": GenerateForm(initial={"through": timezone.localdate()}),
            "bands": ScaleBand.objects.filter(schedule__program=program),
            "currency": currency,
        },
        status=status,
    )


@login_required
@require_POST
def load_scale(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_fee_program(request.user, program_id)
    form = ScaleForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise services.FeeError(form_errors(form))
        bands = services.load_scale(
            actor=actor(request), program=program, text=form.cleaned_data["file"]
        )
        messages.success(request, f"Sliding scale loaded: {len(bands)} rows.")
    except services.FeeError as exc:
        messages.error(request, f"Nothing was loaded. {exc}")
    return redirect("fees:schedule", program_id=program.pk)


@login_required
@require_POST
def generate(request: HttpRequest, program_id: int) -> HttpResponse:
    _, program = access_fee_program(request.user, program_id)
    form = GenerateForm(request.POST)
    try:
        if not form.is_valid():
            raise services.FeeError(form_errors(form))
        if form.cleaned_data["through"] > timezone.localdate():
            raise services.FeeError("through: sessions are charged once they are held.")
        count = services.generate_session_charges(
            actor=actor(request), program=program, through=form.cleaned_data["through"]
        )
        messages.success(request, f"{count} session charges posted.")
    except services.FeeError as exc:
        messages.error(request, str(exc))
    return redirect("fees:schedule", program_id=program.pk)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    membership = access_fee_reports(request.user, frozenset({Role.ORG_ADMIN}))
    organization = membership.organization
    status = 200
    if request.method == "POST":
        form = CurrencyForm(request.POST)
        try:
            if not form.is_valid():
                raise services.FeeError(form_errors(form))
            services.set_currency(
                actor=actor(request),
                organization=organization,
                currency=form.cleaned_data["currency"],
            )
            messages.success(request, "Currency saved.")
            return redirect("fees:settings")
        except services.FeeError as exc:
            messages.error(request, str(exc))
            status = 400
    else:
        form = CurrencyForm(initial={"currency": selectors.currency_of(organization)})
    policies = {
        p.agency_id: p for p in AgencyFeePolicy.objects.filter(agency__organization=organization)
    }
    return render(
        request,
        "fees/settings.html",
        {
            "form": form,
            "agencies": [
                (agency, policies.get(agency.pk))
                for agency in Agency.objects.filter(organization=organization)
            ],
            "warning": EVIDENCE_WARNING,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_policy(request: HttpRequest, agency_id: int) -> HttpResponse:
    _, agency = access_agency_policy(request.user, agency_id)
    policy = AgencyFeePolicy.objects.filter(agency=agency).first()
    status = 200
    if request.method == "POST":
        form = AgencyPolicyForm(request.POST)
        try:
            if not form.is_valid():
                raise services.FeeError(form_errors(form))
            services.set_agency_policy(actor=actor(request), agency=agency, **form.cleaned_data)
            messages.success(request, f"Fee policy for {agency.name} saved.")
            return redirect("fees:settings")
        except services.FeeError as exc:
            messages.error(request, str(exc))
            status = 400
    else:
        form = AgencyPolicyForm(
            initial={
                "unpaid_blocks_completion": policy.unpaid_blocks_completion if policy else False,
                "fees_in_court_documents": policy.fees_in_court_documents if policy else False,
                "standard": policy.standard if policy else "",
            }
        )
    return render(
        request,
        "fees/agency_policy.html",
        {"agency": agency, "form": form, "warning": EVIDENCE_WARNING},
        status=status,
    )
