"""Trajectories on his page, the group heatmap, and the program's measures page."""

from __future__ import annotations

import pytest

from alliance.measures.administration.services import start_administration, submit_administration
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from tests.factories import World
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

ITEMS = [i.id for i in definition_for(CHECKOUT).items]


def checkouts(world: World, enrollment, values: list[float]) -> None:
    """One check-out per past session of group A, all four items ``value``."""
    for session, value in zip(world.sessions_a[:-1], values, strict=False):
        administration = start_administration(
            actor=None,
            enrollment=enrollment,
            definition=definition_for(CHECKOUT),
            respondent="participant",
            channel="kiosk",
            administered_on=session.held_on,
            idempotency_key=f"{session.pk}-{enrollment.pk}",
            session=session,
            occasion="session",
        )
        jitter = [0, 1, -1, 0] if enrollment.pk % 2 else [1, 0, 0, -1]
        submit_administration(
            actor=None,
            administration=administration,
            answers={i: max(0, min(10, value + j)) for i, j in zip(ITEMS, jitter, strict=True)},
            submission_key=f"s{session.pk}-{enrollment.pk}",
        )


def fill_group(world: World) -> None:
    checkouts(world, world.good, [6, 7, 7, 8, 8, 9, 9, 9])
    checkouts(world, world.at_limit, [8, 7, 5, 6, 4, 5, 3, 3])
    checkouts(world, world.breach, [5, 5, 6, 5, 6, 6, 5, 6])
    checkouts(world, world.late_joiner, [7, 6, 8, 7, 7, 8, 6, 7])


def test_his_page_draws_his_check_out_trajectory(world: World, as_user) -> None:
    fill_group(world)
    checkouts(world, world.man_c, [5, 6, 7, 8, 9, 9, 9, 9])  # five men: local SD and alpha
    page = text(
        as_user(world.alice).get(f"/participants/{world.good.participant_id}/?tab=measures")
    )
    assert "<svg" in page
    assert "Alliance session check-out" in page
    assert "Reliable change needs ±" in page  # the envelope, from the program's own data
    assert "Not externally validated" in page


def test_the_heatmap_names_each_man_and_prints_each_number(world: World, as_user) -> None:
    fill_group(world)
    response = as_user(world.alice).get(f"/groups/{world.group_a.pk}/checkouts/")
    body = text(response)
    assert response.status_code == 200
    assert "<svg" in body
    for code in ("RIV-101", "RIV-102", "RIV-103", "RIV-104"):
        assert code in body
    assert '<td class="cell">3.0</td>' in body


def test_the_heatmap_is_for_the_groups_own_staff(world: World, as_user) -> None:
    client = as_user(world.charlie)
    assert_same_not_found(
        client.get(f"/groups/{world.group_a.pk}/checkouts/"),
        client.get(f"/groups/{MISSING_ID}/checkouts/"),
    )
    for user in (world.eve, world.petra):
        assert as_user(user).get(f"/groups/{world.group_a.pk}/checkouts/").status_code == 404


def test_the_measures_page_shows_alpha_and_change_classes(world: World, as_user) -> None:
    fill_group(world)
    checkouts(world, world.man_c, [5, 6, 7, 8, 9, 9, 9, 9])
    body = text(as_user(world.mona).get(f"/programs/{world.program.pk}/measures/"))
    assert "not externally validated" in body
    assert "Cronbach's alpha" in body
    # The same table as `alliance instruments reliability` (issue 17 item 4).
    assert "Omega total" in body
    assert "Standardized alpha" in body
    assert "Reliably improved" in body
    assert "<td>Alliance session check-out</td><td>5</td>" in body


def test_the_evaluator_sees_figures_but_no_man(world: World, as_user) -> None:
    fill_group(world)
    response = as_user(world.eve).get(f"/programs/{world.program.pk}/measures/")
    assert response.status_code == 200
    assert "RIV-" not in text(response)


