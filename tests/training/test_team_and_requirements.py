"""A program's requirement (presets and custom figures) and the team page's status per
person, with the exact reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from alliance.organizations.models import Membership
from alliance.training.models import TrainingRequirement
from alliance.training.services import record_training_entry


def test_the_manager_applies_the_california_preset(world, as_user):
    client = as_user(world.mona)
    response = client.post(
        f"/programs/{world.program.pk}/training/", {"preset": "california", "due_soon_days": "60"}
    )
    assert response.status_code == 302
    row = TrainingRequirement.objects.get(program=world.program)
    assert (row.core_hours, row.trainee_hours, row.ce_hours_per_year) == (40, 104, 16)
    assert row.updated_by == world.mona
    page = client.get(f"/programs/{world.program.pk}/training/").content.decode()
    assert "self-law.org/code/ca/penal-code/1203-098" in page


def test_custom_figures_are_kept_and_a_bad_one_is_named(world, as_user):
    client = as_user(world.mona)
    url = f"/programs/{world.program.pk}/training/"
    client.post(
        url,
        {
            "preset": "custom",
            "core_hours": "30",
            "ce_hours_per_year": "12",
            "observation_every_months": "4",
            "due_soon_days": "45",
        },
    )
    row = TrainingRequirement.objects.get(program=world.program)
    assert (row.core_hours, row.ce_hours_per_year, row.observation_every_months) == (30, 12, 4)
    bad = client.post(url, {"preset": "custom", "core_hours": "-3", "due_soon_days": "45"})
    assert bad.status_code == 400
    assert "core hours: Ensure this value is greater than or equal to 0." in bad.content.decode()


def test_a_facilitator_cannot_set_the_requirement(world, as_user):
    response = as_user(world.alice).post(
        f"/programs/{world.program.pk}/training/", {"preset": "none", "due_soon_days": "60"}
    )
    assert response.status_code == 404
    assert not TrainingRequirement.objects.exists()


def test_the_team_page_gives_each_person_their_status_and_reason(world, as_user):
    client = as_user(world.mona)
    client.post(
        f"/programs/{world.program.pk}/training/", {"preset": "california", "due_soon_days": "60"}
    )
    record_training_entry(
        actor=world.alice,
        person=Membership.objects.get(user=world.alice),
        kind="core",
        topic="Domestic violence knowledge",
        provider="",
        completed_on=dt.date(2025, 2, 1),
        hours=Decimal(8),
        now=timezone.now(),
    )
    page = as_user(world.bob).get("/training/team/").content.decode()
    assert "8 of 40 core training hours; 32 to go before facilitating." in page
    assert "Missing" in page
    assert as_user(world.alice).get("/training/team/").status_code == 404
    mine = as_user(world.alice).get("/training/").content.decode()
    assert "8 of 40 core training hours; 32 to go before facilitating." in mine
