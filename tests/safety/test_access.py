"""Only partner-safety workers open the compartment; an admin only through logged break-glass."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliance.safety.models import BreakGlassAccess
from tests.safety.conftest import SENTINEL
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

OTHERS = ["alice", "fred", "charlie", "bob", "mona", "olga", "eve", "outsider"]


def test_petra_sees_the_men_their_partners_and_open_concerns(world, partners, as_user) -> None:
    page = text(as_user(world.petra).get(reverse("safety-home")))
    assert "RIV-101" in page
    assert f"{SENTINEL}-CUR-NAME" in page
    assert f"{SENTINEL}-FORMER-NAME" in page
    assert "High" in page  # the concern's level, in words
    assert 'href="/safety/"' in page  # the nav link


def test_petra_opens_a_partner_record_with_every_field(world, partners, as_user) -> None:
    response = as_user(world.petra).get(reverse("safety-partner", args=[partners.current.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for value in partners.values:
        if "-CUR-" in value or "CONCERN" in value:
            assert value in text(response)


@pytest.mark.parametrize("persona", OTHERS)
def test_everyone_else_gets_the_same_404_as_for_a_missing_record(
    world, partners, as_user, persona
) -> None:
    client = as_user(getattr(world, persona))
    for method, name, forbidden_args in [
        ("get", "safety-home", []),
        ("get", "safety-partner", [partners.current.pk]),
        ("post", "safety-concern-resolve", [partners.concern.pk]),
    ]:
        send = getattr(client, method)
        forbidden = send(reverse(name, args=forbidden_args))
        missing = send(
            reverse(name, args=[MISSING_ID])
            if forbidden_args
            else reverse("safety-partner", args=[MISSING_ID])
        )
        assert forbidden.status_code == 404, name
        assert_same_not_found(forbidden, missing)


def test_the_nav_link_is_shown_only_to_safety_workers(world, as_user) -> None:
    assert 'href="/safety/"' not in text(as_user(world.alice).get("/"))
    assert 'href="/safety/"' not in text(as_user(world.olga).get("/"))


@pytest.mark.parametrize("persona", ["alice", "charlie", "bob", "eve", "olga", "outsider"])
def test_no_one_else_can_write(world, partners, as_user, persona) -> None:
    client = as_user(getattr(world, persona))
    pk = partners.current.pk
    assert client.post(reverse("safety-partner-edit", args=[pk]), {"name": "x"}).status_code == 404
    assert (
        client.post(
            reverse("safety-concern-add", args=[pk]),
            {"level": "low", "raised_on": "2025-03-01", "narrative": "x"},
        ).status_code
        == 404
    )
    assert partners.current.concerns.count() == 1


def test_only_an_org_admin_reaches_the_break_glass_form(world, partners, as_user) -> None:
    assert as_user(world.petra).get(reverse("safety-break-glass")).status_code == 404
    assert as_user(world.bob).get(reverse("safety-break-glass")).status_code == 404
    page = as_user(world.olga).get(reverse("safety-break-glass"))
    assert page.status_code == 200
    assert "RIV-101: partner record" in text(page)
    assert SENTINEL not in text(page)  # the choice names the man's code, never the partner


def test_a_break_glass_without_a_real_reason_is_refused(world, partners, as_user) -> None:
    response = as_user(world.olga).post(
        reverse("safety-break-glass"), {"partner": partners.current.pk, "reason": "need it"}
    )
    assert response.status_code == 400
    assert "reason:" in text(response)
    assert not BreakGlassAccess.objects.exists()


def test_break_glass_opens_one_record_for_fifteen_minutes_and_is_shown_to_the_team(
    world, partners, as_user, frozen_clock
) -> None:
    olga = as_user(world.olga)
    reason = "Police request under warrant 2025/118; no safety worker reachable tonight"
    response = olga.post(
        reverse("safety-break-glass"), {"partner": partners.current.pk, "reason": reason}
    )
    assert response.status_code == 302
    event = BreakGlassAccess.objects.get()
    assert (event.user_id, event.partner_id, event.reason) == (
        world.olga.pk,
        partners.current.pk,
        reason,
    )
    assert event.expires_at - event.opened_at == dt.timedelta(minutes=15)

    page = olga.get(reverse("safety-partner", args=[partners.current.pk]))
    assert page.status_code == 200
    assert f"{SENTINEL}-CUR-PHONE" in text(page)
    assert "Break-glass access" in text(page)
    assert "Save details" not in text(page)  # read only
    # Only that one record, and no writing.
    assert olga.get(reverse("safety-partner", args=[partners.former.pk])).status_code == 404
    assert (
        olga.post(reverse("safety-partner-edit", args=[partners.current.pk]), {"name": "x"})
    ).status_code == 404
    assert olga.get(reverse("safety-home")).status_code == 404

    home = text(as_user(world.petra).get(reverse("safety-home")))
    assert reason in home
    assert (world.olga.get_full_name() or world.olga.get_username()) in home

    frozen_clock.shift(dt.timedelta(minutes=15, seconds=1))
    olga = as_user(world.olga)  # the test client is shared: sign Olga back in
    assert olga.get(reverse("safety-partner", args=[partners.current.pk])).status_code == 404


def test_an_admin_of_another_organization_cannot_break_glass_into_riverside(
    world, partners, as_user
) -> None:
    response = as_user(world.outsider).post(
        reverse("safety-break-glass"),
        {"partner": partners.current.pk, "reason": "A long enough reason for the form to pass"},
    )
    assert response.status_code == 400  # not one of her choices
    assert not BreakGlassAccess.objects.exists()
