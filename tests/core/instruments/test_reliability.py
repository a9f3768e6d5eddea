"""Cronbach's alpha (pure: runs without Django settings)."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.core.instruments.reliability import cronbach_alpha


def test_alpha_matches_the_covariance_form_of_cronbachs_formula() -> None:
    # alpha = k/(k-1) * (1 - trace(C) / sum(C)), Cronbach (1951), eq. 2, computed independently.
    rng = np.random.default_rng(3)
    latent = rng.normal(size=(200, 1))
    answers = latent + rng.normal(scale=0.8, size=(200, 4))
    c = np.cov(answers, rowvar=False)
    expected = 4 / 3 * (1 - np.trace(c) / c.sum())
    assert cronbach_alpha(answers).alpha == pytest.approx(expected, rel=1e-12)


def test_a_hand_worked_example() -> None:
    # Three items, five people. Item variances (n-1): 2.5, 2.5, 0.5 (sum 5.5); totals
    # 6, 9, 6, 12, 12 with variance 9.0: alpha = 3/2 * (1 - 5.5 / 9) = 0.5833.
    answers = [[1, 2, 3], [2, 3, 4], [3, 1, 2], [4, 5, 3], [5, 4, 3]]
    assert cronbach_alpha(answers).alpha == pytest.approx(7 / 12)


def test_identical_items_give_one_and_independent_items_about_zero() -> None:
    column = np.arange(10, dtype=float)[:, None]
    assert cronbach_alpha(np.hstack([column] * 3)).alpha == pytest.approx(1.0)
    noise = np.random.default_rng(0).normal(size=(5000, 4))
    assert abs(cronbach_alpha(noise).alpha or 0) < 0.05


def test_incomplete_rows_are_dropped_and_small_samples_give_none() -> None:
    answers = [[1, 2], [2, 3], [np.nan, 1], [3, 3]]
    result = cronbach_alpha(answers)
    assert result.n == 3
    assert cronbach_alpha([[1, 2], [2, 3]]).alpha is None
    assert cronbach_alpha([[1, 1], [1, 1], [1, 1]]).alpha is None


def test_a_one_dimensional_input_is_refused() -> None:
    with pytest.raises(ValueError, match="2-D"):
        cronbach_alpha([1, 2, 3])
