"""Text messages: his agreement, the daily limit, what a text may say, STOP through Twilio's
signed webhook, delivery receipts, reminders, links and session changes."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

from alliance.identity.models import ParticipantIdentity
from alliance.identity.services import IdentityDetails, save_identity
from alliance.identity.validation import can_receive_texts, e164, his_phone_problem
from alliance.practice.models import Assignment, Practice, ReminderSettings
from alliance.programs.setup_services import cancel_session, move_session, restore_session
from alliance.sms import messages as texts
from alliance.sms.backends import SmsSendError, Text
from alliance.sms.backends.twilio import TwilioBackend
from alliance.sms.models import TextConsent, TextKind, TextMessage
from alliance.sms.services import (
    TextRefused,
    keyword,
    phone_digest,
    record_agreement,
    send_text,
)
from tests.factories import make_sessions
from tests.web.helpers import text

#: A number libphonenumber treats as assigned (Ottawa; 555-01xx is the fiction range).
NUMBER = "+1 613 555 0142"
E164 = "+16135550142"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


def give_phone(world, enrollment, number: str = NUMBER) -> None:
    save_identity(
        actor=world.ines,
        participant=enrollment.participant,
        details=IdentityDetails(legal_first_name="Sam", legal_last_name="Example", phone=number),
        today=world.today,
    )


def agreed(world, enrollment, number: str = NUMBER) -> TextConsent:
    give_phone(world, enrollment, number)
    return record_agreement(
        actor=world.ines, participant=enrollment.participant, now=timezone.now()
    )


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("(613) 555-0142", "+16135550142"),
        ("613.555.0142", "+16135550142"),
        ("+1 613 555 0142", "+16135550142"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+52 55 1234 5678", "+525512345678"),
    ],
)
def test_his_number_is_stored_in_e164(given, stored, settings):
    settings.ALLIANCE_PHONE_REGION = "US"
    assert his_phone_problem(given) == ""
    assert e164(given) == stored


def test_a_number_without_country_code_uses_the_programs_region(settings):
    settings.ALLIANCE_PHONE_REGION = "FR"
    assert e164("06 12 34 56 78") == "+33612345678"


@pytest.mark.parametrize("given", ["call me", "12", "+1 613 555", "555"])
def test_what_is_not_a_number_is_refused_with_a_message_that_helps(given):
    assert "area code" in his_phone_problem(given)


def test_only_an_assigned_number_can_receive_texts():
    assert can_receive_texts("+16135550142")
    assert not can_receive_texts("+15550104242")  # right length, area code 555 is not assigned
    assert not can_receive_texts("6135550142")  # not E.164


def test_the_vault_keeps_e164_and_shows_it_as_people_write_it(world, as_user):
    give_phone(world, world.good, "(613) 555-0142")
    identity = ParticipantIdentity.objects.get(participant=world.good.participant)
    assert identity.phone == E164
    body = text(
        as_user(world.ines).get(reverse("participant-identity", args=[identity.participant_id]))
    )
    assert "+1 613-555-0142" in body


# --- agreement, limit, content ----------------------------------------------------------


def test_agreeing_records_who_and_when_and_a_text_confirms_how_to_stop(world, outbox):
    consent = agreed(world, world.good)
    assert consent.status == TextConsent.Status.AGREED
    assert consent.recorded_by_id == world.ines.pk
    assert consent.phone_digest == phone_digest(E164)
    assert [t.to for t in outbox] == [E164]
    assert "Reply STOP" in outbox[0].body
    row = TextMessage.objects.get()
    assert (row.kind, row.status) == (TextKind.CONFIRMATION, TextMessage.Status.SENT)


def test_no_agreement_without_a_number_that_can_receive_texts(world, outbox):
    with pytest.raises(TextRefused, match="Add his phone number"):
        record_agreement(actor=world.ines, participant=world.good.participant, now=timezone.now())
    give_phone(world, world.good, "+1 555 010 4242")
    with pytest.raises(TextRefused, match="cannot receive texts"):
        record_agreement(actor=world.ines, participant=world.good.participant, now=timezone.now())
    assert outbox == []
    assert not TextConsent.objects.exists()


def test_a_man_who_did_not_agree_gets_no_text(world, outbox):
    give_phone(world, world.good)
    with pytest.raises(TextRefused, match="not agreed"):
        send_text(
            participant=world.good.participant,
            kind=TextKind.REMINDER,
            body=texts.reminder,
            now=timezone.now(),
        )
    assert outbox == []


def test_a_changed_number_needs_his_agreement_again(world, outbox):
    agreed(world, world.good)
    give_phone(world, world.good, "+1 613 555 0199")
    with pytest.raises(TextRefused, match="number changed"):
        send_text(
            participant=world.good.participant,
            kind=TextKind.REMINDER,
            body=texts.reminder,
            now=timezone.now(),
        )
    assert len(outbox) == 1  # the confirmation only


def test_no_more_than_the_daily_limit_in_his_day(world, outbox, settings, frozen_clock):
    settings.SMS_DAILY_LIMIT = 2
    agreed(world, world.good)  # 1: the confirmation
    man = world.good.participant
    send_text(participant=man, kind=TextKind.REMINDER, body=texts.reminder, now=timezone.now())
    with pytest.raises(TextRefused, match="most a day"):
        send_text(participant=man, kind=TextKind.REMINDER, body=texts.reminder, now=timezone.now())
    # The next day in the organization's time zone the count starts again.
    frozen_clock.shift(dt.timedelta(days=1))
    send_text(participant=man, kind=TextKind.REMINDER, body=texts.reminder, now=timezone.now())
    assert len(outbox) == 3


FORBIDDEN = {
    # English, Spanish, French: nothing about what the group is for.
    "en": (
        "violence", "abuse", "partner", "court", "probation", "batterer", "respectful",
        "program", "homework", "score", "check-out", "accountability",
    ),
    "es": (
        "violencia", "abuso", "pareja", "tribunal", "libertad condicional", "programa",
        "tarea", "responsabilidad", "maltrat",
    ),
    "fr-ca": (
        "violence", "abus", "partenaire", "tribunal", "probation", "programme", "devoir",
        "responsabilisation", "agresseur",
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(FORBIDDEN))
def test_every_text_is_short_and_says_nothing_about_the_program(language):
    when = dt.datetime(2026, 12, 7, 18, 30, tzinfo=dt.UTC)
    with translation.override(language):
        bodies = [
            texts.confirmation(),
            texts.reminder(),
            texts.help_text(),
            texts.link("https://alliance.example.org/p/" + "x" * 43 + "/"),
            texts.session_cancelled(when),
            texts.session_restored(when),
            texts.session_moved(when, when + dt.timedelta(days=1)),
        ]
    for body in bodies:
        assert len(body) <= 320, body
        for word in FORBIDDEN[language]:
            assert word not in body.lower(), (word, body)


def test_a_spanish_speaker_gets_his_texts_in_spanish(world, outbox):
    participant = world.good.participant
    participant.primary_language = "Español"
    participant.save(update_fields=["primary_language"])
    agreed(world, world.good)
    assert outbox[0].body.startswith("Aceptaste recibir mensajes de tu grupo")
    assert outbox[0].body.endswith("Responde STOP para dejar de recibir estos mensajes.")


def test_a_provider_failure_is_logged_without_the_number_and_shown_as_failed(world, outbox):
    from alliance.sms.backends import locmem

    agreed(world, world.good)
    locmem.failing_numbers.add(E164)
    row = send_text(
        participant=world.good.participant,
        kind=TextKind.REMINDER,
        body=texts.reminder,
        now=timezone.now(),
    )
    assert row.status == TextMessage.Status.FAILED
    assert "refused" in row.error
    assert E164 not in row.error


# --- the staff page -----------------------------------------------------------------------


def test_intake_records_his_agreement_on_his_texts_page(world, as_user, outbox):
    give_phone(world, world.good)
    url = reverse("participant-texts", args=[world.good.participant_id])
    ines = as_user(world.ines)
    assert "has not agreed" in text(ines.get(url))
    ines.post(url, {"action": "agree"})
    body = text(ines.get(url))
    assert "Texts can go to him." in body
    assert "Confirmation that he agreed" in body
    ines.post(url, {"action": "stop"})
    assert "He stopped texts." in text(ines.get(url))
    assert TextConsent.objects.get().stopped_via == TextConsent.StoppedVia.STAFF


def test_a_facilitator_texts_him_a_new_link_without_seeing_his_number(world, as_user, outbox):
    agreed(world, world.good)
    alice = as_user(world.alice)
    response = alice.post(reverse("text-link", args=[world.good.pk]))
    assert response.status_code == 302
    assert len(outbox) == 2
    assert "/p/" in outbox[1].body
    assert "Your link for this week" in outbox[1].body
    page = text(alice.get(response["Location"]))
    assert "A new link went to him by text." in page
    assert "613" not in page


def test_no_link_is_made_when_no_text_can_go(world, as_user, outbox):
    from alliance.practice.models import PracticeLink

    alice = as_user(world.alice)
    response = alice.post(reverse("text-link", args=[world.good.pk]))
    assert "not agreed" in text(alice.get(response["Location"]))
    assert not PracticeLink.objects.filter(enrollment=world.good).exists()


# --- Twilio: the backend through its library, and its signed webhooks ---------------------


class FakeTwilio(TwilioHttpClient):
    """Twilio's own HTTP client class with the network replaced: records each request."""

    def __init__(self, status: int = 201, body: dict | None = None) -> None:
        super().__init__()
        self.requests: list[dict] = []
        self.status = status
        self.body = body or {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}

    def request(self, method, url, params=None, data=None, headers=None, auth=None, **kwargs):
        self.requests.append({"method": method, "url": url, "data": data})
        return Response(self.status, json.dumps(self.body))


