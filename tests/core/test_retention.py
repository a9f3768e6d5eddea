"""Kaplan–Meier retention (alliance.core.retention)."""

from __future__ import annotations

import pytest

from alliance.core.retention import retention_curve


def test_it_matches_a_hand_computed_product_limit_estimate() -> None:
    # Five men: dropouts after 1 and 3 sessions; censored at 2, 4 and 5.
    # S(1) = 4/5 = 0.8; S(3) = 0.8 * (1 - 1/3) = 0.5333; S stays there to 5.
    # (Kaplan & Meier 1958, product-limit estimator, computed by hand.)
    curve = retention_curve([1, 2, 3, 4, 5], [True, False, True, False, False])
    assert curve.retained_after(0) == 1.0
    assert curve.retained_after(1) == pytest.approx(0.8)
    assert curve.retained_after(2.5) == pytest.approx(0.8)
    assert curve.retained_after(3) == pytest.approx(0.8 * 2 / 3)
    assert curve.retained_after(5) == pytest.approx(0.8 * 2 / 3)
    assert curve.n == 5
    assert curve.dropouts == 2
    assert all(
        lo <= s <= hi for lo, s, hi in zip(curve.lower, curve.retained, curve.upper, strict=True)
    )


def test_nobody_dropping_out_keeps_everyone_retained() -> None:
    curve = retention_curve([3, 5, 8], [False, False, False])
    assert set(curve.retained) == {1.0}


def test_an_empty_program_is_a_flat_line_not_an_error() -> None:
    curve = retention_curve([], [])
    assert curve.retained == (1.0,)
    assert curve.n == 0


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="one length"):
        retention_curve([1, 2], [True])
    with pytest.raises(ValueError, match="not negative"):
        retention_curve([-1], [True])
