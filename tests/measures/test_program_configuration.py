"""Program managers and organization admins set the measure schedule and alert thresholds on
the program measures page; everyone else reads them or gets the usual 404."""

from __future__ import annotations

import pytest

from alliance.measures.models import MeasureSchedule, MeasureSettings
from tests.factories import World
from tests.web.helpers import text


def url(world: World, tail: str = "") -> str:
    return f"/programs/{world.program.pk}/measures/{tail}"


def entries(world: World) -> list[tuple[str, str, int | None]]:
    return list(
        MeasureSchedule.objects.filter(program=world.program)
        .order_by("instrument_id", "when")
        .values_list("instrument_id", "when", "session_number")
    )


@pytest.mark.parametrize("persona", ["mona", "olga"])
def test_managers_add_to_the_schedule_keeping_the_default(
    world: World, as_user, persona: str
) -> None:
    client = as_user(getattr(world, persona))
    page = text(client.get(url(world)))
    assert "Add" in page
    response = client.post(
        url(world, "schedule/"),
        {"instrument": "urica_dv", "when": "session_number", "session_number": "4"},
    )
    assert response.status_code == 302
    assert entries(world) == [
        ("alliance_checkout", "every_session", None),
        ("alliance_facilitator_rating", "every_session", None),
        ("scs_sf", "exit", None),
        ("scs_sf", "intake", None),
        ("urica_dv", "session_number", 4),
    ]
    page = text(client.get(url(world)))
    assert "Domestic Violence (URICA-DV): at session 4" in page
    assert "urica_dv at session 4" not in page


def test_managers_remove_an_entry(world: World, as_user) -> None:
    client = as_user(world.mona)
    client.post(url(world, "schedule/"), {"instrument": "dass21", "when": "midpoint"})
    entry = MeasureSchedule.objects.get(program=world.program, instrument_id="dass21")
    assert client.post(url(world, f"schedule/{entry.pk}/remove/")).status_code == 302
    assert not MeasureSchedule.objects.filter(pk=entry.pk).exists()
    assert len(entries(world)) == 4


def test_a_session_number_goes_only_with_at_session_number_n(world: World, as_user) -> None:
    client = as_user(world.mona)
    client.post(url(world, "schedule/"), {"instrument": "dass21", "when": "session_number"})
    client.post(
        url(world, "schedule/"), {"instrument": "dass21", "when": "intake", "session_number": "2"}
    )
    assert not MeasureSchedule.objects.exists()
    shown = text(client.get(url(world)))
    assert "give a session number with" in shown


def test_managers_set_the_alert_thresholds(world: World, as_user) -> None:
    response = as_user(world.mona).post(
        url(world, "settings/"),
        {"checkout_cutoff": "5", "drop_points": "3", "low_rating_cutoff": "4.5"},
    )
    assert response.status_code == 302
    saved = MeasureSettings.objects.get(program=world.program)
    assert (float(saved.checkout_cutoff), float(saved.drop_points)) == (5.0, 3.0)
    assert float(saved.low_rating_cutoff) == 4.5


@pytest.mark.parametrize("persona", ["alice", "bob", "eve"])
def test_other_roles_read_the_schedule_but_cannot_change_it(
    world: World, as_user, persona: str
) -> None:
    client = as_user(getattr(world, persona))
    page = text(client.get(url(world)))
    # The instrument by its title (issue 18, D18), and a note that it has no wording (D2).
    assert "Self-Compassion Scale - Short Form (SCS-SF): at intake" in page
    assert "scs_sf" not in page
    assert "wording not loaded" in page
    assert "Add" not in page
    assert (
        client.post(url(world, "schedule/"), {"instrument": "dass21", "when": "exit"}).status_code
        == 404
    )
    assert (
        client.post(
            url(world, "settings/"),
            {"checkout_cutoff": "1", "drop_points": "1", "low_rating_cutoff": "1"},
        ).status_code
        == 404
    )
    assert not MeasureSchedule.objects.exists()
    assert not MeasureSettings.objects.exists()


def test_a_manager_of_another_site_cannot_change_this_program(world: World, as_user) -> None:
    # Charlie's site (South) is not this program's; Mona manages North only.
    response = as_user(world.mona).post(
        f"/programs/{world.program_b.pk}/measures/schedule/",
        {"instrument": "dass21", "when": "exit"},
    )
    assert response.status_code == 404
    assert not MeasureSchedule.objects.exists()
