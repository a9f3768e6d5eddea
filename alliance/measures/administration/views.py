"""Staff pages for giving measures: the session's kiosk and facilitator ratings, and a man's
paper forms, one-time links and kiosk PIN."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from alliance.formtools import form_errors
from alliance.http import HtmxHttpRequest, actor
from alliance.languages import language_name, language_of_enrollment
from alliance.measures.administration.selectors import (
    RATING_SCALE,
    form_items,
    item_rows,
    session_measure_rows,
)
from alliance.measures.administration.services import (
    new_key,
    start_administration,
    submit_administration,
)
from alliance.measures.administration.tokens import (
    close_kiosk,
    create_participant_link,
    issue_kiosk_pin,
    open_kiosk,
)
from alliance.measures.errors import MeasureError
from alliance.measures.forms import LinkForm, PaperForm, answers_from, key_from
from alliance.measures.models import FACILITATOR_RATING, Channel, Occasion, Respondent
from alliance.measures.permissions import access_enrollment, access_kiosk
from alliance.measures.registry import administrable, definition_for, has_wording
from alliance.participants.services import program_today
from alliance.programs.permissions import access_session


@login_required
@require_POST
@never_cache
def open_kiosk_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_session(request.user, session_id)
    try:
        kiosk, token = open_kiosk(actor=actor(request), session=session)
    except MeasureError as exc:
        messages.error(request, str(exc))
        return redirect("session", session_id=session.pk)
    url = request.build_absolute_uri(reverse("kiosk", kwargs={"token": token}))
    return render(
        request, "measures/kiosk_opened.html", {"session": session, "kiosk": kiosk, "url": url}
    )


@login_required
@require_POST
def close_kiosk_view(request: HttpRequest, kiosk_id: int) -> HttpResponse:
    kiosk = access_kiosk(request.user, kiosk_id)
    close_kiosk(actor=actor(request), kiosk=kiosk)
    messages.success(request, "Kiosk closed. Men who attended without a check-out are flagged.")
    return redirect("session", session_id=kiosk.session_id)


@login_required
@require_POST
def rate_view(request: HtmxHttpRequest, session_id: int, enrollment_id: int) -> HttpResponse:
    """The facilitator's rating of one man at one session (new, or a correction)."""
    session = access_session(request.user, session_id)
    rows = {r.enrollment.pk: r for r in session_measure_rows(session)}
    row = rows.get(enrollment_id)
    if row is None:
        raise Http404("No such man at this session.")
    definition = definition_for(FACILITATOR_RATING)
    key = key_from(request.POST)
    error = ""
    try:
        administration = start_administration(
            actor=actor(request),
            enrollment=row.enrollment,
            definition=definition,
            respondent=Respondent.FACILITATOR,
            channel=Channel.STAFF,
            administered_on=session.held_on,
            idempotency_key=key,
            session=session,
            occasion=Occasion.SESSION,
        )
        submit_administration(
            actor=actor(request),
            administration=administration,
            answers=answers_from(request.POST),
            submission_key=key,
        )
    except MeasureError as exc:
        error = str(exc)
    if request.htmx:
        fresh = {r.enrollment.pk: r for r in session_measure_rows(session)}
        return render(
            request,
            "measures/_rating_row.html",
            {
                "row": fresh.get(enrollment_id, row),
                "session": session,
                "items": item_rows(definition),
                "key": new_key(),
                "scale": RATING_SCALE,
                "error": error,
            },
            status=400 if error else 200,
        )
    if error:
        messages.error(request, f"{row.enrollment.participant.code}: {error}")
    else:
        messages.success(request, f"Rating saved for {row.enrollment.participant.code}.")
    return redirect("session", session_id=session.pk)


# --- a man's measures: paper forms, links, PINs --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def paper_form(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    instrument_id = request.POST.get("instrument") or request.GET.get("instrument", "")
    if instrument_id not in {d.id for d in administrable()}:
        raise Http404("No such measure.")
    definition = definition_for(instrument_id)
    form = PaperForm(
        request.POST or None,
        initial={"administered_on": program_today(enrollment), "occasion": Occasion.OTHER},
    )
    posted = answers_from(request.POST)
    error, status = "", 200
    if request.method == "POST":
        if not form.is_valid():
            error, status = form_errors(form), 400
        else:
            key = key_from(request.POST)
            try:
                administration = start_administration(
                    actor=actor(request),
                    enrollment=enrollment,
                    definition=definition,
                    respondent=Respondent.PAPER,
                    channel=Channel.STAFF,
                    administered_on=form.cleaned_data["administered_on"],
                    idempotency_key=key,
                    occasion=Occasion(form.cleaned_data["occasion"]),
                )
                submit_administration(
                    actor=actor(request),
                    administration=administration,
                    answers=posted,
                    submission_key=key,
                )
            except MeasureError as exc:
                error, status = str(exc), 400
            else:
                messages.success(
                    request, f"{definition.title} recorded for {enrollment.participant.code}."
                )
                return redirect("participant", participant_id=enrollment.participant_id)
    return render(
        request,
        "measures/paper_form.html",
        {
            "enrollment": enrollment,
            "definition": definition,
            "form": form,
            "items": form_items(definition, {}, posted),
            "key": key_from(request.POST) or new_key(),
            "error": error,
        },
        status=status,
    )


@login_required
@require_POST
@never_cache
def create_link_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    form = LinkForm(request.POST)
    back = f"{reverse('participant', args=[enrollment.participant_id])}?tab=measures"
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    definition = definition_for(form.cleaned_data["instrument"])
    language = language_of_enrollment(enrollment)
    if not has_wording(definition, language):
        # His phone would show "Item 1 … Item N" (usability finding D2).
        messages.error(
            request,
            f"Phone link: {definition.title} cannot be sent. Alliance has no wording for its "
            f"questions in his language ({language_name(language)}). Enter his answers from a "
            "paper form instead.",
        )
        return redirect(back)
    try:
        link, token = create_participant_link(
            actor=actor(request),
            enrollment=enrollment,
            definition=definition,
            administered_on=program_today(enrollment),
            occasion=Occasion(form.cleaned_data["occasion"]),
        )
    except MeasureError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    url = request.build_absolute_uri(reverse("measures-link", kwargs={"token": token}))
    return render(
        request,
        "measures/link_created.html",
        {
            "enrollment": enrollment,
            "link": link,
            "url": url,
            "definition": definition_for(link.administration.instrument_id),
        },
    )


@login_required
@require_POST
@never_cache
def issue_pin_view(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, enrollment_id)
    pin = issue_kiosk_pin(actor=actor(request), enrollment=enrollment)
    return render(request, "measures/pin_issued.html", {"enrollment": enrollment, "pin": pin})
