"""Inviting staff by e-mail, and the invitee's page.

Olga (Riverside's admin) invites a new facilitator for Riverside North. The e-mail carries a
single-use link that expires after a week; the database keeps only a digest of its token. The
invitee chooses a username and password (Django's validators), and two-factor set-up comes
before anything else.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from alliance.organizations.models import Membership, Role, StaffInvitation
from alliance.organizations.staff import INVITATION_DAYS
from tests.web.helpers import text

INVITE = {"email": "Nina@Example.org", "role": Role.FACILITATOR}
NEW_PASSWORD = "a long and unusual passphrase 42"
ACCOUNT = {
    "username": "nina",
    "first_name": "Nina",
    "last_name": "Newcomer",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}
LINK = re.compile(r"https?://testserver(/staff/invitation/[\w-]+/)")


@pytest.fixture
def invite(world, as_user, django_capture_on_commit_callbacks):
    """Olga invites Nina; returns the path of the e-mailed link."""

    def send(**overrides) -> str:
        data = {**INVITE, "sites": [world.north.pk], **overrides}
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(world.olga).post(reverse("settings-staff"), data)
        assert response.status_code == 302, text(response)
        match = LINK.search(mail.outbox[-1].body)
        assert match, mail.outbox[-1].body
        return match.group(1)

    return send


def test_the_admin_invites_by_e_mail_with_a_single_use_expiring_link(world, invite, caplog):
    caplog.set_level(logging.DEBUG)
    path = invite()
    message = mail.outbox[-1]
    assert message.to == ["nina@example.org"]
    assert "Riverside" in message.subject
    assert "expires on 16 March 2025" in message.body
    token = path.rstrip("/").rsplit("/", 1)[1]
    invitation = StaffInvitation.objects.get()
    assert invitation.role == Role.FACILITATOR
    assert list(invitation.sites.all()) == [world.north]
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=INVITATION_DAYS)
    # Stored hashed, never logged.
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    assert all(token not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address"}, "E-mail address: Enter a valid email address."),
        ({"role": "owner"}, "Role: Select a valid choice."),
        ({"sites": []}, "Sites: Choose at least one site for this role."),
    ],
)
def test_a_bad_invitation_is_refused_naming_the_field(world, as_user, data, message):
    response = as_user(world.olga).post(
        reverse("settings-staff"), {**INVITE, "sites": [world.north.pk], **data}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not StaffInvitation.objects.exists()
    assert mail.outbox == []


def test_an_address_that_already_has_an_account_is_refused(world, as_user):
    world.alice.email = "alice@example.org"
    world.alice.save()
    response = as_user(world.olga).post(
        reverse("settings-staff"),
        {**INVITE, "email": "ALICE@example.org", "sites": [world.north.pk]},
    )
    assert response.status_code == 400
    assert "E-mail address: Someone with this e-mail address already has an account." in text(
        response
    )


def test_a_site_of_another_organization_cannot_be_chosen(world, as_user):
    response = as_user(world.outsider).post(
        reverse("settings-staff"), {**INVITE, "sites": [world.north.pk]}
    )
    assert response.status_code == 400
    assert "Sites: Select a valid choice." in text(response)


def test_the_invitee_sets_a_password_then_must_enrol_two_factor_first(world, invite):
    path = invite()
    nina = Client()
    opened = nina.get(path)
    assert opened.status_code == 302
    form_path = opened["Location"]
    assert "set-password" in form_path  # the token leaves the address bar at once
    page = nina.get(form_path)
    assert page.status_code == 200
    assert "invited as <strong>facilitator</strong>" in text(page)
    done = nina.post(form_path, ACCOUNT)
    assert done.status_code == 302
    assert done["Location"].startswith(reverse("two-factor-setup"))
    user = get_user_model().objects.get(username="nina")
    assert user.email == "nina@example.org"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (world.riverside, Role.FACILITATOR)
    assert list(membership.sites.all()) == [world.north]
    assert StaffInvitation.objects.get().accepted_user == user
    # Nothing else before two-factor set-up.
    home = nina.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two-factor-setup"))
    assert nina.get(reverse("two-factor-setup")).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": "short", "password2": "short"}, "Password: This password is too short."),
        ({"password1": "password123", "password2": "password123"}, "too common"),
        ({"password2": "something else entirely"}, "Password confirmation: The two password"),
        ({"username": "a b"}, "Username: Use 3 to 150 letters"),
        ({"username": "alice"}, "Username: This username is taken."),
        ({"first_name": ""}, "First name: This field is required."),
    ],
)
def test_bad_account_details_are_refused_naming_the_field(world, invite, data, message):
    nina = Client()
    form_path = nina.get(invite())["Location"]
    response = nina.post(form_path, {**ACCOUNT, **data})
    assert response.status_code == 400
    assert message in text(response)
    assert not get_user_model().objects.filter(email="nina@example.org").exists()
    assert StaffInvitation.objects.get().accepted_at is None


def test_a_used_link_is_refused_with_a_clear_page(world, invite):
    path = invite()
    first = Client()
    first.post(first.get(path)["Location"], ACCOUNT)
    again = Client().get(path)
    assert again.status_code == 410
    assert "already been used" in text(again)


def test_the_form_of_a_link_used_meanwhile_in_another_browser_is_refused(world, invite):
    path = invite()
    slow, fast = Client(), Client()
    slow_form = slow.get(path)["Location"]
    fast.post(fast.get(path)["Location"], ACCOUNT)
    response = slow.post(slow_form, {**ACCOUNT, "username": "nina2"})
    assert response.status_code == 410
    assert get_user_model().objects.filter(email="nina@example.org").count() == 1


def test_an_expired_link_is_refused_with_a_clear_page(world, invite, frozen_clock):
    path = invite()
    frozen_clock.shift(dt.timedelta(days=INVITATION_DAYS, seconds=1))
    response = Client().get(path)
    assert response.status_code == 410
    assert "This invitation has expired" in text(response)


def test_a_wrong_token_gets_a_clear_page_not_an_error(world, invite):
    path = invite()
    wrong = path[:-6] + "xxxxx/"
    response = Client().get(wrong)
    assert response.status_code == 404
    assert "This invitation link is not valid" in text(response)
    assert Client().get(reverse("staff-invitation", args=["set-password"])).status_code == 404


def test_a_withdrawn_or_replaced_invitation_no_longer_works(world, invite, as_user):
    first = invite()
    second = invite()  # a new invitation to the same address replaces the first
    assert Client().get(first).status_code == 410
    invitation = StaffInvitation.objects.get(revoked_at=None)
    withdraw = reverse("settings-invitation-withdraw", args=[invitation.pk])
    assert as_user(world.olga).post(withdraw).status_code == 302
    response = Client().get(second)
    assert response.status_code == 410
    assert "withdrawn" in text(response)


def test_only_the_admin_of_the_organization_withdraws_an_invitation(world, invite, as_user):
    invite()
    invitation = StaffInvitation.objects.get()
    withdraw = reverse("settings-invitation-withdraw", args=[invitation.pk])
    assert as_user(world.outsider).post(withdraw).status_code == 404
    assert as_user(world.mona).post(withdraw).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("name", ["alice", "mona", "bob", "eve", "petra"])
def test_only_the_organization_admin_invites(world, as_user, name):
    response = as_user(getattr(world, name)).post(
        reverse("settings-staff"), {**INVITE, "sites": [world.north.pk]}
    )
    assert response.status_code == 404
    assert not StaffInvitation.objects.exists()


def test_guessing_links_is_refused_after_ten_misses_from_one_address(world, invite):
    path = invite()
    guesser = Client(REMOTE_ADDR="10.9.9.9")
    for k in range(10):
        assert guesser.get(reverse("staff-invitation", args=[f"guess-{k}"])).status_code == 404
    refused = guesser.get(path)  # even the right link, from this address, for a while
    assert refused.status_code == 429
    assert "Too many attempts" in text(refused)
    assert Client(REMOTE_ADDR="10.1.1.1").get(path).status_code == 302
