"""The access log: read it for your scope, or export it. There is no view that changes it."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from alliance.audit.forms import AccessLogFilterForm
from alliance.audit.labels import action_label, page_label
from alliance.audit.permissions import access_access_log
from alliance.audit.selectors import Filters, events_for, staff_names
from alliance.formtools import form_errors

PAGE_SIZE = 100
CSV_HEADER = [
    "when",
    "user",
    "participant_code",
    "participant_id",
    "enrollment_id",
    "page",
    "method",
    "status",
    "outcome",
    "path",
]


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    membership = access_access_log(request.user)
    form = AccessLogFilterForm(request.GET or None, membership=membership)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "audit/access_log.html",
            {"form": form, "page": None, "query": "", "codes": form.codes(), "chosen": None},
            status=400,
        )
    filters = form.filters() if form.is_bound else Filters()
    query = request.GET.copy()
    query.pop("page", None)
    if form.is_bound and form.typed_code() and filters.participant is not None:
        # His code was typed: the address keeps his id instead (no code in a URL).
        query.pop("code", None)
        query["participant"] = str(filters.participant.pk)
        return redirect(f"{reverse('access-log')}?{query.urlencode()}")
    page = Paginator(events_for(membership, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    names = staff_names(events)
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "event": e,
                    "who": names.get(e.user_id, e.username),
                    "page": page_label(e.url_name),
                    "action": action_label(e.method),
                }
                for e in events
            ],
            "query": query.urlencode(),
            "codes": form.codes(),
            "chosen": filters.participant,
        },
    )


@login_required
@require_GET
def access_log_csv(request: HttpRequest) -> HttpResponse:
    membership = access_access_log(request.user)
    form = AccessLogFilterForm(request.GET or None, membership=membership)
    if form.is_bound and not form.is_valid():
        return HttpResponse(form_errors(form), status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters() if form.is_bound else Filters()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for event in events_for(membership, filters).iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                _cell(event.username),
                _cell(event.participant.code if event.participant else ""),
                event.participant_id or "",
                event.enrollment_id or "",
                event.url_name,
                event.method,
                event.status,
                event.outcome,
                _cell(event.path),
            ]
        )
    return response


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
