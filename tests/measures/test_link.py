"""The one-time phone link: created by staff, opens one questionnaire, once, for 72 hours."""

from __future__ import annotations

import datetime as dt

import time_machine

from alliance.core.instruments import ENGINE_VERSION
from alliance.measures.administration.tokens import create_participant_link, hash_token
from alliance.measures.models import Administration, ItemResponse, Occasion, ParticipantLink, Score
from alliance.measures.registry import definition_for
from tests.factories import World
from tests.measures.conftest import answers, checkout, token_in
from tests.web.helpers import HTMX, MISSING_ID, assert_same_not_found, text


def make_link(client, world: World, instrument: str = "alliance_checkout") -> str:
    response = client.post(
        f"/enrollments/{world.good.pk}/measures/link/",
        {"instrument": instrument, "occasion": "other"},
    )
    assert response.status_code == 200
    return token_in(text(response), "/r/")


def test_staff_creates_a_link_whose_token_is_stored_only_hashed(world: World, as_user) -> None:
    token = make_link(as_user(world.alice), world)
    link = ParticipantLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in link.token_hash
    assert link.expires_at - dt.datetime.now(dt.UTC) == dt.timedelta(hours=72)
    assert link.administration.enrollment == world.good
    assert link.administration.channel == "link"


def test_the_link_page_shows_the_questions_and_nothing_else(
    world: World, as_user, anonymous
) -> None:
    token = make_link(as_user(world.alice), world)
    page = anonymous.get(f"/r/{token}/")
    body = text(page)
    assert page.status_code == 200
    assert "Today I felt respected" in body
    assert "RIV-" not in body  # not even his own code: the page may be seen over his shoulder
    assert "<a " not in body  # no navigation anywhere
    assert "Sign out" not in body


def test_partial_answers_are_kept_and_shown_again(world: World, as_user, anonymous) -> None:
    token = make_link(as_user(world.alice), world)
    saved = anonymous.post(f"/r/{token}/save/", answers({"checkout_respected": "7"}), headers=HTMX)
    assert saved.status_code == 200
    anonymous.post(f"/r/{token}/save/", answers({"checkout_matters": "5"}), headers=HTMX)
    # A retry of the first save changes nothing.
    anonymous.post(f"/r/{token}/save/", answers({"checkout_respected": "7"}), headers=HTMX)
    rows = dict(ItemResponse.objects.values_list("item_id", "value"))
    assert rows == {"checkout_respected": 7.0, "checkout_matters": 5.0}
    administration = Administration.objects.get()
    assert administration.status == "partial"
    reopened = text(anonymous.get(f"/r/{token}/"))
    assert 'name="item_checkout_respected" value="7" checked' in reopened


def test_submitting_scores_with_versions_and_a_double_tap_duplicates_nothing(
    world: World, as_user, anonymous
) -> None:
    token = make_link(as_user(world.alice), world)
    anonymous.post(f"/r/{token}/save/", answers({"checkout_respected": "8"}), headers=HTMX)
    form = checkout("", "6", "7", "9", key="tap" * 10)  # item 1 left blank: saved value kept
    first = anonymous.post(f"/r/{token}/", form)
    again = anonymous.post(f"/r/{token}/", form)
    assert first.status_code == 200
    assert again.status_code == 200
    assert "Thank you" in text(again)
    assert ItemResponse.objects.count() == 4
    assert Administration.objects.get().status == "complete"
    score = Score.objects.get(scale_id="total")
    assert score.value == 7.5
    assert score.instrument_version == "1.0.0"
    assert score.engine_version == ENGINE_VERSION


def test_a_used_link_is_refused_and_changes_nothing(world: World, as_user, anonymous) -> None:
    token = make_link(as_user(world.alice), world)
    anonymous.post(f"/r/{token}/", checkout(8, 8, 8, 8, key="a" * 32))
    refused = anonymous.get(f"/r/{token}/")
    resubmitted = anonymous.post(f"/r/{token}/", checkout(1, 1, 1, 1, key="b" * 32))
    late_save = anonymous.post(f"/r/{token}/save/", checkout(1), headers=HTMX)
    assert refused.status_code == 410
    assert "already been used" in text(refused)
    assert resubmitted.status_code == 410
    assert late_save.status_code == 410
    assert set(ItemResponse.objects.values_list("value", flat=True)) == {8.0}


def test_an_expired_link_is_refused_and_writes_nothing(world: World, as_user, anonymous) -> None:
    token = make_link(as_user(world.alice), world)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=72, seconds=1)):
        page = anonymous.get(f"/r/{token}/")
        posted = anonymous.post(f"/r/{token}/", checkout(5, 5, 5, 5))
    assert page.status_code == 410
    assert "expired" in text(page)
    assert posted.status_code == 410
    assert not ItemResponse.objects.exists()


def test_an_unknown_token_is_not_found(world: World, anonymous) -> None:
    assert anonymous.get("/r/not-a-real-token/").status_code == 404


def test_out_of_range_answers_are_refused_naming_the_question(
    world: World, as_user, anonymous
) -> None:
    token = make_link(as_user(world.alice), world)
    response = anonymous.post(f"/r/{token}/", checkout(11, 5, 5, 5))
    assert response.status_code == 400
    assert "Today I felt respected" in text(response)
    assert "outside the range 0..10" in text(response)
    assert 'value="5" checked' in text(response)  # what he typed is shown again
    assert not ItemResponse.objects.exists()
    assert Administration.objects.get().status == "partial"


def test_a_facilitator_cannot_make_a_link_for_a_man_outside_his_groups(
    world: World, as_user
) -> None:
    client = as_user(world.charlie)
    forbidden = client.post(
        f"/enrollments/{world.good.pk}/measures/link/", {"instrument": "alliance_checkout"}
    )
    missing = client.post(
        f"/enrollments/{MISSING_ID}/measures/link/", {"instrument": "alliance_checkout"}
    )
    assert_same_not_found(forbidden, missing)
    assert not ParticipantLink.objects.exists()


def test_evaluators_and_partner_safety_workers_cannot_make_links(world: World, as_user) -> None:
    for user in (world.eve, world.petra):
        response = as_user(user).post(
            f"/enrollments/{world.good.pk}/measures/link/", {"instrument": "alliance_checkout"}
        )
        assert response.status_code == 404
    assert not ParticipantLink.objects.exists()


def test_a_link_for_a_questionnaire_without_wording_numbers_its_items(
    world: World, as_user, anonymous
) -> None:
    # Staff can no longer send such a link (usability finding D2: the page refuses, saying
    # why); one made before that, or by another route, still numbers its items.
    refused = as_user(world.alice).post(
        f"/enrollments/{world.good.pk}/measures/link/",
        {"instrument": "scs_sf", "occasion": "other"},
        follow=True,
    )
    assert "cannot be sent" in text(refused)
    assert not ParticipantLink.objects.exists()
    _, token = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for("scs_sf"),
        administered_on=world.today,
        occasion=Occasion.OTHER,
    )
    body = text(anonymous.get(f"/r/{token}/"))
    assert "1. Item 1" in body
    assert "12. Item 12" in body
