"""Pages a man opens on his phone: his homework and his accountability log.

No staff login, and nothing else reachable: every page is his own enrollment's, found through
his phone link (``/p/<token>/``) or through the practice session he gets by signing in with
his code and PIN (``/practice/``, see ``alliance.practice.pins``); :func:`access_his_practice`
is the one way in for both. An assignment id in the URL that is not his answers 404, like one
that does not exist.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from alliance.fees.selectors import phone_balance
from alliance.formtools import form_errors
from alliance.languages import language_of_enrollment, speak
from alliance.organizations.participant_tokens import TooManyGuesses, client_of
from alliance.participants.models import Enrollment
from alliance.participants.services import program_today
from alliance.practice import selectors
from alliance.practice.forms import AccountabilityForm, PracticeLogForm, SignInForm
from alliance.practice.library_wording import practice_in
from alliance.practice.models import PracticeLink, ReminderSettings, Via
from alliance.practice.pins import (
    MAX_LIFETIME,
    SignInRefused,
    end_practice_session,
    resolve_practice_session,
    sign_in_with_code,
)
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


#: The practice session's cookie: a random key, its SHA-256 in ``PracticeSession``.
PRACTICE_COOKIE = "alliance_practice"
SIGNED_OUT = gettext_noop("You are not signed in, or your sign-in has ended. Sign in again.")


def access_his_practice(request: HttpRequest, token: str | None) -> Enrollment | HttpResponse:
    """His enrollment, from his phone link's ``token`` or else from his practice session.

    Otherwise the page he gets instead: a link that does not exist (404), one that expired or
    was replaced (410), too many guesses from his address (429), no session (410).
    """
    if token is not None:
        link = _link(request, token)
        if isinstance(link, HttpResponse):
            return link
        enrollment = link.enrollment
    else:
        session = resolve_practice_session(
            request.COOKIES.get(PRACTICE_COOKIE, ""), now=timezone.now()
        )
        if session is None:
            return render(
                request,
                "practice/phone_closed.html",
                {"reason": gettext(SIGNED_OUT), "sign_in": True},
                status=410,
            )
        enrollment = session.enrollment
    speak(request, language_of_enrollment(enrollment))
    return enrollment


def _home(token: str | None) -> HttpResponse:
    return redirect("practice-phone", token=token) if token else redirect("practice-me")


@sensitive_post_parameters("code", "pin")  # hidden in error reports, like a password
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """His code and PIN; on success a practice session cookie and his practice page."""
    form = SignInForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            _, key = sign_in_with_code(
                code=form.cleaned_data["code"],
                pin=form.cleaned_data["pin"],
                client=client_of(request),
                now=timezone.now(),
            )
        except SignInRefused as exc:
            error = str(exc)
        except TooManyGuesses as exc:
            error, status = exc.reason, 429
        else:
            rotate_token(request)
            response = redirect("practice-me")
            response.set_cookie(
                PRACTICE_COOKIE,
                key,
                max_age=int(MAX_LIFETIME.total_seconds()),
                secure=django_settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    elif request.method == "POST":
        error = gettext("Type your practice code and your PIN.")
    return render(
        request, "practice/phone_sign_in.html", {"form": form, "error": error}, status=status
    )


@never_cache
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    end_practice_session(request.COOKIES.get(PRACTICE_COOKIE, ""), now=timezone.now())
    response = redirect("practice-sign-in")
    response.delete_cookie(PRACTICE_COOKIE, samesite="Lax")
    return response


@never_cache
def homework(request: HttpRequest, token: str | None = None) -> HttpResponse:
    enrollment = access_his_practice(request, token)
    if isinstance(enrollment, HttpResponse):
        return enrollment
    today = program_today(enrollment)
    settings = ReminderSettings.objects.filter(enrollment=enrollment).first()
    language = translation.get_language()
    items = [
        {
            "assignment": item.assignment,
            "done_count": item.done_count,
            "title": practice_in(item.assignment.practice, language).title,
        }
        for item in selectors.due_homework(enrollment, today=today)
    ]
    return render(
        request,
        "practice/phone_home.html",
        {
            "token": token,
            "items": items,
            "reminders_on": settings is not None and settings.email and not settings.opted_out,
            # His fee balance only (never the entries or staff notes), if any was posted.
            "fees": phone_balance(enrollment),
        },
    )


@never_cache
@require_POST
def reminders(request: HttpRequest, token: str | None = None) -> HttpResponse:
    """His own switch for email reminders."""
    enrollment = access_his_practice(request, token)
    if isinstance(enrollment, HttpResponse):
        return enrollment
    set_reminders(enrollment=enrollment, email=None, opted_out=request.POST.get("want") != "yes")
    return _home(token)


@never_cache
@require_http_methods(["GET", "POST"])
def do_practice(request: HttpRequest, assignment_id: int, token: str | None = None) -> HttpResponse:
    enrollment = access_his_practice(request, token)
    if isinstance(enrollment, HttpResponse):
        return enrollment
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
                    via=Via.LINK if token else Via.SIGN_IN,
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
            "practice": practice_in(assignment.practice, translation.get_language()),
            "key": request.POST.get("key") or new_key(),
            "error": error,
            "scale": range(11),
        },
        status=400 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accountability(request: HttpRequest, token: str | None = None) -> HttpResponse:
    enrollment = access_his_practice(request, token)
    if isinstance(enrollment, HttpResponse):
        return enrollment
    error = ""
    if request.method == "POST":
        form = AccountabilityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                write_accountability_log(
                    enrollment=enrollment,
                    written_on=program_today(enrollment),
                    texts={k: data[k] for k in ACCOUNT_FIELDS},
                    minimising=data["minimising"],
                    denying=data["denying"],
                    blaming=data["blaming"],
                    via=Via.LINK if token else Via.SIGN_IN,
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
