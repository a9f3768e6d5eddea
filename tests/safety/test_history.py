"""The History page of a partner record: every change, who, when, before and after, newest
first; for the safety worker only (and an admin inside her break-glass window)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.safety import services
from alliance.safety.models import PartnerRelease
from tests.safety.conftest import SENTINEL
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def _history(record_id: int) -> str:
    return reverse("safety-partner-history", args=[record_id])


def test_petra_sees_every_change_with_who_before_and_after_newest_first(
    world, partners, as_user, frozen_clock
) -> None:
    record = partners.current
    frozen_clock.shift(dt.timedelta(minutes=5))
    services.update_partner_record(
        actor=world.petra, record=record, phone="555-0100", cautions="Never call after 18:00"
    )
    services.resolve_concern(
        actor=world.petra,
        concern=partners.concern,
        resolved_on=world.today,
        resolution="She moved to a shelter",
    )
    frozen_clock.shift(dt.timedelta(minutes=5))
    release = PartnerRelease.objects.filter(partner=record).first()
    services.revoke_release(actor=world.petra, release=release, revoked_on=world.today)
    frozen_clock.shift(dt.timedelta(minutes=5))
    services.log_contact(
        actor=world.petra,
        record=record,
        contacted_on=world.today,
        method="phone",
        message="Told her about the group dates",
        today=world.today,
    )

    response = as_user(world.petra).get(_history(record.pk))
    page = text(response)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Before and after, decrypted.
    assert f"<del>{SENTINEL}-CUR-PHONE</del> → " in page
    assert "Never call after 18:00" in page
    assert f"{SENTINEL}-CUR-CAUTIONS" in page
    # Concern raised and resolved, release recorded and revoked, a logged contact.
    assert f"{SENTINEL}-CONCERN-NARRATIVE" in page
    assert "She moved to a shelter" in page
    assert "Revoked" in page
    assert "Told her about the group dates" in page
    # Who.
    assert page.count(world.petra.get_full_name() or world.petra.username) >= 5
    # Newest first: the contact logged last comes before the edit, the edit before creation.
    events = page[page.index('<ol class="history"') :]
    contact = events.index("Told her about the group dates")
    resolved = events.index("She moved to a shelter")
    edit = events.index("555-0100")
    created = events.index(f"{SENTINEL}-CUR-NAME")
    assert contact < resolved < edit < created
    # No inline script; every change has a label.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "<dt>Phone</dt>" in page


def test_a_save_that_changes_nothing_adds_no_entry(world, partners, as_user) -> None:
    before = text(as_user(world.petra).get(_history(partners.current.pk))).count("Changed")
    services.update_partner_record(actor=world.petra, record=partners.current)
    after = text(as_user(world.petra).get(_history(partners.current.pk))).count("Changed")
    assert after == before


def test_the_partner_page_links_to_its_history(world, partners, as_user) -> None:
    page = text(as_user(world.petra).get(reverse("safety-partner", args=[partners.current.pk])))
    assert f'href="{_history(partners.current.pk)}"' in page


@pytest.mark.parametrize("persona", ["alice", "olga", "outsider"])
def test_everyone_else_gets_the_same_404(world, partners, as_user, persona) -> None:
    client = as_user(getattr(world, persona))
    forbidden = client.get(_history(partners.current.pk))
    missing = client.get(_history(MISSING_ID))
    assert_same_not_found(forbidden, missing)
    assert SENTINEL not in text(forbidden)


def test_an_admin_reads_history_only_inside_her_break_glass_window(
    world, partners, as_user
) -> None:
    services.open_break_glass(
        actor=world.olga,
        record=partners.current,
        reason="Police asked for her safe-contact times after a call",
        now=timezone.now() - dt.timedelta(minutes=1),
    )
    olga = as_user(world.olga)
    response = olga.get(_history(partners.current.pk))
    assert response.status_code == 200
    assert f"{SENTINEL}-CUR-NAME" in text(response)
    assert "Break-glass access" in text(response)
    # Not the other record, and not after the window closed.
    assert olga.get(_history(partners.former.pk)).status_code == 404
    grant = partners.current.break_glass.get()
    grant.expires_at = timezone.now() - dt.timedelta(seconds=1)
    grant.save()
    assert olga.get(_history(partners.current.pk)).status_code == 404


def test_anonymous_is_sent_to_login(partners, client) -> None:
    response = client.get(_history(partners.current.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
