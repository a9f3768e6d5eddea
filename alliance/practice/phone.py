"""Pages a man opens on his phone from his link: his homework and his accountability log.

No login, and nothing else reachable: every page is his own enrollment's, found through the
link. An assignment id in the URL that is not his answers 404, like one that does not exist.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from alliance.formtools import form_errors
from alliance.organizations.participant_tokens import client_of
from alliance.participants.services import program_today
from alliance.practice import selectors
from alliance.practice.forms import AccountabilityForm, PracticeLogForm
from alliance.practice.models import PracticeLink, ReminderSettings, Via
from alliance.practice.reminders import set_reminders
from alliance.practice.services import (
    ACCOUNT_FIELDS,
    RATINGS,
    PracticeError,
    log_practice,
    new_key,
    write_accountability_log,
)
from alliance.practice.tokens import LinkUnavailable, TooManyAttempts, resolve_practice_link


def _link(request: HttpRequest, token: str) -> PracticeLink | HttpResponse:
    try:
        return resolve_practice_link(token, client=client_of(request), now=timezone.now())
    except LinkUnavailable as exc:
        return render(request, "practice/phone_closed.html", {"reason": exc.reason}, status=410)
    except TooManyAttempts as exc:
        return render(request, "practice/phone_closed.html", {"reason": str(exc)}, status=429)


@never_cache
def homework(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(request, token)
    if isinstance(link, HttpResponse):
        return link
    today = program_today(link.enrollment)
    settings = ReminderSettings.objects.filter(enrollment=link.enrollment).first()
    return render(
        request,
        "practice/phone_home.html",
        {
            "token": token,
            "items": selectors.due_homework(link.enrollment, today=today),
            "reminders_on": settings is not None and settings.email and not settings.opted_out,
        },
    )


@never_cache
@require_POST
def reminders(request: HttpRequest, token: str) -> HttpResponse:
    """His own switch for email reminders."""
    link = _link(request, token)
    if isinstance(link, HttpResponse):
        return link
    set_reminders(
        enrollment=link.enrollment, email=None, opted_out=request.POST.get("want") != "yes"
    )
    return redirect("practice-phone", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def do_practice(request: HttpRequest, token: str, assignment_id: int) -> HttpResponse:
    link = _link(request, token)
    if isinstance(link, HttpResponse):
        return link
    enrollment = link.enrollment
    assignment = selectors.assignments_for(enrollment).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such homework.")
    error = ""
    if request.method == "POST":
        form = PracticeLogForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                log_practice(
                    enrollment=enrollment,
                    practice=assignment.practice,
                    assignment=assignment,
                    logged_on=program_today(enrollment),
                    done=data["done"],
                    minutes=data["minutes"] or 0,
                    ratings={name: data[name] for name in RATINGS},
                    note=data["note"],
                    via=Via.LINK,
                    idempotency_key=data["key"],
                )
            except PracticeError as exc:
                error = str(exc)
            else:
                return render(request, "practice/phone_thanks.html", {"token": token})
        else:
            error = form_errors(form)
    return render(
        request,
        "practice/phone_practice.html",
        {
            "token": token,
            "assignment": assignment,
            "practice": assignment.practice,
            "key": request.POST.get("key") or new_key(),
            "error": error,
            "scale": range(11),
        },
        status=400 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accountability(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(request, token)
    if isinstance(link, HttpResponse):
        return link
    error = ""
    if request.method == "POST":
        form = AccountabilityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                write_accountability_log(
                    enrollment=link.enrollment,
                    written_on=program_today(link.enrollment),
                    texts={k: data[k] for k in ACCOUNT_FIELDS},
                    minimising=data["minimising"],
                    denying=data["denying"],
                    blaming=data["blaming"],
                    via=Via.LINK,
                    idempotency_key=data["key"],
                )
            except PracticeError as exc:
                error = str(exc)
            else:
                return render(request, "practice/phone_thanks.html", {"token": token})
        else:
            error = form_errors(form)
    return render(
        request,
        "practice/phone_account.html",
        {"token": token, "key": request.POST.get("key") or new_key(), "error": error},
        status=400 if error else 200,
    )
