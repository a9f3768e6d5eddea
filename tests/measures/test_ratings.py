"""The facilitator's rating of each man on the session page."""

from __future__ import annotations

from alliance.measures.models import Administration, Alert, ItemResponse, Score
from tests.factories import World
from tests.measures.conftest import answers
from tests.web.helpers import HTMX, MISSING_ID, assert_same_not_found, text


def rating(p: object, o: object, a: object, key: str = "r" * 32) -> dict[str, object]:
    return answers({"rating_participation": p, "rating_openness": o, "rating_alliance": a}, key=key)


def rate_url(world: World, enrollment_id: int) -> str:
    return f"/sessions/{world.todays_session_a.pk}/ratings/{enrollment_id}/"


def test_the_session_page_offers_a_rating_form_for_each_man_who_attended(
    world: World, as_user, group_a_present
) -> None:
    body = text(as_user(world.alice).get(f"/sessions/{world.todays_session_a.pk}/"))
    assert body.count('name="item_rating_alliance"') == 4
    assert "Open the group-room kiosk" in body


def test_a_rating_is_stored_scored_and_attributed(world: World, as_user, group_a_present) -> None:
    response = as_user(world.alice).post(
        rate_url(world, world.good.pk), rating(7, 6, 8), headers=HTMX
    )
    assert response.status_code == 200
    assert "mean 7.0" in text(response)
    administration = Administration.objects.get()
    assert administration.respondent == "facilitator"
    assert administration.created_by == world.alice
    assert dict(Score.objects.values_list("scale_id", "value")) == {"total": 7.0, "alliance": 8.0}
    assert administration.history.first().history_user == world.alice
    assert ItemResponse.history.filter(history_user=world.alice).count() == 3


def test_a_double_submitted_rating_is_recorded_once(world: World, as_user, group_a_present) -> None:
    client = as_user(world.alice)
    client.post(rate_url(world, world.good.pk), rating(7, 6, 8), headers=HTMX)
    client.post(rate_url(world, world.good.pk), rating(7, 6, 8), headers=HTMX)
    assert Administration.objects.count() == 1
    assert ItemResponse.objects.count() == 3
    assert Score.objects.count() == 2


def test_a_correction_updates_the_same_rating_and_keeps_history(
    world: World, as_user, group_a_present
) -> None:
    client = as_user(world.alice)
    client.post(rate_url(world, world.good.pk), rating(7, 6, 8, key="a" * 32))
    as_user(world.fred).post(rate_url(world, world.good.pk), rating(7, 6, 5, key="b" * 32))
    assert Administration.objects.count() == 1
    answer = ItemResponse.objects.get(item_id="rating_alliance")
    assert answer.value == 5.0
    assert [h.value for h in answer.history.order_by("history_id")] == [8.0, 5.0]
    assert answer.history.order_by("history_id").last().history_user == world.fred


def test_a_low_rating_raises_an_alert_named_for_the_man(
    world: World, as_user, group_a_present
) -> None:
    as_user(world.alice).post(rate_url(world, world.breach.pk), rating(2, 3, 3))
    alert = Alert.objects.get()
    assert alert.kind == "low_facilitator_rating"
    assert alert.enrollment == world.breach
    assert "below the program's cutoff of 4" in alert.detail


def test_an_out_of_range_rating_is_refused_and_writes_nothing(
    world: World, as_user, group_a_present
) -> None:
    response = as_user(world.alice).post(
        rate_url(world, world.good.pk), rating(7, 12, 8), headers=HTMX
    )
    assert response.status_code == 400
    assert "How open was he" in text(response)
    assert "outside the range 0..10" in text(response)
    assert not ItemResponse.objects.exists()
    assert not Score.objects.exists()


def test_a_man_outside_the_facilitators_groups_cannot_be_rated(
    world: World, as_user, group_a_present
) -> None:
    client = as_user(world.charlie)
    forbidden = client.post(rate_url(world, world.good.pk), rating(7, 6, 8))
    missing = client.post(f"/sessions/{MISSING_ID}/ratings/{world.good.pk}/", rating(7, 6, 8))
    assert_same_not_found(forbidden, missing)
    not_on_list = as_user(world.alice).post(rate_url(world, world.man_b.pk), rating(7, 6, 8))
    assert not_on_list.status_code == 404
    assert not Administration.objects.exists()


def test_evaluators_and_partner_safety_workers_see_no_ratings(
    world: World, as_user, group_a_present
) -> None:
    for user in (world.eve, world.petra):
        client = as_user(user)
        assert client.get(f"/sessions/{world.todays_session_a.pk}/").status_code == 404
        assert client.post(rate_url(world, world.good.pk), rating(7, 6, 8)).status_code == 404
    assert not Administration.objects.exists()
