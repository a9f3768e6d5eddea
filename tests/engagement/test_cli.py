"""``alliance engagement evaluate --synthetic`` prints the agreed JSON keys."""

from __future__ import annotations

import json

from alliance.cli import main


def test_evaluate_prints_the_agreed_figures(capsys) -> None:
    assert (
        main(
            [
                "engagement",
                "evaluate",
                "--synthetic",
                "--participants",
                "600",
                "--seed",
                "3",
                "--json",
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    for key in (
        "model_auc",
        "oracle_auc",
        "brier",
        "calibration_slope",
        "recall_at_fpr_20",
        "naive_rule_recall",
    ):
        assert isinstance(result[key], float), key
    assert 0.5 < result["model_auc"] <= 1


def test_evaluate_refuses_without_synthetic(capsys) -> None:
    assert main(["engagement", "evaluate", "--participants", "600"]) == 2
    assert "--synthetic" in capsys.readouterr().err
