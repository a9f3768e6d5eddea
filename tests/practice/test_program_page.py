from __future__ import annotations

from alliance.practice.models import Assignment, Practice, PracticeLog, Via


def _homework_with_one_log(world) -> None:
    assignment = Assignment.objects.create(
        practice=Practice.objects.get(slug="steady-breath"),
        group=world.group_a,
        session=world.sessions_a[-2],
        due_on=world.today,
    )
    PracticeLog.objects.create(
        enrollment=world.good,
        practice=assignment.practice,
        assignment=assignment,
        logged_on=world.today,
        done=True,
        minutes=5,
        via=Via.LINK,
        idempotency_key="p1",
    )


def test_it_shows_group_completion_by_session_without_codes(world, as_user) -> None:
    _homework_with_one_log(world)
    for user in (world.bob, world.eve):
        page = as_user(user).get(f"/programs/{world.program.pk}/practice/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "<td>Steady breathing</td><td>1</td><td>4</td>" in html
        assert "RIV-101" not in html
        assert "No self-compassion (SCS-SF) scores yet." in html


def test_it_refuses_roles_without_dashboards_and_other_sites(world, as_user) -> None:
    assert as_user(world.petra).get(f"/programs/{world.program.pk}/practice/").status_code == 404
    assert as_user(world.bob).get(f"/programs/{world.program_b.pk}/practice/").status_code == 404
    assert as_user(world.outsider).get(f"/programs/{world.program.pk}/practice/").status_code == 404


def test_the_library_links_program_figures_for_dashboard_roles(world, as_user) -> None:
    url = f"/programs/{world.program.pk}/practice/"
    assert url in as_user(world.bob).get("/practices/").content.decode()
    assert url not in as_user(world.alice).get("/practices/").content.decode()
