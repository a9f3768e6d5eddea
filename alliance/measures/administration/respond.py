"""Pages a man opens himself: his one-time link, and the group-room kiosk.

None of these pages needs a login, and none links anywhere else: a link reaches one
administration; a kiosk shows the session's roster by initials only, and after his PIN only
his own check-out. No page ever shows another man's answers or names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from alliance.languages import language_of_enrollment, speak
from alliance.measures.administration.selectors import form_items, kiosk_roster
from alliance.measures.administration.services import (
    NO_ANSWER,
    AlreadyComplete,
    new_key,
    save_answers,
    submit_administration,
)
from alliance.measures.administration.tokens import (
    KIOSK_MAX_FAILURES,
    KioskLocked,
    TokenUnavailable,
    WrongPin,
    guarded,
    kiosk_sign_in,
    recent_failures,
    resolve_kiosk,
    resolve_link,
)
from alliance.measures.errors import MeasureError
from alliance.measures.forms import PinForm, answers_from, key_from
from alliance.measures.models import Administration, Kiosk
from alliance.measures.registry import DEFINITION_LANGUAGE, definition_for, title_in
from alliance.participants.models import Enrollment

#: A man signed in at the kiosk and then idle this long must pick himself again.
KIOSK_IDLE = dt.timedelta(minutes=15)
SESSION_KEY = "measures_kiosk"
DONE_KEY = "measures_kiosk_done"


def _for_him(exc: MeasureError) -> str:
    """A refused form's reason in his language: checks written in English by the scoring code
    (which has no translations) are introduced by a sentence he can read."""
    message = str(exc)
    if translation.get_language() == DEFINITION_LANGUAGE or message == gettext(NO_ANSWER):
        return message
    return gettext("Some answers need a look: %(details)s") % {"details": message}


def _closed(request: HttpRequest, reason: str, status: int = 410) -> HttpResponse:
    return render(request, "measures/respond_closed.html", {"reason": reason}, status=status)


def _form_page(
    request: HttpRequest,
    administration: Administration,
    *,
    heading: str,
    save_url: str,
    posted: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
    back_url: str = "",
) -> HttpResponse:
    definition = definition_for(administration.instrument_id, administration.instrument_version)
    saved: dict[str, Any] = {
        r.item_id: (r.value if r.value is not None else r.text)
        for r in administration.responses.all()
    }
    language = translation.get_language() or DEFINITION_LANGUAGE
    items = form_items(definition, saved, posted or {}, language)
    return render(
        request,
        "measures/respond.html",
        {
            "heading": heading,
            "definition": definition,
            "title": title_in(definition, language),
            "fallback": any(item.fallback for item in items),
            "items": items,
            "key": new_key(),
            "save_url": save_url,
            "error": error,
            "back_url": back_url,
        },
        status=status,
    )


# --- one-time link -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def link_form(request: HttpRequest, token: str) -> HttpResponse:
    key = key_from(request.POST) if request.method == "POST" else None
    try:
        link = guarded(request, lambda: resolve_link(token, now=timezone.now(), submission_key=key))
    except TokenUnavailable as exc:
        return _closed(request, exc.reason, exc.status)
    administration = link.administration
    speak(request, language_of_enrollment(administration.enrollment))
    save_url = request.path.rstrip("/") + "/save/"
    if request.method == "POST":
        posted = answers_from(request.POST)
        try:
            submit_administration(
                actor=None, administration=administration, answers=posted, submission_key=key or ""
            )
        except AlreadyComplete as exc:
            return _closed(request, str(exc))
        except MeasureError as exc:
            return _form_page(
                request,
                administration,
                heading=gettext("Your answers"),
                save_url=save_url,
                posted=posted,
                error=_for_him(exc),
                status=400,
            )
        return render(request, "measures/respond_thanks.html", {"back_url": ""})
    return _form_page(request, administration, heading=gettext("Your answers"), save_url=save_url)


@never_cache
@require_POST
def link_save(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = guarded(request, lambda: resolve_link(token, now=timezone.now()))
    except TokenUnavailable as exc:
        return _closed(request, exc.reason, exc.status)
    speak(request, language_of_enrollment(link.administration.enrollment))
    return _save(request, link.administration)


def _save(request: HttpRequest, administration: Administration) -> HttpResponse:
    try:
        changed = save_answers(
            actor=None, administration=administration, answers=answers_from(request.POST)
        )
    except AlreadyComplete as exc:
        return _closed(request, str(exc))
    except MeasureError as exc:
        return render(request, "measures/_save_status.html", {"error": str(exc)}, status=400)
    return render(request, "measures/_save_status.html", {"changed": changed})


# --- kiosk ---------------------------------------------------------------------------------


def _kiosk(request: HttpRequest, token: str) -> Kiosk:
    return guarded(request, lambda: resolve_kiosk(token, now=timezone.now()))


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_home(request: HttpRequest, token: str) -> HttpResponse:
    """The roster by initials. A signed-in staff browser is signed out first, so that a
    tablet handed to the group can never reach a staff page."""
    try:
        kiosk = _kiosk(request, token)
    except TokenUnavailable as exc:
        return _closed(request, exc.reason, exc.status)
    if request.user.is_authenticated:
        if request.method == "POST":
            logout(request)
            return redirect("kiosk", token=token)
        return render(request, "measures/kiosk_staff.html", {})
    request.session.pop(SESSION_KEY, None)  # back at the roster: nobody is signed in
    return render(
        request,
        "measures/kiosk_roster.html",
        {"roster": kiosk_roster(kiosk.session), "token": token},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_pin(request: HttpRequest, token: str, enrollment_id: int) -> HttpResponse:
    try:
        kiosk = _kiosk(request, token)
    except TokenUnavailable as exc:
        return _closed(request, exc.reason, exc.status)
    if request.user.is_authenticated:
        return redirect("kiosk", token=token)
    roster = dict(kiosk_roster(kiosk.session))
    if enrollment_id not in roster:
        raise Http404("No such person at this session.")
    form = PinForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        enrollment = Enrollment.objects.get(pk=enrollment_id)
        try:
            sign_in = kiosk_sign_in(
                kiosk=kiosk, enrollment=enrollment, pin=form.cleaned_data["pin"], now=now
            )
        except KioskLocked as exc:
            error, status = str(exc), 429
        except WrongPin as exc:
            left = KIOSK_MAX_FAILURES - recent_failures(kiosk, now=now, enrollment=enrollment)
            tries = ngettext("%(n)d try left.", "%(n)d tries left.", max(left, 0)) % {
                "n": max(left, 0)
            }
            error, status = f"{exc} ({tries})", 400
        else:
            if sign_in.already_done:
                return render(
                    request,
                    "measures/respond_thanks.html",
                    {"back_url": _roster_url(token), "already": True},
                )
            request.session[SESSION_KEY] = {
                "kiosk": kiosk.pk,
                "administration": sign_in.administration.pk,
                "since": now.timestamp(),
            }
            return redirect("kiosk-checkout", token=token)
    elif request.method == "POST":
        error, status = gettext("Enter the four digits of your PIN."), 400
    return render(
        request,
        "measures/kiosk_pin.html",
        {"initials": roster[enrollment_id], "form": form, "error": error, "token": token},
        status=status,
    )


def _roster_url(token: str) -> str:
    return reverse("kiosk", kwargs={"token": token})


def _signed_in(request: HttpRequest, token: str) -> Administration | None:
    """The administration of the man signed in on this tablet for this kiosk, if any."""
    kiosk = _kiosk(request, token)
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("kiosk") != kiosk.pk:
        return None
    if timezone.now().timestamp() - float(state.get("since", 0)) > KIOSK_IDLE.total_seconds():
        request.session.pop(SESSION_KEY, None)
        return None
    administration_id = state.get("administration")
    if not isinstance(administration_id, int):
        return None
    return Administration.objects.filter(pk=administration_id, session_id=kiosk.session_id).first()


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_checkout(request: HttpRequest, token: str) -> HttpResponse:
    try:
        administration = _signed_in(request, token)
    except TokenUnavailable as exc:
        return _closed(request, exc.reason, exc.status)
    back = _roster_url(token)
    if administration is not None:
        speak(request, language_of_enrollment(administration.enrollment))
    if administration is None:
        retry = request.method == "POST" and key_from(request.POST)
        if retry and request.session.get(DONE_KEY) == retry:
            # A double tap or a retry after a dropped connection: it was already received.
            return render(request, "measures/respond_thanks.html", {"back_url": back})
        return redirect(back)
    save_url = request.path.rstrip("/") + "/save/"
    heading = gettext("Check-out, %(day)s") % {
        "day": date_format(administration.administered_on, "l j F")
    }
    if request.method == "POST":
        posted = answers_from(request.POST)
        try:
            submit_administration(
                actor=None,
                administration=administration,
                answers=posted,
                submission_key=key_from(request.POST),
            )
        except AlreadyComplete:
            request.session.pop(SESSION_KEY, None)
            return render(
                request, "measures/respond_thanks.html", {"back_url": back, "already": True}
            )
        except MeasureError as exc:
            return _form_page(
                request,
                administration,
                heading=heading,
                save_url=save_url,
                posted=posted,
                error=_for_him(exc),
                status=400,
                back_url=back,
            )
        request.session.pop(SESSION_KEY, None)
        request.session[DONE_KEY] = key_from(request.POST)
        return render(request, "measures/respond_thanks.html", {"back_url": back})
    if administration.is_complete:
        request.session.pop(SESSION_KEY, None)
        return redirect(back)
    return _form_page(request, administration, heading=heading, save_url=save_url, back_url=back)


@never_cache
@require_POST
def kiosk_save(request: HttpRequest, token: str) -> HttpResponse:
    try:
        administration = _signed_in(request, token)
    except TokenUnavailable as exc:
        return _closed(request, exc.reason, exc.status)
    if administration is not None:
        speak(request, language_of_enrollment(administration.enrollment))
    if administration is None:
        return render(
            request,
            "measures/_save_status.html",
            {"error": "You were signed out. Pick your initials again; your answers are kept."},
            status=403,
        )
    state = request.session.get(SESSION_KEY)
    if isinstance(state, dict):  # activity keeps him signed in
        state["since"] = timezone.now().timestamp()
        request.session[SESSION_KEY] = state
    return _save(request, administration)
