"""The agency portal: invited officers with two-factor sign-in, who see only their agency's
deliveries about men it referred, acknowledge receipt, and whose every look is logged."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from alliance.audit.models import AccessEvent
from alliance.portal.models import Channel, Delivery, DeliveryStatus, OfficerAccount
from alliance.portal.services import DeliveryRefused, deliver
from alliance.reports.documents import Recipient
from alliance.reports.services import send_enrollment_document
from tests.conftest import IDENTITY_SENTINELS, PARTNER_SENTINEL
from tests.factories import PASSWORD
from tests.web.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_a_manager_sends_through_the_portal_and_the_officer_acknowledges(world, document, as_user):
    as_user_staff = login_verified(Client(), world.mona)
    response = as_user_staff.post(
        reverse("document-deliveries", args=[document.pk]), {"action": "portal"}
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.agency, delivery.status) == (
        Channel.PORTAL,
        world.agency_a,
        DeliveryStatus.SENT,
    )
    assert mail.outbox == []  # nothing about him goes by e-mail

    otto = login_verified(Client(), world.otto)
    home = otto.get(reverse("portal-home"))
    assert home.status_code == 200
    assert "RIV-101" in home.content.decode()
    assert "Not yet acknowledged" in home.content.decode()
    page = otto.get(reverse("portal-document", args=[delivery.pk]))
    assert "Acknowledge receipt" in page.content.decode()
    pdf = otto.get(reverse("portal-document-pdf", args=[delivery.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(document.pdf)

    acknowledged = otto.post(reverse("portal-acknowledge", args=[delivery.pk]))
    assert acknowledged.status_code == 302
    delivery.refresh_from_db()
    assert delivery.acknowledged_by_id == world.otto.pk
    assert delivery.acknowledged_at is not None
    first = delivery.acknowledged_at
    otto.post(reverse("portal-acknowledge", args=[delivery.pk]))  # the first one stands
    delivery.refresh_from_db()
    assert delivery.acknowledged_at == first

    # Shown to the program on his reports page and the document page.
    for url in (
        reverse("enrollment-reports", args=[world.good.pk]),
        reverse("document-deliveries", args=[document.pk]),
    ):
        text = re.sub(r"<[^>]+>", "", as_user_staff.get(url).content.decode())
        assert "acknowledged 10 Mar 2025 09:45" in text  # Riverside's time (Auckland)

    # Every view and the acknowledgement are in the access log, as Otto, about RIV-101.
    logged = set(
        AccessEvent.objects.filter(user_id=world.otto.pk, enrollment_id=world.good.pk).values_list(
            "url_name", flat=True
        )
    )
    assert {
        "portal-home",
        "portal-document",
        "portal-document-pdf",
        "portal-acknowledge",
    } <= logged


def test_an_officer_of_another_agency_gets_404(world, document, as_user):
    delivery = deliver(actor=world.bob, document=document, channel=Channel.PORTAL)
    ada = as_user(world.ada)
    for name in ("portal-document", "portal-document-pdf"):
        assert ada.get(reverse(name, args=[delivery.pk])).status_code == 404
    assert ada.post(reverse("portal-acknowledge", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None
    assert "RIV-101" not in ada.get(reverse("portal-home")).content.decode()


def test_an_officer_sees_only_what_was_sent_to_the_portal(world, document, as_user):
    # An e-mailed document is not on the portal, nor is a man his agency did not refer.
    deliver(actor=world.bob, document=document, channel=Channel.EMAIL, email="po@example.org")
    otto = as_user(world.otto)
    assert "RIV-101" not in otto.get(reverse("portal-home")).content.decode()
    email_delivery = Delivery.objects.get()
    assert otto.get(reverse("portal-document", args=[email_delivery.pk])).status_code == 404


def test_a_document_moves_off_the_portal_if_his_referral_is_moved(world, document, as_user):
    delivery = deliver(actor=world.bob, document=document, channel=Channel.PORTAL)
    type(world.good).objects.filter(pk=world.good.pk).update(agency=world.agency_b)
    assert (
        as_user(world.otto).get(reverse("portal-document", args=[delivery.pk])).status_code == 404
    )


def test_portal_needs_a_referring_agency_with_officers(world, as_user):
    other = send_enrollment_document(
        actor=world.bob,
        enrollment=world.at_limit,
        kind="compliance_report",
        recipient=Recipient(kind="probation", name="", organization="Probation"),
        today=world.today,
    )
    with pytest.raises(DeliveryRefused, match="not referred by an agency"):
        deliver(actor=world.bob, document=other, channel=Channel.PORTAL)
    response = as_user(world.bob).post(
        reverse("document-deliveries", args=[other.pk]), {"action": "portal"}
    )
    assert response.status_code == 400
    assert "channel: He was not referred by an agency set up in Alliance" in (
        response.content.decode()
    )


def test_the_same_document_goes_to_the_portal_once(world, document):
    deliver(actor=world.bob, document=document, channel=Channel.PORTAL)
    with pytest.raises(DeliveryRefused, match="already on Riverside Probation"):
        deliver(actor=world.bob, document=document, channel=Channel.PORTAL)


def test_the_portal_pages_show_no_identity_and_no_partner_data(world, document, as_user):
    from tests.identity_fixture import give_identity

    give_identity(world.good.participant, actor=world.ines, today=world.today)
    delivery = deliver(actor=world.bob, document=document, channel=Channel.PORTAL)
    otto = as_user(world.otto)
    for url in (reverse("portal-home"), reverse("portal-document", args=[delivery.pk])):
        body = otto.get(url).content.decode()
        for text in (*IDENTITY_SENTINELS, PARTNER_SENTINEL):
            assert text not in body


def test_an_officer_is_sent_from_home_to_the_portal_and_refused_staff_pages(world, as_user):
    otto = as_user(world.otto)
    assert otto.get(reverse("home"))["Location"] == reverse("portal-home")
    assert otto.get(reverse("participant", args=[world.good.participant_id])).status_code == 404
    assert otto.get(reverse("dashboard")).status_code == 404


def test_an_officer_must_pass_two_factor_sign_in(world, client):
    client.force_login(world.otto)
    response = client.get(reverse("portal-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))


def test_a_manager_invites_an_officer_who_sets_a_password_then_two_factor(
    world, as_user, django_capture_on_commit_callbacks
):
    mona = as_user(world.mona)
    page = mona.get(reverse("agency-officers", args=[world.agency_a.pk]))
    assert "otto@example.org" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = mona.post(
            reverse("agency-officers", args=[world.agency_a.pk]), {"email": "Pat@Example.org"}
        )
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    link = next(word for word in message.body.split() if "/portal/invitation/" in word)
    mona.post(reverse("logout"))

    invitee = Client()
    opened = invitee.get(link.replace("http://testserver", ""))
    assert opened.status_code == 302
    form = invitee.get(opened["Location"])
    assert "Riverside Probation" in form.content.decode()
    created = invitee.post(
        opened["Location"],
        {
            "username": "pat",
            "first_name": "Pat",
            "last_name": "Officer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert created.status_code == 302
    assert created["Location"].startswith(reverse("two-factor-setup"))
    account = OfficerAccount.objects.get(user__username="pat")
    assert account.agency == world.agency_a
    assert not hasattr(account.user, "membership")
    # The link works once.
    assert Client().get(link.replace("http://testserver", "")).status_code == 410


def test_only_managers_of_the_organization_invite(world, as_user):
    url = reverse("agency-officers", args=[world.agency_a.pk])
    assert as_user(world.bob).get(url).status_code == 404
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.otto).get(url).status_code == 404


def test_an_existing_address_is_refused_naming_the_field(world, as_user):
    response = as_user(world.olga).post(
        reverse("agency-officers", args=[world.agency_a.pk]), {"email": "otto@example.org"}
    )
    assert response.status_code == 400
    assert "already has an account" in response.content.decode()


def test_the_acknowledgement_shows_on_his_page(world, document, as_user):
    from alliance.portal.services import acknowledge

    delivery = deliver(actor=world.bob, document=document, channel=Channel.PORTAL)
    client = as_user(world.mona)
    page = client.get(
        reverse("participant", args=[world.good.participant_id]) + "?tab=documents"
    ).content.decode()
    assert "on Riverside Probation's portal: not yet acknowledged" in page
    acknowledge(officer=world.otto, delivery=delivery)
    page = client.get(
        reverse("participant", args=[world.good.participant_id]) + "?tab=documents"
    ).content.decode()
    text = re.sub(r"<[^>]+>", "", page)
    assert "receipt acknowledged 10 Mar 2025 09:45 by Otto Tester" in text


def test_the_agencies_settings_page_leads_to_each_agencys_portal_accounts(world, as_user):
    page = as_user(world.olga).get(reverse("settings-agencies")).content.decode()
    assert reverse("agency-officers", args=[world.agency_a.pk]) in page
    assert "Portal accounts" in page
