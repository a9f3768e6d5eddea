"""Petra's forms: partner records, releases, concerns and the contact log."""

from __future__ import annotations

from django.urls import reverse

from alliance.safety.models import PartnerRecord, PartnerRelease, SafetyConcern
from tests.safety.conftest import SENTINEL
from tests.web.helpers import text


def test_petra_creates_a_partner_record_for_a_man(world, as_user) -> None:
    petra = as_user(world.petra)
    response = petra.post(
        reverse("safety-partner-new"),
        {
            "participant": world.man_c.participant_id,
            "name": "Robin Example",
            "relationship": "Former partner",
            "cautions": "Never leave a voicemail",
        },
    )
    record = PartnerRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safety-partner", args=[record.pk])
    assert (record.participant_id, record.name, record.cautions, record.created_by_id) == (
        world.man_c.participant_id,
        "Robin Example",
        "Never leave a voicemail",
        world.petra.pk,
    )
    page = text(petra.get(response["Location"]))
    assert "Robin Example" in page
    assert "Never leave a voicemail" in page


def test_a_record_without_a_name_is_refused_naming_the_field(world, as_user) -> None:
    response = as_user(world.petra).post(
        reverse("safety-partner-new"), {"participant": world.good.participant_id, "name": ""}
    )
    assert response.status_code == 400
    assert "name:" in text(response)
    assert not PartnerRecord.objects.exists()


def test_a_man_of_another_organization_cannot_be_chosen(world, as_user) -> None:
    from tests.factories import make_participant

    stranger = make_participant(world.outsider.membership.organization, "ELS-1")
    response = as_user(world.petra).post(
        reverse("safety-partner-new"), {"participant": stranger.pk, "name": "Someone"}
    )
    assert response.status_code == 400
    assert "participant:" in text(response)
    assert not PartnerRecord.objects.exists()


def test_petra_edits_the_safe_contact_preferences(world, partners, as_user) -> None:
    response = as_user(world.petra).post(
        reverse("safety-partner-edit", args=[partners.current.pk]),
        {
            "name": "Alex Example",
            "safe_times": "Weekdays 10-14, at work",
            "safe_methods": "Text first, then call",
            "cautions": "Never leave a voicemail; never write to the home address",
        },
    )
    assert response.status_code == 302
    record = PartnerRecord.objects.get(pk=partners.current.pk)
    assert record.safe_times == "Weekdays 10-14, at work"
    assert record.cautions.startswith("Never leave a voicemail")
    assert record.phone == ""  # a field left empty is cleared
    assert record.updated_by_id == world.petra.pk
    # Every version is kept, attributed, and readable by the compartment alone.
    before, after = record.history.order_by("history_date")
    assert (before.name, after.name) == (f"{SENTINEL}-CUR-NAME", "Alex Example")
    assert after.history_user_id == world.petra.pk


def test_releases_are_recorded_and_revoked(world, partners, as_user) -> None:
    petra = as_user(world.petra)
    future = petra.post(
        reverse("safety-release-add", args=[partners.former.pk]),
        {"kind": "completion", "signed_on": "2025-04-01"},
    )
    assert future.status_code == 400
    assert "signed_on:" in text(future)
    ok = petra.post(
        reverse("safety-release-add", args=[partners.former.pk]),
        {"kind": "completion", "signed_on": "2025-03-01"},
    )
    assert ok.status_code == 302
    signed = PartnerRelease.objects.get(partner=partners.former)
    assert (signed.kind, signed.recorded_by_id, signed.revoked_on) == (
        "completion",
        world.petra.pk,
        None,
    )
    revoked = petra.post(
        reverse("safety-release-revoke", args=[signed.pk]), {"revoked_on": "2025-03-09"}
    )
    assert revoked.status_code == 302
    signed.refresh_from_db()
    assert str(signed.revoked_on) == "2025-03-09"
    assert signed.revoked_by_id == world.petra.pk


def test_concerns_are_raised_and_resolved(world, partners, as_user) -> None:
    petra = as_user(world.petra)
    bad = petra.post(
        reverse("safety-concern-add", args=[partners.former.pk]),
        {"level": "severe", "raised_on": "2025-03-08", "narrative": "x"},
    )
    assert bad.status_code == 400
    assert "level:" in text(bad)
    ok = petra.post(
        reverse("safety-concern-add", args=[partners.former.pk]),
        {"level": "imminent", "raised_on": "2025-03-08", "narrative": "She reports threats."},
    )
    assert ok.status_code == 302
    concern = SafetyConcern.objects.get(partner=partners.former)
    assert (concern.level, concern.narrative) == ("imminent", "She reports threats.")
    home = text(petra.get(reverse("safety-home")))
    # The imminent concern is listed before the older high one.
    assert home.index("Imminent danger") < home.index(">High<")
    done = petra.post(
        reverse("safety-concern-resolve", args=[concern.pk]),
        {"resolved_on": "2025-03-09", "resolution": "Protection order granted."},
    )
    assert done.status_code == 302
    concern.refresh_from_db()
    assert (str(concern.resolved_on), concern.resolved_by_id) == ("2025-03-09", world.petra.pk)


def test_a_contact_is_logged_with_who_when_and_how(world, partners, as_user) -> None:
    petra = as_user(world.petra)
    response = petra.post(
        reverse("safety-contact-add", args=[partners.current.pk]),
        {"contacted_on": "2025-03-07", "method": "text", "message": "Checked in; she is safe."},
    )
    assert response.status_code == 302
    contact = partners.current.notifications.get()
    assert (contact.method, contact.closed_by_id, contact.status) == (
        "text",
        world.petra.pk,
        "sent",
    )
    page = text(petra.get(reverse("safety-partner", args=[partners.current.pk])))
    assert "Checked in; she is safe." in page
    assert "Text message" in page
