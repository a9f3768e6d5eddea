"""A document by e-mail: the PDF attached, nothing about him in the message, failed sends
retried with backoff by ``alliance send-pending``, never sent twice, and surfaced to managers."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from alliance.audit.models import AccessEvent
from alliance.portal.models import Channel, Delivery, DeliveryStatus
from alliance.portal.services import (
    MAX_ATTEMPTS,
    DeliveryRefused,
    backoff,
    deliver,
    send_pending,
)
from tests.conftest import IDENTITY_SENTINELS
from tests.identity_fixture import give_identity

pytestmark = pytest.mark.django_db

FAILING = "tests.portal.test_email_delivery.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_the_email_carries_the_pdf_and_nothing_about_him(world, document):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    delivery = deliver(
        actor=world.bob, document=document, channel=Channel.EMAIL, email="po@example.org"
    )
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    (message,) = mail.outbox
    assert message.to == ["po@example.org"]
    assert message.subject == "A document from Respectful Relationships"
    assert "A document from Respectful Relationships is attached." in message.body
    for text in ("RIV-101", "compliance", *IDENTITY_SENTINELS):
        assert text.lower() not in f"{message.subject}\n{message.body}".lower()
    ((name, content, mimetype),) = message.attachments
    assert name == f"compliance-report-{document.pk}.pdf"
    assert mimetype == "application/pdf"
    assert content == bytes(document.pdf)


def test_every_send_is_in_the_access_log(world, document):
    deliver(actor=world.bob, document=document, channel=Channel.EMAIL, email="po@example.org")
    event = AccessEvent.objects.get(url_name="delivery-email-sent")
    assert event.user_id == world.bob.pk
    assert event.enrollment_id == world.good.pk
    assert event.participant_id == world.good.participant_id


def test_a_bad_address_is_refused_naming_the_field(world, document):
    with pytest.raises(DeliveryRefused) as refused:
        deliver(actor=world.bob, document=document, channel=Channel.EMAIL, email="not-an-address")
    assert refused.value.field == "email"
    assert not Delivery.objects.exists()


def test_backoff_doubles_from_five_minutes_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [dt.timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert backoff(20) == dt.timedelta(hours=6)


def test_a_failed_send_is_retried_when_due_and_never_sent_twice(
    world, document, settings, frozen_clock
):
    settings.EMAIL_BACKEND = FAILING
    delivery = deliver(
        actor=world.bob, document=document, channel=Channel.EMAIL, email="po@example.org"
    )
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    assert delivery.next_attempt_at == delivery.last_attempt_at + dt.timedelta(minutes=5)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    frozen_clock.shift(dt.timedelta(minutes=4))
    assert send_pending().sent == 0  # not due yet
    assert mail.outbox == []

    frozen_clock.shift(dt.timedelta(minutes=1))
    run = send_pending()
    assert (run.sent, run.failed) == (1, 0)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert delivery.next_attempt_at is None
    assert len(mail.outbox) == 1

    # Idempotent: running again (or a stale due date) never sends a delivery marked sent.
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.sent_at)
    assert send_pending().sent == 0
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_it_waits_for_a_person(world, document, settings, frozen_clock):
    settings.EMAIL_BACKEND = FAILING
    delivery = deliver(
        actor=world.bob, document=document, channel=Channel.EMAIL, email="po@example.org"
    )
    for _ in range(MAX_ATTEMPTS + 3):
        frozen_clock.shift(dt.timedelta(hours=7))
        send_pending()
    delivery.refresh_from_db()
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.next_attempt_at is None


def test_the_command_sends_what_is_due(world, document, settings, capsys):
    settings.EMAIL_BACKEND = FAILING
    deliver(actor=world.bob, document=document, channel=Channel.EMAIL, email="po@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Delivery.objects.update(next_attempt_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    call_command("send_pending")
    assert "1 sent, 0 failed" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_failed_deliveries_show_on_the_managers_pages_and_the_document_page(
    world, document, settings, as_user
):
    settings.EMAIL_BACKEND = FAILING
    for address in ("po@example.org", "court@example.org"):
        deliver(actor=world.bob, document=document, channel=Channel.EMAIL, email=address)
    dashboard = as_user(world.mona).get(reverse("dashboard"))
    assert "2 deliveries failed" in dashboard.content.decode()
    page = as_user(world.mona).get(reverse("document-deliveries", args=[document.pk]))
    body = page.content.decode()
    assert "court@example.org" in body
    assert "Failed" in body
    assert "Try again now" in body
    # A facilitator sends nothing and sees no failed deliveries.
    home = as_user(world.alice).get(reverse("home"))
    assert "deliveries failed" not in home.content.decode()


def test_staff_send_by_email_from_the_document_page(world, document, as_user):
    client = as_user(world.bob)
    response = client.post(
        reverse("document-deliveries", args=[document.pk]),
        {"action": "email", "email": "po@example.org"},
    )
    assert response.status_code == 302
    assert Delivery.objects.get().recipient_email == "po@example.org"
    assert len(mail.outbox) == 1
    page = client.get(reverse("document-deliveries", args=[document.pk]))
    assert "E-mail to po@example.org" in page.content.decode()
    # The request that sent it is in the access log as a view of his record.
    assert AccessEvent.objects.filter(
        url_name="document-deliveries", enrollment_id=world.good.pk, method="POST"
    ).exists()


def test_an_empty_address_is_refused_on_the_page(world, document, as_user):
    response = as_user(world.bob).post(
        reverse("document-deliveries", args=[document.pk]), {"action": "email", "email": ""}
    )
    assert response.status_code == 400
    assert "email: Enter the recipient" in response.content.decode()
    assert not Delivery.objects.exists()
