"""Retention: ``alliance purge-closed`` deletes men whose every enrollment closed N years ago.

The clock is frozen (tests/web/conftest.py) and moved forward with time_machine.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from alliance import cli
from alliance.audit.models import AccessEvent
from alliance.core.enrollment import EnrollmentStatus
from alliance.identity.models import ParticipantIdentity
from alliance.intake.models import (
    AgreementLink,
    AgreementVersion,
    Assessment,
    CollateralContact,
    ParticipantDocument,
    SignedAgreement,
    TreatmentPlanGoal,
)
from alliance.participants.models import Enrollment, Participant
from alliance.participants.services import change_enrollment_status
from alliance.practice.models import PlanGoal
from alliance.programs.models import Attendance
from alliance.rights.holdings import SOFT_REFERENCES
from alliance.rights.models import DataExport, RetentionPolicy, RetentionPurge
from alliance.rights.services import purge_closed
from tests.conftest import CLINICAL_SENTINEL, IDENTITY_SENTINELS, PARTNER_SENTINEL
from tests.every_table import HIS_EMAIL, fill_every_table, plant_sentinels
from tests.factories import enroll
from tests.identity_fixture import BIRTH_DATE

ENDED = dt.date(2025, 3, 7)


def close(enrollment, target=EnrollmentStatus.DROPPED_OUT, on=ENDED):
    change_enrollment_status(
        actor=None, enrollment=enrollment, target=target, effective_on=on, reason="Left"
    )


def years_later(clock, years, days=0):
    clock.move_to(dt.datetime(2025 + years, 3, 9, 20, 45, tzinfo=dt.UTC) + dt.timedelta(days))


def purge(**kwargs):
    out = io.StringIO()
    call_command("purge_closed", stdout=out, **kwargs)
    return out.getvalue()


def test_it_purges_a_man_whose_every_enrollment_closed_long_ago(world, frozen_clock):
    man = world.good.participant
    close(world.good)
    years_later(frozen_clock, 7, days=1)

    output = purge()

    assert not Participant.objects.filter(pk=man.pk).exists()
    assert not Enrollment.objects.filter(pk=world.good.pk).exists()
    assert not Attendance.objects.filter(enrollment_id=world.good.pk).exists()
    assert not Participant.history.filter(id=man.pk).exists()
    assert not Enrollment.history.filter(id=world.good.pk).exists()
    assert Participant.objects.filter(code="RIV-102").exists()
    entry = RetentionPurge.objects.get(organization=world.riverside)
    assert entry.purged_count == 1
    assert entry.purged_ids == [man.pk]
    assert entry.policy_years == 7
    assert entry.cutoff == dt.date(2025, 3, 11)
    assert entry.finished_at is not None
    assert "purged 1 (policy 7 years" in output
    assert "RIV" not in output


def test_it_keeps_a_man_until_the_period_is_over(world, frozen_clock):
    close(world.good)
    years_later(frozen_clock, 7, days=-3)

    purge()

    assert Participant.objects.filter(pk=world.good.participant_id).exists()
    assert RetentionPurge.objects.get(organization=world.riverside).purged_count == 0


def test_open_enrollments_are_never_purged(world, frozen_clock):
    years_later(frozen_clock, 40)

    purge()

    assert Participant.objects.filter(organization=world.riverside).count() == 7
    assert Enrollment.objects.count() == 7


def test_one_open_enrollment_keeps_a_man_with_an_old_closed_one(world, frozen_clock):
    close(world.good)
    enroll(
        world.good.participant,
        world.program_b,
        referred_on=dt.date(2025, 3, 1),
        status=EnrollmentStatus.INTAKE,
    )
    years_later(frozen_clock, 20)

    purge()

    assert Participant.objects.filter(pk=world.good.participant_id).exists()
    assert Enrollment.objects.filter(participant_id=world.good.participant_id).count() == 2


def test_a_dry_run_lists_who_would_go_and_deletes_nothing(world, frozen_clock):
    close(world.good)
    close(world.breach, EnrollmentStatus.TRANSFERRED)
    years_later(frozen_clock, 8)

    output = purge(dry_run=True)

    assert "would purge 2" in output
    assert str(world.good.participant_id) in output
    assert "RIV" not in output
    assert Participant.objects.filter(organization=world.riverside).count() == 7
    assert not RetentionPurge.objects.exists()


def test_an_organization_policy_overrides_the_default(world, frozen_clock, settings):
    settings.RETENTION_YEARS = 2
    RetentionPolicy.objects.create(organization=world.riverside, years=10)
    close(world.good)
    years_later(frozen_clock, 8)

    result = purge_closed(organization=world.riverside, dry_run=False)

    assert result.participant_ids == []
    assert result.years == 10
    years_later(frozen_clock, 11)
    assert purge_closed(organization=world.riverside, dry_run=False).participant_ids == [
        world.good.participant_id
    ]


def test_the_default_comes_from_settings(world, frozen_clock, settings):
    settings.RETENTION_YEARS = 2
    close(world.good)
    years_later(frozen_clock, 3)

    assert purge_closed(organization=world.riverside, dry_run=True).participant_ids == [
        world.good.participant_id
    ]


def test_the_alliance_command_spells_it_with_a_dash(monkeypatch):
    # Django's command runner closes every database connection when it finishes (which breaks
    # the test database on PostgreSQL), so the alias is checked where it is resolved.
    seen: list[list[str]] = []
    monkeypatch.setattr(cli, "_run_alias", lambda word, rest: seen.append([word, *rest]) or 0)

    assert cli.main(["purge-closed", "--dry-run"]) == 0

    assert seen == [["purge-closed", "--dry-run"]]
    assert cli.COMMAND_ALIASES["purge-closed"] == "purge_closed"


def test_an_unknown_organization_is_named_in_the_error(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--organization: no organization 'nowhere'"):
        purge(organization="nowhere")


def test_a_failure_leaves_that_man_whole_and_unrecorded(world, frozen_clock, monkeypatch):
    from alliance.rights import services

    real = services._delete_holdings

    def delete_then_fail(participant):
        real(participant)
        raise RuntimeError("disk full")

    close(world.good)
    years_later(frozen_clock, 8)
    monkeypatch.setattr(services, "_delete_holdings", delete_then_fail)

    with pytest.raises(RuntimeError):
        purge_closed(organization=world.riverside, dry_run=False)

    assert Participant.objects.filter(pk=world.good.participant_id).exists()
    assert Attendance.objects.filter(enrollment_id=world.good.pk).exists()
    assert RetentionPurge.objects.get().purged_ids == []


def test_a_man_reopened_after_the_listing_is_not_purged(world, frozen_clock):
    from alliance.rights import services

    close(world.good)
    years_later(frozen_clock, 8)
    entry = RetentionPurge.objects.create(
        organization=world.riverside,
        started_at=dt.datetime(2033, 3, 9, tzinfo=dt.UTC),
        policy_years=7,
        cutoff=dt.date(2026, 3, 10),
    )
    Enrollment.objects.filter(pk=world.good.pk).update(status=EnrollmentStatus.ACTIVE)

    assert services._purge_one(world.good.participant_id, entry) is False
    assert Participant.objects.filter(pk=world.good.participant_id).exists()


def _his_ids(world) -> dict[type, set[int]]:
    return {Participant: {world.good.participant.pk}, Enrollment: {world.good.pk}}


def test_after_a_purge_no_row_in_any_table_references_him_or_holds_his_text(
    world, frozen_clock, as_user
):
    fill_every_table(world, as_user)
    plant_sentinels(world.good.participant, group_sessions=False)
    close(Enrollment.objects.get(pk=world.good.pk), on=world.today)
    visits = AccessEvent.objects.filter(participant_id=world.good.participant.pk).count()
    frozen_clock.move_to(dt.datetime(2033, 3, 12, tzinfo=dt.UTC))
    ids = _his_ids(world)
    assert ParticipantIdentity.history.filter(participant_id=world.good.participant.pk).count() == 2

    purge()

    his_text = (
        *("RIV-101", HIS_EMAIL, CLINICAL_SENTINEL, PARTNER_SENTINEL, "Her Name"),
        *IDENTITY_SENTINELS,
        BIRTH_DATE.isoformat(),
    )
    kept_by_design = {(RetentionPurge, "purged_ids"), (DataExport, "participant_pk")}
    for model in apps.get_models(include_auto_created=True):
        columns = [f for f in model._meta.concrete_fields if (model, f.name) not in kept_by_design]
        for row in model._base_manager.values_list(*[f.attname for f in columns]):
            for column, value in zip(columns, row, strict=True):
                text = str(value)
                assert not any(t in text for t in his_text), (model._meta.label, column.name)
                target = getattr(column, "related_model", None)
                if target in ids:
                    assert value not in ids[target], (model._meta.label, column.name)
        for holder, column, target in SOFT_REFERENCES:
            if holder is model and (holder, column) not in kept_by_design:
                filter = {f"{column}__in": ids[target]}
                assert not model._base_manager.filter(**filter).exists(), model._meta.label
    # The access log keeps who opened what and when, about nobody.
    erased = AccessEvent.objects.filter(participant__isnull=True, path="")
    assert erased.count() >= visits > 0
    assert PlanGoal.history.count() == 0
    # The fee ledger (append-only) keeps every amount, so the books still add up, about nobody.
    from alliance.fees.models import LedgerEntry

    assert LedgerEntry.objects.count() == 5
    assert not LedgerEntry.objects.filter(enrollment__isnull=False).exists()
    # His identity and every version of it went with him.
    assert not ParticipantIdentity.objects.exists()
    assert ParticipantIdentity.history.count() == 0
    # His uploaded documents, signed agreements (PDF and signature), links and assessment.
    for model in (
        ParticipantDocument,
        SignedAgreement,
        AgreementLink,
        Assessment,
        Assessment.history.model,
        CollateralContact,
        TreatmentPlanGoal,
    ):
        assert not model._base_manager.exists(), model._meta.label
    assert AgreementVersion.objects.exists()  # the program's text is not his
