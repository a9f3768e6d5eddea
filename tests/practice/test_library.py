from __future__ import annotations

from alliance.practice.models import Practice


def test_it_ships_at_least_twelve_complete_practices(db) -> None:
    built_in = Practice.objects.filter(organization__isnull=True)
    assert built_in.count() >= 12
    for p in built_in:
        assert p.purpose
        assert p.script
        assert len(p.step_list) >= 3
        assert p.minutes > 0
        assert p.introduced_in_session


def test_a_facilitator_reads_the_library(world, as_user) -> None:
    response = as_user(world.alice).get("/practices/")
    assert response.status_code == 200
    assert "Steady breathing" in response.content.decode()
    practice = Practice.objects.get(slug="partner-experience")
    page = as_user(world.alice).get(f"/practices/{practice.pk}/")
    assert "Her side of the room" in page.content.decode()


def test_it_hides_the_library_from_non_clinical_roles(world, as_user) -> None:
    for user in (world.petra, world.eve):
        assert as_user(user).get("/practices/").status_code == 404


def test_a_manager_adds_and_edits_an_agency_practice_keeping_versions(world, as_user) -> None:
    client = as_user(world.mona)
    form = {
        "title": "Walking it off",
        "slug": "walking",
        "purpose": "Move the body.",
        "steps": "Walk\nBreathe\nReturn",
        "script": "Walk slowly.",
        "minutes": "10",
        "introduced_in_session": "4",
        "is_active": "on",
    }
    assert client.post("/practices/new/", form).status_code == 302
    practice = Practice.objects.get(slug="walking")
    assert practice.organization == world.riverside
    client.post(f"/practices/{practice.pk}/edit/", {**form, "title": "Walking it off, slowly"})
    practice.refresh_from_db()
    assert practice.title == "Walking it off, slowly"
    assert practice.history.count() == 2
    assert "Walking it off" in client.get(f"/practices/{practice.pk}/").content.decode()


def test_nobody_edits_a_built_in_or_another_agencys_practice(world, as_user) -> None:
    built_in = Practice.objects.get(slug="steady-breath")
    assert as_user(world.mona).get(f"/practices/{built_in.pk}/edit/").status_code == 404
    assert as_user(world.alice).get("/practices/new/").status_code == 404
    theirs = Practice.objects.create(
        organization=world.outsider.membership.organization,
        slug="theirs",
        title="Theirs",
        purpose="x",
        steps="a",
        script="b",
        minutes=3,
    )
    assert as_user(world.mona).get(f"/practices/{theirs.pk}/").status_code == 404


def test_the_panels_appear_on_staff_pages(world, as_user) -> None:
    client = as_user(world.alice)
    assert "/self-practice/" in client.get("/").content.decode()
    assert "Assign to the group" in client.get(f"/groups/{world.group_a.pk}/").content.decode()
    page = client.get(f"/participants/{world.good.participant_id}/?tab=practice").content.decode()
    assert f"/participants/{world.good.participant_id}/practice/" in page
    evaluator_home = as_user(world.eve).get("/").content.decode()
    assert "/self-practice/" not in evaluator_home
