"""Every installed model declares its data class (alliance/data_classes.py)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from alliance.data_classes import (
    DataClass,
    UnclassifiedModel,
    class_of,
    field_classes,
    partner_rows,
    withheld,
)
from alliance.outcomes.models import FollowUp, OutcomeEvent

pytestmark = pytest.mark.django_db


def test_every_installed_model_declares_a_data_class():
    unclassified = []
    for model in apps.get_models(include_auto_created=True):
        try:
            class_of(model)
            field_classes(model)
        except UnclassifiedModel as exc:
            unclassified.append(str(exc))
    assert unclassified == []


@isolate_apps("alliance.rights")
def test_a_model_without_a_declaration_is_refused():
    class Undeclared(models.Model):
        class Meta:
            app_label = "rights"

        def __str__(self) -> str:
            return "undeclared"

    with pytest.raises(UnclassifiedModel, match="declares no data class"):
        class_of(Undeclared)


def test_history_and_through_tables_follow_their_model():
    assert class_of(apps.get_model("safety", "HistoricalPartnerRecord")) == DataClass.PARTNER
    assert class_of(apps.get_model("practice", "HistoricalPlanGoal")) == DataClass.THERAPEUTIC
    assert class_of(apps.get_model("auth", "User_groups")) == DataClass.SECURITY
    assert class_of(apps.get_model("sessions", "Session")) == DataClass.SECURITY
    assert class_of(apps.get_model("otp_totp", "TOTPDevice")) == DataClass.SECURITY


def test_partner_sourced_follow_up_rows_are_partner_data(world):
    man = world.good.participant
    official = FollowUp.objects.create(
        participant=man,
        source="official_record",
        window_start=world.today,
        window_end=world.today,
        checkpoint_months=6,
    )
    interview = FollowUp.objects.create(
        participant=man,
        source="partner_report",
        window_start=world.today,
        window_end=world.today,
        checkpoint_months=6,
    )
    rows = FollowUp.objects.filter(partner_rows(FollowUp))
    assert list(rows) == [interview]
    assert official not in rows
    assert partner_rows(OutcomeEvent) is not None


def test_what_is_withheld_from_him_names_partner_and_security_data_only():
    out = withheld(frozenset(DataClass) - {DataClass.PARTNER, DataClass.SECURITY})
    assert set(out) == {DataClass.PARTNER, DataClass.SECURITY}
    assert "measures.kioskpin.pin_hash" in out[DataClass.SECURITY]
    assert "outcomes.outcomeevent (partner rows)" in out[DataClass.PARTNER]
