"""The treatment plan: written by intake, its goals become accountability-plan goals
(``practice.PlanGoal``), and a facilitator of his group reads it without the assessment."""

from __future__ import annotations

import datetime as dt

from alliance.intake.models import TreatmentPlan, TreatmentPlanGoal
from alliance.practice.models import PlanGoal, PlanGoalChange
from tests.conftest import CLINICAL_SENTINEL
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def _write_plan(client, enrollment) -> None:
    response = client.post(
        f"/enrollments/{enrollment.pk}/treatment-plan/",
        {"focus": "Controlling behaviour.", "written_on": "2025-03-10", "review_on": "2025-06-10"},
    )
    assert response.status_code == 302


def test_a_goal_of_the_treatment_plan_joins_his_accountability_plan(world, as_user):
    client = as_user(world.ian)
    _write_plan(client, world.good)
    client.post(
        f"/enrollments/{world.good.pk}/treatment-plan/",
        {"goal": "Takes a time-out before raising his voice.", "review_on": "2025-04-07"},
    )
    goal = PlanGoal.objects.get(enrollment=world.good)
    assert goal.review_on == dt.date(2025, 4, 7)
    assert goal.created_by_id == world.ian.pk
    assert PlanGoalChange.objects.filter(goal=goal).count() == 1  # set through practice's service
    assert TreatmentPlanGoal.objects.get().goal == goal
    # The facilitator sees it where she follows every goal: his practice page.
    practice_page = text(
        as_user(world.alice).get(f"/participants/{world.good.participant_id}/practice/")
    )
    assert "Takes a time-out before raising his voice." in practice_page


def test_a_plan_review_date_before_it_was_written_is_refused(world, as_user):
    client = as_user(world.ian)
    response = client.post(
        f"/enrollments/{world.good.pk}/treatment-plan/",
        {"focus": "", "written_on": "2025-03-10", "review_on": "2025-03-01"},
        follow=True,
    )
    assert "Review date: must come after the date the plan was written." in text(response)
    assert not TreatmentPlan.objects.exists()


def test_a_goal_needs_a_plan_first(world, as_user):
    client = as_user(world.ian)
    response = client.post(
        f"/enrollments/{world.good.pk}/treatment-plan/",
        {"goal": "Something.", "review_on": "2025-04-07"},
        follow=True,
    )
    assert "write the plan" in text(response)
    assert not PlanGoal.objects.exists()


def test_alice_reads_the_plan_and_level_of_a_man_in_her_group_but_not_the_assessment(
    world, as_user
):
    ian = as_user(world.ian)
    _write_plan(ian, world.good)
    ian.post(
        f"/enrollments/{world.good.pk}/intake/assessment/",
        {
            "violence_history": CLINICAL_SENTINEL,
            "threats": "no",
            "weapons_access": "no",
            "strangulation": "no",
            "stalking": "no",
            "substance_use": "none",
            "children_in_home": "no",
            "protective_order": "none",
        },
    )
    ian.post(
        f"/enrollments/{world.good.pk}/intake/placement/",
        {"level": "level_1", "reason": f"Low risk {CLINICAL_SENTINEL}", "decided_on": "2025-03-10"},
    )
    alice = as_user(world.alice)
    page = alice.get(f"/enrollments/{world.good.pk}/treatment-plan/")
    assert page.status_code == 200
    assert "Controlling behaviour." in text(page)
    assert "Level 1 (at least 6 months)" in text(page)
    assert CLINICAL_SENTINEL not in text(page)  # neither the assessment nor the reason
    assert "Add a goal" not in text(page)
    his_page = text(alice.get(f"/participants/{world.good.participant_id}/?tab=documents"))
    assert "treatment plan" in his_page
    assert "intake record" not in his_page
    assert alice.get(f"/enrollments/{world.good.pk}/intake/").status_code == 404
    # She may not write it either.
    alice.post(
        f"/enrollments/{world.good.pk}/treatment-plan/",
        {"focus": "Changed", "written_on": "2025-03-10", "review_on": "2025-06-10"},
    )
    assert TreatmentPlan.objects.get().focus == "Controlling behaviour."


def test_charlie_at_south_cannot_read_north_plans(world, as_user):
    client = as_user(world.charlie)
    assert_same_not_found(
        client.get(f"/enrollments/{world.good.pk}/treatment-plan/"),
        client.get(f"/enrollments/{MISSING_ID}/treatment-plan/"),
    )