def test_the_twilio_backend_sends_through_twilios_library():
    http = FakeTwilio()
    backend = TwilioBackend(
        account_sid="AC" + "0" * 32, auth_token=AUTH_TOKEN, sender="+16135550100", http_client=http
    )
    sid = backend.send(Text(to=E164, body="hello", status_callback="https://a.example/sms/"))
    assert sid == "SM0123456789abcdef0123456789abcdef"
    request = http.requests[0]
    assert request["method"] == "POST"
    assert request["url"].endswith("/Accounts/AC" + "0" * 32 + "/Messages.json")
    assert request["data"]["To"] == E164
    assert request["data"]["From"] == "+16135550100"
    assert request["data"]["StatusCallback"] == "https://a.example/sms/"


def test_a_twilio_refusal_names_its_code_never_the_number():
    http = FakeTwilio(
        400, {"code": 21610, "message": f"Attempt to send to unsubscribed {E164}", "status": 400}
    )
    backend = TwilioBackend(
        account_sid="AC" + "0" * 32, auth_token=AUTH_TOKEN, sender="MG" + "1" * 32, http_client=http
    )
    with pytest.raises(SmsSendError) as caught:
        backend.send(Text(to=E164, body="hello"))
    assert "21610" in str(caught.value)
    assert E164 not in str(caught.value)
    assert http.requests[0]["data"]["MessagingServiceSid"] == "MG" + "1" * 32


