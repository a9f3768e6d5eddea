"""The group's zone map, his path on his page and the program's zone cutoffs."""

from __future__ import annotations

from alliance.measures.configuration.selectors import settings_for
from alliance.measures.models import MeasureSettings
from tests.factories import World
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def zones_url(group_id: int) -> str:
    return f"/groups/{group_id}/zones/"


def test_a_facilitator_sees_his_groups_zones_by_session_and_by_man(zoned: World, as_user) -> None:
    response = as_user(zoned.alice).get(zones_url(zoned.group_a.pk))
    assert response.status_code == 200
    body = text(response)
    assert "RIV-101" in body
    assert "RIV-102" in body
    assert "not externally validated" in body
    last = zoned.sessions_a[:-1][-1]
    # At the last past session: breach in growth, good in threat, at_limit in comfort.
    row = body.split(f'<th scope="row">{last.held_on:%-d %b %Y}</th>')[1].split("</tr>")[0]
    assert [c.split(">")[1] for c in row.split("</td>")[:-1]] == ["1", "1", "1", "0", "0"]


def test_a_supervisor_of_the_site_sees_it_and_others_get_the_same_404(
    zoned: World, as_user
) -> None:
    assert as_user(zoned.bob).get(zones_url(zoned.group_a.pk)).status_code == 200
    assert_same_not_found(
        as_user(zoned.charlie).get(zones_url(zoned.group_a.pk)),
        as_user(zoned.charlie).get(zones_url(MISSING_ID)),
    )
    assert as_user(zoned.eve).get(zones_url(zoned.group_a.pk)).status_code == 404


def test_his_page_shows_his_path_with_each_zone(zoned: World, as_user) -> None:
    body = text(
        as_user(zoned.alice).get(f"/participants/{zoned.good.participant_id}/?tab=measures")
    )
    assert "Safe but not too safe" in body
    assert body.count('"hint">: challenged while not feeling safe') == 2
    assert body.count('"hint">: safe enough and doing accountability work') == 2
    assert "threat zone 2 sessions running" in body  # the alert, among his alerts


def test_a_manager_sets_the_zone_cutoffs(zoned: World, as_user) -> None:
    program = zoned.good.program
    response = as_user(zoned.mona).post(
        f"/programs/{program.pk}/measures/zones/",
        {
            "zone_safety_cutoff": "5",
            "zone_challenge_cutoff": "3",
            "zone_threat_sessions": "3",
            "zone_comfort_sessions": "6",
        },
    )
    assert response.status_code == 302
    stored = settings_for(program)
    assert (float(stored.zone_safety_cutoff), float(stored.zone_challenge_cutoff)) == (5.0, 3.0)
    assert (stored.zone_threat_sessions, stored.zone_comfort_sessions) == (3, 6)
    page = text(as_user(zoned.mona).get(f"/programs/{program.pk}/measures/"))
    assert "zone cutoffs" in page


def test_a_bad_cutoff_is_refused_naming_the_field(zoned: World, as_user) -> None:
    program = zoned.good.program
    client = as_user(zoned.mona)
    response = client.post(
        f"/programs/{program.pk}/measures/zones/",
        {
            "zone_safety_cutoff": "12",
            "zone_challenge_cutoff": "3",
            "zone_threat_sessions": "0",
            "zone_comfort_sessions": "6",
        },
        follow=True,
    )
    body = text(response)
    assert "zone_safety_cutoff: Ensure this value is less than or equal to 10" in body
    assert "zone_threat_sessions: Ensure this value is greater than or equal to 1" in body
    assert not MeasureSettings.objects.filter(program=program, zone_comfort_sessions=6).exists()


def test_a_facilitator_may_not_set_the_cutoffs(zoned: World, as_user) -> None:
    program = zoned.good.program
    response = as_user(zoned.alice).post(
        f"/programs/{program.pk}/measures/zones/",
        {
            "zone_safety_cutoff": "5",
            "zone_challenge_cutoff": "3",
            "zone_threat_sessions": "3",
            "zone_comfort_sessions": "6",
        },
    )
    assert response.status_code == 404
    assert not MeasureSettings.objects.filter(program=program).exists()
