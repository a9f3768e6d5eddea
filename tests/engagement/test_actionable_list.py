"""Issue 18 item 3, D11 and D25: one number and band on every page, an action only where the
band warrants one, and an outreach form with a date, "Could not reach" and a way back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliance.core.engagement.outreach import OutreachStatus
from alliance.engagement.models import OutreachAlert, StoredOutlook
from alliance.engagement.templatetags.engagement_tags import percent

pytestmark = pytest.mark.django_db


def _set_outlook(enrollment, *, before: float, band: str, factors=()) -> None:
    StoredOutlook.objects.filter(enrollment=enrollment).update(
        before_completion=before, band=band, factors=list(factors)
    )


def _list(client):
    return client.get(reverse("engagement-risk"))


def test_reach_out_is_offered_only_where_the_band_warrants_it(world, as_user) -> None:
    client = as_user(world.alice)
    _list(client)  # stores every man's outlook
    _set_outlook(world.breach, before=0.62, band="high", factors=["missed the last 2 sessions"])
    _set_outlook(world.good, before=0.04, band="low")
    page = _list(client)
    text = page.content.decode()
    rows = {r.enrollment.pk: r for r in page.context["rows"]}
    assert rows[world.breach.pk].outlook.prompts_outreach
    assert not rows[world.good.pk].outlook.prompts_outreach
    start_breach = reverse("engagement-start-outreach", args=[world.breach.pk])
    start_good = reverse("engagement-start-outreach", args=[world.good.pk])
    assert start_breach in text
    assert start_good not in text
    assert "None needed now" in text
    # The band is a word in a badge, not a colour alone.
    assert '<span class="badge risk-band risk-band-high">High</span>' in text
    assert "62%" in text
    # Sorted by the chance of leaving before completion.
    assert page.context["rows"][0].enrollment.pk == world.breach.pk


def test_the_outreach_page_shows_the_same_number_and_band_as_the_list(world, as_user) -> None:
    client = as_user(world.alice)
    listing = _list(client)
    row = next(r for r in listing.context["rows"] if r.enrollment.pk == world.breach.pk)
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    alert = OutreachAlert.objects.get(enrollment=world.breach)
    page = client.get(reverse("engagement-alert", args=[alert.pk])).content.decode()
    shown = percent(row.outlook.before_completion).replace("<", "&lt;").replace(">", "&gt;")
    assert f"now: <strong>{shown}</strong>" in page
    assert f"risk-band-{row.outlook.band}" in page
    assert alert.before_completion == pytest.approx(row.outlook.before_completion)
    assert alert.band == row.outlook.band
    assert "within two sessions" not in page


def _open_alert(world, as_user):
    client = as_user(world.alice)
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    return client, OutreachAlert.objects.get(enrollment=world.breach)


def test_the_outreach_form_has_a_date_a_way_back_and_product_spelling(world, as_user) -> None:
    client, alert = _open_alert(world, as_user)
    page = client.get(reverse("engagement-alert", args=[alert.pk])).content.decode()
    assert f'href="{reverse("engagement-risk")}"' in page
    assert 'type="date" name="done_on" id="done_on" value="2025-03-10" max="2025-03-10"' in page
    assert "Make-up session" in page
    assert "Makeup" not in page
    assert "Individual check-in" in page
    assert "check in" not in page


def test_an_action_is_recorded_on_the_day_it_was_done(world, as_user) -> None:
    client, alert = _open_alert(world, as_user)
    url = reverse("engagement-action", args=[alert.pk])
    client.post(url, {"kind": "phone_call", "done_on": "2025-03-07"})
    client.post(url, {"kind": "individual_check_in"})  # no date: today
    assert list(alert.actions.values_list("done_on", flat=True)) == [
        dt.date(2025, 3, 7),
        dt.date(2025, 3, 10),
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("2025-03-11", "11 Mar 2025 is in the future"),
        ("last friday", "is not a date"),
        ("2019-01-01", "before he was referred"),
    ],
)
def test_a_wrong_date_is_refused_in_words(world, as_user, given, message) -> None:
    client, alert = _open_alert(world, as_user)
    response = client.post(
        reverse("engagement-action", args=[alert.pk]),
        {"kind": "phone_call", "done_on": given},
        follow=True,
    )
    assert message in response.content.decode()
    assert not alert.actions.exists()


def test_could_not_reach_him_closes_the_outreach(world, as_user) -> None:
    client, alert = _open_alert(world, as_user)
    client.post(reverse("engagement-action", args=[alert.pk]), {"kind": "phone_call"})
    page = client.get(reverse("engagement-alert", args=[alert.pk])).content.decode()
    assert '<option value="could_not_reach">Could not reach him</option>' in page
    client.post(reverse("engagement-outcome", args=[alert.pk]), {"outcome": "could_not_reach"})
    alert.refresh_from_db()
    assert alert.status == OutreachStatus.CLOSED
    assert alert.outcome == "could_not_reach"
    listing = _list(client).content.decode()
    assert "Could not reach him: 1" in listing


def test_the_model_card_explains_the_number_bands_and_fixed_traits(world, as_user) -> None:
    text = as_user(world.alice).get(reverse("engagement-model-card")).content.decode()
    assert "chance of leaving the program before he completes it" in text
    for words in ("Low", "Moderate", "Elevated", "High", "15%", "30%", "50% or more"):
        assert words in text
    assert "never shown as a reason" in text
    assert "child protection involvement" in text
    from alliance.core.engagement.features import FEATURE_NAMES

    for name in FEATURE_NAMES:  # human titles, never column names
        assert f"<code>{name}</code>" not in text
