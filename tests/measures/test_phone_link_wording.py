"""Phone links send only what his phone can show (issue 18, D2): the list holds instruments
with wording in his language, the check-out first and chosen; anything else is refused."""

from __future__ import annotations

import re

from django.urls import reverse

from alliance.measures.models import ParticipantLink
from alliance.measures.panels import phone_link_choices
from alliance.participants.models import Participant
from tests.web.helpers import text


def link_select(body: str, enrollment_id: int) -> str:
    form = body[body.index(reverse("create-link", args=[enrollment_id])) :]
    return form[: form.index("</select>")]


def test_the_phone_link_lists_only_instruments_with_wording_and_the_checkout_is_chosen(
    world, as_user
):
    page = reverse("participant", args=[world.good.participant_id]) + "?tab=measures"
    body = as_user(world.alice).get(page).content.decode()
    select = link_select(body, world.good.pk)

    options = re.findall(r'<option value="([^"]+)"( selected)?>', select)
    assert options == [("alliance_checkout", " selected")]
    assert "Adverse Childhood" not in select
    assert "Adverse Childhood" in body  # still on the paper form list
    assert "wording Alliance has in his language (English)" in body


def test_spanish_and_french_readers_get_the_checkout_an_unknown_language_gets_english():
    for language in ("es", "fr-ca", "en"):
        assert phone_link_choices(language)[0] == (
            "alliance_checkout",
            "Alliance session check-out",
        )
        assert [c for c, _ in phone_link_choices(language)] == ["alliance_checkout"]
    assert phone_link_choices("de") == []  # a language with no translation of anything


def test_an_instrument_without_wording_cannot_be_sent_and_staff_are_told_why(world, as_user):
    alice = as_user(world.alice)
    response = alice.post(
        reverse("create-link", args=[world.good.pk]), {"instrument": "ace10", "occasion": "other"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=measures")
    assert not ParticipantLink.objects.exists()
    body = text(alice.get(response["Location"]))
    assert "Phone link: Adverse Childhood Experiences score (ACE, 10 items) cannot be sent" in body
    assert "no wording for its questions in his language (English)" in body


def test_the_checkout_is_sent_in_his_language(world, as_user):
    Participant.objects.filter(pk=world.good.participant_id).update(primary_language="Spanish")
    response = as_user(world.alice).post(
        reverse("create-link", args=[world.good.pk]),
        {"instrument": "alliance_checkout", "occasion": "other"},
    )
    assert response.status_code == 200
    assert ParticipantLink.objects.count() == 1
