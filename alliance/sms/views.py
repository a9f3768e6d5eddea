"""His texts page (agreement and what was sent), "text him a new link", and Twilio's webhooks.

The staff pages name the man in their URL, so the access log records each view. The webhooks
are open (Twilio calls them) and answer only a request that carries Twilio's signature for
this server's address; with any other backend they do not exist (404).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from alliance.http import actor
from alliance.identity.permissions import access_identity
from alliance.participants.models import Participant
from alliance.practice.permissions import access_enrollment
from alliance.practice.tokens import create_practice_link
from alliance.sms import messages as texts
from alliance.sms.models import TextKind, TextMessage
from alliance.sms.services import (
    TextRefused,
    consent_state,
    keyword,
    language_at,
    record_agreement,
    record_delivery,
    record_stop,
    send_text,
    start_by_reply,
    stop_by_reply,
)

log = logging.getLogger(__name__)

LOG_ROWS = 50


def status_callback_url(request: HttpRequest | None) -> str:
    """Where Twilio reports delivery, when Twilio sends ("" otherwise)."""
    if settings.SMS_BACKEND != "twilio":
        return ""
    path = reverse("sms-twilio-status")
    if settings.SMS_PUBLIC_URL:
        return settings.SMS_PUBLIC_URL.rstrip("/") + path
    return request.build_absolute_uri(path) if request is not None else ""


@login_required
@require_http_methods(["GET", "POST"])
def participant_texts(request: HttpRequest, participant_id: int) -> HttpResponse:
    """Whether he agreed to texts, recording that he agreed or asked to stop, and the log."""
    _, participant = access_identity(request.user, participant_id)
    if request.method == "POST":
        action = request.POST.get("action")
        now = timezone.now()
        if action == "agree":
            try:
                record_agreement(actor=actor(request), participant=participant, now=now)
            except TextRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Recorded. A text confirmed it and told him how to stop.")
        elif action == "stop":
            record_stop(actor=actor(request), participant=participant, now=now)
            messages.success(request, "Texts to him are stopped.")
        else:
            messages.error(request, "Choose whether he agreed to texts or asked to stop them.")
        return redirect("participant-texts", participant_id=participant.pk)
    consent, problem = consent_state(participant)
    sent = TextMessage.objects.filter(participant=participant)[:LOG_ROWS]
    return render(
        request,
        "sms/participant_texts.html",
        {
            "participant": participant,
            "consent": consent,
            "problem": problem,
            "sent": sent,
            "daily_limit": settings.SMS_DAILY_LIMIT,
        },
    )


@login_required
@require_POST
def text_link(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """A new phone link for him, sent by text (his previous link stops working)."""
    enrollment = access_enrollment(request.user, enrollment_id)
    participant: Participant = enrollment.participant
    _, problem = consent_state(participant)
    if problem:
        messages.error(request, f"No text sent: {problem}")
        return redirect("participant-practice", participant_id=participant.pk)
    now = timezone.now()
    _, token = create_practice_link(actor=actor(request), enrollment=enrollment, now=now)
    url = request.build_absolute_uri(reverse("practice-phone", kwargs={"token": token}))
    try:
        row = send_text(
            participant=participant,
            kind=TextKind.LINK,
            body=lambda: texts.link(url),
            now=now,
            status_callback=status_callback_url(request),
        )
    except TextRefused as exc:
        messages.error(
            request,
            f"No text sent: {exc} His previous link no longer works: create a link and give "
            "it to him.",
        )
    else:
        if row.status == TextMessage.Status.FAILED:
            messages.error(
                request,
                f"The text failed ({row.error}). His previous link no longer works: create a "
                "link and give it to him.",
            )
        else:
            messages.success(request, "A new link went to him by text.")
    return redirect("participant-practice", participant_id=participant.pk)


# --- Twilio's webhooks -------------------------------------------------------------------


def _signed_by_twilio(request: HttpRequest) -> bool:
    from twilio.request_validator import RequestValidator

    if settings.SMS_PUBLIC_URL:
        url = settings.SMS_PUBLIC_URL.rstrip("/") + request.get_full_path()
    else:
        url = request.build_absolute_uri()
    signature = request.headers.get("X-Twilio-Signature", "")
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    return bool(signature) and validator.validate(url, request.POST.dict(), signature)


def _twiml(message: str = "") -> HttpResponse:
    from twilio.twiml.messaging_response import MessagingResponse

    response = MessagingResponse()
    if message:
        response.message(message)
    return HttpResponse(str(response), content_type="application/xml")


def _refuse_unless_twilio(request: HttpRequest) -> HttpResponse | None:
    if settings.SMS_BACKEND != "twilio":
        return HttpResponse(status=404)
    if not _signed_by_twilio(request):
        log.warning("A webhook request without a valid Twilio signature was refused.")
        return HttpResponseForbidden("Bad signature.")
    return None


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    """A reply: STOP (and its synonyms) ends texts at that number; START resumes a STOP of his
    own; HELP gets the help text. Anything else is not read or kept (texts are one-way)."""
    refused = _refuse_unless_twilio(request)
    if refused is not None:
        return refused
    number = request.POST.get("From", "")
    word = keyword(request.POST.get("Body", ""))
    now = timezone.now()
    if word == "STOP":
        stop_by_reply(number=number, now=now)
        # Twilio answers STOP itself (and blocks further texts); a second answer would be noise.
        return _twiml()
    if word == "START":
        start_by_reply(number=number, now=now)
        return _twiml()
    if word == "HELP":
        with translation.override(language_at(number)):
            return _twiml(texts.help_text())
    return _twiml()


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    """A delivery receipt for one text."""
    refused = _refuse_unless_twilio(request)
    if refused is not None:
        return refused
    record_delivery(
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
        now=timezone.now(),
    )
    return HttpResponse(status=204)