def signed_post(client, name: str, params: dict, *, token: str = AUTH_TOKEN):
    url = "http://testserver" + reverse(name)
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(
        reverse(name),
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )


@pytest.fixture
def twilio_settings(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SMS_PUBLIC_URL = ""
    return settings


def test_stop_through_the_signed_webhook_ends_his_texts(world, client, outbox, twilio_settings):
    twilio_settings.SMS_BACKEND = "locmem"
    agreed(world, world.good)
    twilio_settings.SMS_BACKEND = "twilio"
    response = signed_post(client, "sms-twilio-inbound", {"From": E164, "Body": "Stop"})
    assert response.status_code == 200
    consent = TextConsent.objects.get()
    assert consent.status == TextConsent.Status.STOPPED
    assert consent.stopped_via == TextConsent.StoppedVia.REPLY
    # START after his own STOP resumes them.
    signed_post(client, "sms-twilio-inbound", {"From": E164, "Body": "START"})
    assert TextConsent.objects.get().status == TextConsent.Status.AGREED


def test_the_webhook_refuses_a_bad_signature(world, client, outbox, twilio_settings):
    twilio_settings.SMS_BACKEND = "locmem"
    agreed(world, world.good)
    twilio_settings.SMS_BACKEND = "twilio"
    response = signed_post(
        client, "sms-twilio-inbound", {"From": E164, "Body": "STOP"}, token="another-token"
    )
    assert response.status_code == 403
    unsigned = client.post(reverse("sms-twilio-inbound"), {"From": E164, "Body": "STOP"})
    assert unsigned.status_code == 403
    assert TextConsent.objects.get().status == TextConsent.Status.AGREED


def test_the_webhooks_do_not_exist_without_twilio(client):
    assert client.post(reverse("sms-twilio-inbound"), {"Body": "STOP"}).status_code == 404
    assert client.post(reverse("sms-twilio-status"), {}).status_code == 404


def test_help_gets_the_help_text(db, client, twilio_settings):
    response = signed_post(client, "sms-twilio-inbound", {"From": E164, "Body": "help"})
    assert texts.help_text() in response.content.decode()


def test_a_delivery_receipt_updates_the_texts_status(world, client, outbox, twilio_settings):
    twilio_settings.SMS_BACKEND = "locmem"
    agreed(world, world.good)
    row = TextMessage.objects.get()
    twilio_settings.SMS_BACKEND = "twilio"
    params = {"MessageSid": row.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert signed_post(client, "sms-twilio-status", params).status_code == 204
    row.refresh_from_db()
    assert row.status == TextMessage.Status.UNDELIVERED
    assert row.error == "provider error 30003"


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("STOP", "STOP"),
        ("stop.", "STOP"),
        (" Arrêt ", "STOP"),
        ("alto", "STOP"),
        ("start", "START"),
        ("HELP me", "HELP"),
        ("see you monday", ""),
    ],
)
def test_reply_keywords(body, word):
    assert keyword(body) == word