def test_partner_safety_and_other_sites_see_no_measures_page(world: World, as_user) -> None:
    assert as_user(world.petra).get(f"/programs/{world.program.pk}/measures/").status_code == 404
    client = as_user(world.charlie)
    assert_same_not_found(
        client.get(f"/programs/{world.program.pk}/measures/"),
        client.get(f"/programs/{MISSING_ID}/measures/"),
    )


def test_only_managers_change_thresholds(world: World, as_user) -> None:
    url = f"/programs/{world.program.pk}/measures/settings/"
    form = {"checkout_cutoff": "5", "drop_points": "3", "low_rating_cutoff": "4"}
    assert as_user(world.alice).post(url, form).status_code == 404
    assert as_user(world.mona).post(url, form).status_code == 302
    assert world.program.measure_settings.checkout_cutoff == 5


@pytest.mark.django_db
def test_a_trajectory_is_drawn_once_and_redrawn_when_a_score_changes(monkeypatch) -> None:
    import datetime as dt

    from alliance.core.instruments import Direction
    from alliance.measures import charts

    # Kept in the shared cache (every app server reuses it), keyed by everything drawn.
    draws: list[tuple] = []
    real = charts._trajectory_svg

    def counted(*args):
        draws.append(args)
        return real(*args)

    monkeypatch.setattr(charts, "_trajectory_svg", counted)
    charts.clear_cache()
    days = [dt.date(2025, 1, 6), dt.date(2025, 1, 13)]
    drawing = {
        "title": "Check-out",
        "range_min": 0.0,
        "range_max": 10.0,
        "direction": Direction.HIGHER_IS_BETTER,
        "bands": [("Low", 0.0, 4.0)],
        "minimum_change": 2.0,
    }
    first = charts.trajectory_svg(days=days, values=[4.0, 6.0], **drawing)
    again = charts.trajectory_svg(days=days, values=[4.0, 6.0], **drawing)
    assert again == first
    assert len(draws) == 1
    changed = charts.trajectory_svg(days=days, values=[4.0, 7.0], **drawing)
    assert changed != first
    assert len(draws) == 2
    charts.clear_cache()
    assert charts.trajectory_svg(days=days, values=[4.0, 6.0], **drawing) == first
    assert len(draws) == 3


MATHTEXT_CODE = r"MATH$\UNDERBRACE$"


def _svg_of(body: str) -> str:
    return body[body.index("<svg") : body.index("</svg>")]


def test_a_code_that_looks_like_mathtext_is_drawn_as_typed_in_the_heatmap(
    world: World, as_user
) -> None:
    participant = world.good.participant
    participant.code = MATHTEXT_CODE
    participant.save(update_fields=["code"])
    fill_group(world)

    response = as_user(world.alice).get(f"/groups/{world.group_a.pk}/checkouts/")

    assert response.status_code == 200
    assert MATHTEXT_CODE in _svg_of(text(response))


def test_his_trajectory_draws_dollar_signs_in_its_labels_as_typed() -> None:
    import datetime as dt

    from alliance.core.instruments import Direction
    from alliance.measures import charts

    title = r"Check-out of $\UNDERBRACE$ and $\frac{1}{0}$"
    svg = charts.trajectory_svg(
        title=title,
        days=[dt.date(2026, 1, 5), dt.date(2026, 1, 12)],
        values=[4.0, 6.0],
        range_min=0,
        range_max=10,
        direction=Direction.HIGHER_IS_BETTER,
        bands=[(r"$\NOPE$ band", 0.0, 5.0)],
    )

    assert title in svg
    assert r"$\NOPE$ band" in svg


def test_his_page_with_a_mathtext_code_still_draws_his_trajectory(world: World, as_user) -> None:
    participant = world.good.participant
    participant.code = MATHTEXT_CODE
    participant.save(update_fields=["code"])
    fill_group(world)
    checkouts(world, world.man_c, [5, 6, 7, 8, 9, 9, 9, 9])

    response = as_user(world.alice).get(f"/participants/{participant.pk}/?tab=measures")

    assert response.status_code == 200
    assert "<svg" in text(response)
