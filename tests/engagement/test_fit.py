"""The refit on an organization's own history, stored and versioned; the score stays inside.

A simulated history (literature-parameterised simulator, 900 men in weekly cohorts) is
written into the database; ``alliance engagement fit`` must learn from it, store a version
with its held-out metrics and adopt it only if it beats the cold start.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from alliance.cli import main
from alliance.demo.history import load_synthetic_history
from alliance.engagement.models import DropoutModel
from alliance.engagement.selectors import active_model, engagement_frames
from alliance.engagement.services import fit_dropout_model
from alliance.measures.releases.selectors import reportable_scores
from alliance.participants.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    return load_synthetic_history(
        organization=world.riverside,
        site=world.north,
        participants=900,
        seed=4,
        today=world.today,
    )


def test_too_little_history_keeps_the_cold_start(world) -> None:
    result = fit_dropout_model(organization=world.riverside, today=world.today)
    assert not result.adopted
    assert "Too little history" in result.message
    assert not DropoutModel.objects.exists()
    model, stored = active_model(world.riverside.pk)
    assert stored is None
    assert model.source == "cold_start"


def _frames_label_the_last_session_of_each_dropout(world, history) -> None:
    frames = engagement_frames(Enrollment.objects.filter(program=history), today=world.today)
    labels = frames.sessions.groupby("participant_id")["dropped_out_after"].sum()
    dropped = set(
        Enrollment.objects.filter(program=history, status="dropped_out").values_list(
            "pk", flat=True
        )
    )
    assert set(labels[labels == 1].index) <= dropped
    assert labels.max() == 1


def test_a_refit_is_stored_versioned_and_adopted_only_when_better(world, history, as_user) -> None:
    _frames_label_the_last_session_of_each_dropout(world, history)
    first = fit_dropout_model(organization=world.riverside, today=world.today)
    assert first.stored is not None
    stored = DropoutModel.objects.get()
    assert stored.version == 1
    assert stored.is_active == first.adopted
    cv, cold = stored.metrics["cv"], stored.metrics["cold_start_cv"]
    assert first.adopted == (cv["brier"] < cold["brier"] and cv["auc"] > cold["auc"])
    assert 0.6 < cv["auc"] < 1
    assert {r["group"] for r in stored.metrics["by_referral_source"]} >= {"court", "self"}
    assert stored.metrics["by_age_group"]
    json.dumps(stored.parameters)  # plain JSON: coefficients and scaler

    second = fit_dropout_model(organization=world.riverside, today=world.today)
    assert second.stored is not None
    assert second.stored.version == 2
    assert DropoutModel.objects.filter(is_active=True).count() <= 1

    # The card's figures come from the out-of-time backtest stored with its date: trained on
    # men who started before the split date, scored on the men who started after it.
    backtest = second.stored.metrics["backtest"]
    assert backtest["evaluated_on"] == world.today.isoformat()
    card = as_user(world.eve).get(reverse("engagement-model-card")).content.decode()
    assert "Out-of-time check on this program" in card
    if "error" in backtest:
        assert "not possible yet" in card
    else:
        assert backtest["split_date"] in card
        assert backtest["train_men"] > 0
        assert backtest["test_men"] > 0
        assert f"{backtest['model_auc']:.3f}" in card
    assert "By age group" in card
    assert "By referral source" in card


def test_the_command_fits_and_the_score_never_reaches_outside_reports(
    world, history, capsys
) -> None:
    assert main(["engagement", "fit", "--organization", world.riverside.slug]) == 0
    out = capsys.readouterr().out
    assert out.startswith("riverside: ")
    assert DropoutModel.objects.count() == 1

    # Reports and exports build their measures from reportable_scores; the dropout score is
    # not a Score row, so it cannot appear there whatever releases exist.
    scores = reportable_scores(Enrollment.objects.all(), releases=[], today=world.today)
    assert not scores.filter(instrument_id__icontains="engagement").exists()
    assert not scores.filter(instrument_id__icontains="dropout").exists()


def test_evaluate_database_backtests_by_start_date(world, history, capsys) -> None:
    code = main(
        ["engagement", "evaluate", "--database", "--organization", world.riverside.slug, "--json"]
    )
    out, err = capsys.readouterr()
    if code == 1:  # too little history on one side of the split: said, never guessed
        assert "too" in err
        return
    assert code == 0
    result = json.loads(out)
    assert result["source"] == "out_of_time"
    assert result["oracle_auc"] is None
    assert result["evaluated_on"] == world.today.isoformat()
    assert main(["engagement", "evaluate", "--database", "--organization", "nowhere"]) == 2