# --- reminders and session changes ------------------------------------------------------


def _homework(world) -> Assignment:
    return Assignment.objects.create(
        practice=Practice.objects.get(slug="partner-experience"),
        group=world.group_a,
        due_on=world.today + dt.timedelta(days=1),
    )


def test_reminders_go_by_text_to_men_who_agreed_and_by_email_to_the_rest(world, outbox):
    _homework(world)
    agreed(world, world.good)
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    ReminderSettings.objects.create(enrollment=world.at_limit, email="man102@example.org")
    call_command("send_reminders")
    assert [t.body for t in outbox][1:] == [texts.reminder()]
    assert [m.to for m in mail.outbox] == [["man102@example.org"]]
    call_command("send_reminders")  # once a day, either way
    assert len(outbox) == 2
    assert len(mail.outbox) == 1


def test_a_man_who_turned_reminders_off_gets_no_reminder_text(world, outbox):
    _homework(world)
    agreed(world, world.good)
    ReminderSettings.objects.create(enrollment=world.good, email="", opted_out=True)
    call_command("send_reminders")
    assert len(outbox) == 1  # the confirmation only


def _coming_session(world):
    return make_sessions(world.group_a, [world.today + dt.timedelta(days=14)])[0]


def test_a_cancelled_session_texts_the_men_who_agreed(
    world, outbox, django_capture_on_commit_callbacks
):
    agreed(world, world.good)
    session = _coming_session(world)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(actor=world.alice, session=session, reason="Facilitator ill")
    assert len(outbox) == 2
    assert "is cancelled" in outbox[1].body
    assert "Facilitator ill" not in outbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        restore_session(actor=world.alice, session=session)
    assert "is back on" in outbox[2].body


def test_a_moved_session_says_from_when_to_when(world, outbox, django_capture_on_commit_callbacks):
    agreed(world, world.good)
    session = _coming_session(world)
    with django_capture_on_commit_callbacks(execute=True):
        move_session(
            actor=world.alice,
            session=session,
            held_on=session.held_on + dt.timedelta(days=1),
            starts_at=dt.time(19, 0),
        )
    assert "moves to" in outbox[1].body
    assert "19:00" in outbox[1].body
