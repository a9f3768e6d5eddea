from __future__ import annotations

from alliance.practice.models import SelfPractice, Supervision


def _log(client, minutes="15", reflection="Noticed my own impatience."):
    return client.post(
        "/self-practice/",
        {"practised_on": "2025-03-08", "minutes": minutes, "reflection": reflection},
    )


def test_a_facilitator_logs_her_own_practice(world, as_user) -> None:
    assert _log(as_user(world.alice)).status_code == 302
    entry = SelfPractice.objects.get()
    assert entry.facilitator == world.alice
    assert entry.minutes == 15
    assert (
        "Noticed my own impatience." in as_user(world.alice).get("/self-practice/").content.decode()
    )


def test_a_supervisor_sees_only_those_he_supervises(world, as_user) -> None:
    _log(as_user(world.alice))
    _log(as_user(world.charlie), reflection="Charlie's reflection.")
    assert "impatience" not in as_user(world.bob).get("/self-practice/").content.decode()
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    page = as_user(world.bob).get("/self-practice/").content.decode()
    assert "impatience" in page
    assert "Charlie's reflection." not in page
    assert "do not show that self-practice causes retention" in page
    assert "impatience" not in as_user(world.charlie).get("/self-practice/").content.decode()


def test_figures_put_practice_next_to_retention(world, as_user) -> None:
    _log(as_user(world.alice), minutes="20")
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    page = as_user(world.bob).get("/self-practice/").content.decode()
    # Alice: one session, 20 minutes; group A has four men, none dropped out.
    assert "<td>1</td><td>20</td><td>4</td><td>0</td><td>100%</td>" in page


def test_non_clinical_roles_have_no_self_practice_page(world, as_user) -> None:
    assert as_user(world.petra).get("/self-practice/").status_code == 404
    assert as_user(world.eve).get("/self-practice/").status_code == 404
