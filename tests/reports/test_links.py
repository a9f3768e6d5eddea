"""The reports pages are reached from the participant page and the program dashboard."""

from __future__ import annotations


def test_the_participant_page_links_each_enrollment_to_its_reports(reports_world, as_user) -> None:
    page = as_user(reports_world.alice).get(f"/participants/{reports_world.good.participant_id}/")
    assert f'href="/enrollments/{reports_world.good.pk}/reports/"' in page.content.decode()


def test_the_dashboard_links_to_the_program_reports_for_managers_only(
    reports_world, as_user
) -> None:
    link = f'href="/programs/{reports_world.program.pk}/reports/"'
    assert link in as_user(reports_world.mona).get("/dashboard/").content.decode()
    assert link not in as_user(reports_world.eve).get("/dashboard/").content.decode()


def test_each_due_compliance_action_on_the_dashboard_links_to_his_reports(
    reports_world, as_user
) -> None:
    body = as_user(reports_world.mona).get("/dashboard/").content.decode()
    assert "Non-compliance notice to probation due" in body
    assert f'href="/enrollments/{reports_world.breach.pk}/reports/"' in body


def test_his_reports_page_says_which_notice_is_due(reports_world, as_user) -> None:
    body = as_user(reports_world.mona).get(f"/enrollments/{reports_world.breach.pk}/reports/")
    assert "Due now:</strong> Non-compliance notice to probation due" in body.content.decode()
