"""Alumni mentors: vetted completers, consent on both sides, capacity, contacts, clean endings,
and the partner-safety worker's hold (the only safety input; no reason is stored)."""

from __future__ import annotations

import html
import re

from alliance.audit.models import AccessEvent
from alliance.connection.models import Mentor, MentorContact, MentoringHold, Mentorship
from tests.connection.fixtures import completed
from tests.factories import World, make_participant


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def alumnus(world: World, code: str = "RIV-900"):  # type: ignore[no-untyped-def]
    man = make_participant(world.riverside, code, birth_year=1980)
    return completed(man, world.program, today=world.today)


def vet(client, enrollment, capacity: int = 1):  # type: ignore[no-untyped-def]
    return client.post(
        "/connection/mentors/",
        {
            "enrollment": enrollment.pk,
            "vetted_on": "2025-03-01",
            "consented_on": "2025-03-01",
            "capacity": capacity,
            "notes": "Two years on; steady.",
        },
    )


def match(client, mentor: Mentor, enrollment, matched_on: str = "2025-03-05"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/connection/mentors/{mentor.pk}/match/",
        {
            "mentee": enrollment.pk,
            "mentee_consented_on": matched_on,
            "mentor_consented_on": matched_on,
            "matched_on": matched_on,
        },
        follow=True,
    )


def test_a_supervisor_vets_matches_logs_and_ends_a_mentorship_cleanly(world: World, as_user):
    client = as_user(world.bob)
    assert vet(client, alumnus(world)).status_code == 302
    mentor = Mentor.objects.get()
    assert (mentor.vetted_by, mentor.capacity, mentor.active) == (world.bob, 1, True)

    assert "is matched with this mentor" in text(match(client, mentor, world.good))
    pairing = Mentorship.objects.get()
    assert (pairing.mentee, pairing.matched_by) == (world.good, world.bob)
    # Capacity 1: a second man is refused, naming the field.
    full = text(match(client, mentor, world.at_limit))
    assert "Mentee:" in full or "Mentor: he already mentors 1 men" in full
    assert Mentorship.objects.count() == 1

    page = f"/connection/matches/{pairing.pk}/"
    logged = client.post(
        page, {"contact_on": "2025-03-08", "mode": "phone", "minutes": 25, "note": "Coffee."}
    )
    assert logged.status_code == 302
    assert MentorContact.objects.get().minutes == 25
    assert "8 Mar 2025 Phone 25 Coffee." in text(client.get(page))
    assert AccessEvent.objects.filter(enrollment_id=world.good.pk).exists()

    # Ending needs both men told; without the mentee's date nothing changes.
    end = {"ended_on": "2025-03-10", "reason": "not_working", "mentor_told_on": "2025-03-10"}
    assert "Mentee told on" in text(client.post(f"{page}end/", end, follow=True))
    assert Mentorship.objects.get().ended_on is None
    client.post(f"{page}end/", end | {"mentee_told_on": "2025-03-10"})
    ended = Mentorship.objects.get()
    assert (ended.end_reason, ended.mentee_told_on, ended.ended_by) == (
        "not_working",
        world.today,
        world.bob,
    )
    # His slot is free again.
    assert "is matched with this mentor" in text(match(client, mentor, world.at_limit))


def test_only_a_completer_can_be_vetted_and_a_facilitator_cannot_open_mentors(
    world: World, as_user
):
    assert as_user(world.alice).get("/connection/mentors/").status_code == 404
    response = vet(as_user(world.bob), world.good)  # active, not completed
    assert response.status_code == 400
    assert "choose a man who completed the program" in text(response)
    assert not Mentor.objects.exists()


def test_withdrawn_consent_needs_his_matches_ended_first(world: World, as_user):
    client = as_user(world.bob)
    vet(client, alumnus(world), capacity=2)
    mentor = Mentor.objects.get()
    match(client, mentor, world.good)
    withdraw = {"capacity": 2, "notes": "", "consent_withdrawn_on": "2025-03-09", "active": "on"}
    response = client.post(f"/connection/mentors/{mentor.pk}/", withdraw)
    assert response.status_code == 400
    assert "end his matches first" in text(response)
    mentor.refresh_from_db()
    assert mentor.consent_withdrawn_on is None


def test_a_partner_safety_hold_blocks_matching_without_saying_why(world: World, as_user):
    petra = as_user(world.petra)
    assert (
        petra.post("/connection/holds/", {"code": "RIV-101", "placed_on": "2025-03-10"}).status_code
        == 302
    )
    hold = MentoringHold.objects.get()
    assert (hold.participant, hold.placed_by) == (world.good.participant, world.petra)
    # Bob cannot open the holds page; his match is refused with no reason from the compartment.
    bob = as_user(world.bob)
    assert bob.get("/connection/holds/").status_code == 404
    vet(bob, alumnus(world))
    refused = text(match(bob, Mentor.objects.get(), world.good))
    assert "a partner-safety check has not cleared this match" in refused
    assert not Mentorship.objects.exists()
    # Lifted, he can be matched.
    # (as_user logs the one test client in as someone else: sign Petra in again.)
    as_user(world.petra).post(f"/connection/holds/{hold.pk}/lift/", {"lifted_on": "2025-03-10"})
    assert MentoringHold.objects.get().lifted_by == world.petra
    bob = as_user(world.bob)
    assert "is matched with this mentor" in text(match(bob, Mentor.objects.get(), world.good))
