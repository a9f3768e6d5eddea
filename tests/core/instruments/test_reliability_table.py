"""The evaluator's reliability table: alpha, standardized alpha, omega total, item statistics.

Reference data: Holzinger & Swineford (1939), the nine mental-ability tests of 301 seventh-
and eighth-grade children (real data; the copy here is the one distributed with R's lavaan as
``HolzingerSwineford1939``, columns x1-x9 only). The three classic scales are visual (x1-x3),
textual (x4-x6) and speed (x7-x9).

Published values: ``semTools::reliability()`` on the three-factor CFA of these data, as printed
in the semTools reference manual's example (Jorgensen et al., semTools 0.5):

            visual    textual   speed
    alpha   0.6261171 0.8827069 0.6884550
    omega   0.6253348 0.8851456 0.6877948

Alpha depends only on the covariance matrix, so ours must agree to the printed digits. semTools'
omega comes from one three-factor model (loadings shaped by all nine tests); ours from a
one-factor model of each scale, as an evaluator scoring one scale fits it. With three items
that model is just identified and the fit exact (lambda_1^2 = c12 c13 / c23), which the test
also checks; the two omegas differ by less than 0.01.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alliance import instruments_cli
from alliance.core.instruments import (
    cronbach_alpha,
    get_bundled,
    omega_total,
    scale_reliability,
)

DATA = Path(__file__).parent / "data" / "holzinger_swineford_1939.csv"
SCALES = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}
SEMTOOLS_ALPHA = {"visual": 0.6261171, "textual": 0.8827069, "speed": 0.6884550}
SEMTOOLS_OMEGA = {"visual": 0.6253348, "textual": 0.8851456, "speed": 0.6877948}


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    return pd.read_csv(DATA)


@pytest.mark.parametrize("scale", SCALES)
def test_alpha_agrees_with_the_published_table(hs: pd.DataFrame, scale: str) -> None:
    result = scale_reliability(hs[SCALES[scale]].to_numpy(), SCALES[scale])
    assert result.n == result.n_complete == 301
    assert result.alpha == pytest.approx(SEMTOOLS_ALPHA[scale], abs=5e-8)


@pytest.mark.parametrize("scale", SCALES)
def test_omega_is_the_exact_one_factor_fit_and_near_the_published_cfa(
    hs: pd.DataFrame, scale: str
) -> None:
    columns = SCALES[scale]
    result = scale_reliability(hs[columns].to_numpy(), columns)
    c = np.cov(hs[columns].to_numpy(), rowvar=False)
    l1 = np.sqrt(c[0, 1] * c[0, 2] / c[1, 2])
    loadings = np.array([l1, c[0, 1] / l1, c[0, 2] / l1])
    exact = loadings.sum() ** 2 / c.sum()
    assert result.omega_total == pytest.approx(exact, abs=1e-8)
    assert result.omega_total == pytest.approx(SEMTOOLS_OMEGA[scale], abs=0.01)


@pytest.mark.parametrize("scale", SCALES)
def test_standardized_alpha_is_alpha_of_the_standardized_items(
    hs: pd.DataFrame, scale: str
) -> None:
    block = hs[SCALES[scale]]
    z = ((block - block.mean()) / block.std()).to_numpy()
    result = scale_reliability(block.to_numpy(), SCALES[scale])
    assert result.standardized_alpha == pytest.approx(cronbach_alpha(z).alpha, abs=1e-12)


def test_item_statistics_match_a_direct_computation(hs: pd.DataFrame) -> None:
    items = [f"x{i}" for i in range(1, 10)]
    result = scale_reliability(hs[items].to_numpy(), items)
    for stats in result.items:
        rest = hs[[i for i in items if i != stats.item]]
        r = np.corrcoef(hs[stats.item], rest.sum(axis=1))[0, 1]
        assert stats.item_rest_r == pytest.approx(r, abs=1e-12)
        assert stats.alpha_if_deleted == pytest.approx(cronbach_alpha(rest.to_numpy()).alpha)
        assert stats.n == 301


def test_alpha_uses_pairwise_complete_covariances_when_answers_are_missing(
    hs: pd.DataFrame,
) -> None:
    block = hs[SCALES["textual"]].copy()
    rng = np.random.default_rng(7)
    for column in block:
        block.loc[rng.choice(len(block), 40, replace=False), column] = np.nan
    result = scale_reliability(block.to_numpy(), list(block.columns))
    c = block.cov().to_numpy()  # pandas: pairwise-complete
    assert result.alpha == pytest.approx(3 / 2 * (1 - np.trace(c) / c.sum()), abs=1e-12)
    listwise = cronbach_alpha(block.to_numpy())
    assert listwise.n == result.n_complete < result.n
    assert result.alpha != pytest.approx(listwise.alpha, abs=1e-6)


def test_omega_is_not_given_for_a_heywood_case() -> None:
    # Three items whose implied first loading exceeds its variance: c12 c13 / c23 > c11.
    c = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, 0.5], [0.9, 0.5, 1.0]])
    assert omega_total(c) is None
    assert omega_total(np.eye(2)) is None


def test_too_few_rows_give_no_figures() -> None:
    result = scale_reliability(np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]), ["a", "b", "c"])
    assert (result.alpha, result.omega_total, result.items) == (None, None, ())


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="alliance instruments")
    instruments_cli.add_subparsers(parser.add_subparsers(dest="instruments_command"))
    return instruments_cli.run(parser.parse_args(argv))


def test_the_command_prints_json_per_scale_with_reverse_keys_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition = get_bundled("scs_sf")
    reversed_items = {item.id for item in definition.items if item.reverse}
    assert reversed_items
    rng = np.random.default_rng(3)
    trait = rng.normal(size=200)
    rows = []
    for t in trait:
        row = {}
        for item in definition.items:
            low, high = item.response.min or 0, item.response.max or 0
            value = np.clip(np.round(3 + t + rng.normal(scale=0.7)), low, high)
            row[item.id] = low + high - value if item.reverse else value
        rows.append(row)
    path = tmp_path / "answers.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert _run("reliability", "--definition", "scs_sf", "--responses", str(path), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    total = next(s for s in report["scales"].values() if s["k"] == len(definition.items))
    assert total["alpha"] > 0.9  # keyed: one trait behind every item
    assert total["alpha_method"] == "pairwise-complete covariances"
    assert {"n", "alpha", "standardized_alpha", "omega_total", "items"} <= set(total)
    first = next(iter(total["items"].values()))
    assert {"item_rest_r", "alpha_if_deleted"} <= set(first)


def test_the_command_refuses_answers_outside_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition = get_bundled("scs_sf")
    path = tmp_path / "answers.csv"
    pd.DataFrame([{item.id: 99 for item in definition.items}]).to_csv(path, index=False)
    assert _run("reliability", "--definition", "scs_sf", "--responses", str(path)) == 2
    err = capsys.readouterr().err
    assert "row 1, item" in err
    assert "nothing computed" in err
