"""Staff entry of a paper form for any bundled instrument."""

from __future__ import annotations

from alliance.measures.models import Administration, ItemResponse, Score
from tests.factories import World
from tests.measures.conftest import answers
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

SCS_SF = [f"scs_sf_{n:02d}" for n in range(1, 13)]


def paper(values: list[object], key: str = "p" * 32, **fields: str) -> dict[str, object]:
    form = answers(dict(zip(SCS_SF, values, strict=False)), key=key)
    form.update({"instrument": "scs_sf", "administered_on": "2025-03-03", "occasion": "intake"})
    form.update(fields)
    return form


def url(world: World, enrollment_id: int | None = None) -> str:
    return f"/enrollments/{enrollment_id or world.good.pk}/measures/paper/?instrument=scs_sf"


def test_items_without_bundled_wording_are_numbered(world: World, as_user) -> None:
    body = text(as_user(world.bob).get(url(world)))
    assert "1. Item 1" in body
    assert "12. Item 12" in body
    assert "Item wording is not bundled" in body


def test_a_paper_form_is_scored_and_redirects_to_his_page(world: World, as_user) -> None:
    response = as_user(world.bob).post(url(world), paper([3] * 12))
    assert response.status_code == 302
    assert response["Location"] == f"/participants/{world.good.participant_id}/"
    administration = Administration.objects.get()
    assert (administration.respondent, administration.channel) == ("paper", "staff")
    assert administration.occasion == "intake"
    assert administration.created_by == world.bob
    assert str(administration.administered_on) == "2025-03-03"
    score = Score.objects.get()
    assert (score.value, score.band, score.missing) == (3.0, "moderate", False)


def test_a_form_with_too_many_blanks_is_kept_but_not_scored(world: World, as_user) -> None:
    as_user(world.bob).post(url(world), paper([3, 3, 3, 3, 3, 3, 3, 3]))
    assert ItemResponse.objects.count() == 8
    score = Score.objects.get()
    assert score.missing is True
    assert score.value is None
    assert score.answered == 8


def test_a_retried_paper_form_is_recorded_once(world: World, as_user) -> None:
    client = as_user(world.bob)
    client.post(url(world), paper([3] * 12))
    client.post(url(world), paper([3] * 12))
    assert Administration.objects.count() == 1
    assert ItemResponse.objects.count() == 12


def test_bad_answers_name_the_item_and_write_nothing(world: World, as_user) -> None:
    response = as_user(world.bob).post(url(world), paper([3, 3, 9, 3, "x"]))
    assert response.status_code == 400
    assert "Item 3: outside the range 1..5" in text(response)
    assert "Item 5: give a number" in text(response)
    assert not ItemResponse.objects.exists()
    assert not Score.objects.exists()


def test_an_unknown_instrument_is_not_found(world: World, as_user) -> None:
    response = as_user(world.bob).get(
        f"/enrollments/{world.good.pk}/measures/paper/?instrument=nonsense"
    )
    assert response.status_code == 404


def test_only_staff_who_may_see_him_can_enter_a_form(world: World, as_user) -> None:
    client = as_user(world.charlie)
    assert_same_not_found(client.get(url(world)), client.get(url(world, MISSING_ID)))
    for user in (world.eve, world.petra, world.outsider):
        assert as_user(user).post(url(world), paper([3] * 12)).status_code == 404
    assert not Administration.objects.exists()
