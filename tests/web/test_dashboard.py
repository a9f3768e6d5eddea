"""GET /dashboard/ — enrollment, retention, completion, attendance and compliance figures."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alliance.participants.models import Enrollment
from tests.web.helpers import assert_redirects_to_login, text

URL = reverse("dashboard")


def section(body: str, anchor: str) -> str:
    start = body.index(f'id="{anchor}"')
    end = body.find("</section>", start)
    return body[start:end]


def test_it_shows_enrollments_by_status(world, as_user):
    response = as_user(world.mona).get(URL)

    assert response.status_code == 200
    status = section(text(response), "status")
    # Site 1 only: RIV-101..104 and RIV-301 active, RIV-105 at intake.
    assert "Enrollments by status (6)" in status
    assert '<th scope="row">Active</th><td>5</td>' in status
    assert '<th scope="row">Intake</th><td>1</td>' in status
    assert '<th scope="row">Discharged</th><td>0</td>' in status


def test_it_draws_the_retention_curve_as_svg(world, as_user):
    retention = section(text(as_user(world.mona).get(URL)), "retention")

    assert "<svg" in retention
    assert "Retention by session (n = 5, 0 dropped out)" in retention


def test_it_shows_completion_and_attendance_by_group_and_facilitator(world, as_user):
    body = text(as_user(world.mona).get(URL))
    groups = section(body, "groups")
    facilitators = section(body, "facilitators")

    # Group A: 8 + 8 + 8 + 3 marks, 6 + 5 absences -> 22 of 27 attended = 81%.
    assert re.search(
        r"Group A \(Respectful Relationships\)</th><td>4</td><td>4</td><td>0 / 0</td>"
        r"<td><span class=\"muted\">in progress: nobody has finished or left yet</span></td>"
        r"<td>81%</td>",
        groups,
    )
    # The table says it all: no bar chart repeating it.
    assert "Attendance rate by group" not in groups
    assert "<svg" not in groups
    assert "Alice Tester" in facilitators
    assert "Fred Tester" in facilitators
    assert "Charlie" not in body
    assert "Group B" not in body


def test_it_lists_the_compliance_actions_due_with_codes_for_managers(world, as_user):
    actions = section(text(as_user(world.mona).get(URL)), "actions")

    assert '<th scope="row">Non-compliance notice to probation due</th><td>1</td>' in actions
    assert "Warning letter due" in actions
    assert reverse("participant", args=[world.breach.participant_id]) in actions
    assert "RIV-103" in actions


def test_an_evaluator_sees_the_figures_but_no_participant_codes(world, as_user):
    response = as_user(world.eve).get(URL)

    assert response.status_code == 200
    body = text(response)
    assert "Non-compliance notice to probation due" in body
    assert "<svg" in body
    assert "RIV-" not in body
    assert "/participants/" not in body


def test_it_follows_a_discharge(world, as_user):
    client = as_user(world.mona)
    client.post(
        reverse("enrollment-action", args=[world.breach.pk, "discharge"]),
        {
            "effective_on": "2025-03-10",
            "reason": "Breach.",
            "discharge_reason": "non_compliance",
            "confirm": "on",
        },
    )
    body = text(client.get(URL))

    assert Enrollment.objects.get(pk=world.breach.pk).status == "discharged"
    assert '<th scope="row">Discharged</th><td>1</td>' in section(body, "status")
    assert "Non-compliance notice" not in section(body, "actions")


def test_the_org_admin_sees_both_sites(world, as_user):
    body = text(as_user(world.olga).get(URL))

    assert "Enrollments by status (7)" in body
    assert "Group B (Safe at Home)" in body


def test_a_manager_cannot_pick_a_program_of_another_site(world, as_user):
    client = as_user(world.mona)

    assert client.get(URL, {"program": world.program_b.pk}).status_code == 404
    assert client.get(URL, {"program": world.program.pk}).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "charlie", "petra"])
def test_it_is_denied_to_roles_without_dashboards(world, as_user, persona):
    assert as_user(getattr(world, persona)).get(URL).status_code == 404


def test_the_outsider_sees_none_of_riverside(world, as_user):
    response = as_user(world.outsider).get(URL)

    assert response.status_code == 200
    body = text(response)
    assert "Enrollments by status (0)" in body
    assert "Respectful Relationships" not in body
    assert as_user(world.outsider).get(URL, {"program": world.program.pk}).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    assert_redirects_to_login(client.get(URL), URL)
