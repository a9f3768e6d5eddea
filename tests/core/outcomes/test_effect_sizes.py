"""Effect sizes against Lakens (2013) and the noncentral-t definition of their intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from alliance.core.instruments.change import ChangeClass
from alliance.core.outcomes import MeasureNorms, change_classes_by_measure, cohens_d, cohens_dz

# Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative science.
# Frontiers in Psychology, 4, 863, Table 1: ratings of two movies by ten people.
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def test_cohens_ds_matches_lakens_2013() -> None:
    # "Cohen's d_s = 1.13" (Lakens 2013, between-subjects example).
    d = cohens_d(MOVIE_1, MOVIE_2)
    assert d.estimate == pytest.approx(1.126, abs=5e-4)
    assert d.n == 20


def test_cohens_dz_matches_lakens_2013() -> None:
    # "Cohen's d_z = 1.50" (Lakens 2013, the same ratings as a within-subjects design).
    dz = cohens_dz(MOVIE_2, MOVIE_1)
    assert dz.estimate == pytest.approx(1.500, abs=5e-4)
    assert dz.n == 10


@pytest.mark.parametrize("which", ["d", "dz"])
def test_interval_limits_put_the_observed_t_at_the_tails(which: str) -> None:
    # Definition of the noncentral-t interval (Cumming & Finch 2001): at the lower limit the
    # observed t is the 97.5th percentile, at the upper limit the 2.5th.
    if which == "d":
        es = cohens_d(MOVIE_1, MOVIE_2)
        scale, df = math.sqrt(1 / 10 + 1 / 10), 18
        t = es.estimate / scale
        lo, hi = es.lower / scale, es.upper / scale
    else:
        es = cohens_dz(MOVIE_2, MOVIE_1)
        scale, df = 1 / math.sqrt(10), 9
        t = es.estimate / scale
        lo, hi = es.lower / scale, es.upper / scale
    assert stats.nct.cdf(t, df, lo) == pytest.approx(0.975, abs=1e-8)
    assert stats.nct.cdf(t, df, hi) == pytest.approx(0.025, abs=1e-8)
    assert es.lower < es.estimate < es.upper


def test_large_sample_interval_agrees_with_hedges_and_olkin() -> None:
    rng = np.random.default_rng(5)
    a, b = rng.normal(0.5, 1, 2000), rng.normal(0, 1, 2000)
    d = cohens_d(a, b)
    se = math.sqrt(4000 / (2000 * 2000) + d.estimate**2 / (2 * 4000))
    assert d.lower == pytest.approx(d.estimate - 1.96 * se, abs=0.005)
    assert d.upper == pytest.approx(d.estimate + 1.96 * se, abs=0.005)


def test_dz_drops_incomplete_pairs() -> None:
    dz = cohens_dz([1, 2, 3, np.nan], [2, 4, 5, 9])
    assert dz.n == 3


def test_change_classes_per_measure_reuse_the_instrument_engine() -> None:
    # SCS-SF worked example of domain_science.md §4: 2.40 -> 3.10 is not reliable (RC 1.89).
    norms = {
        "scs_sf": MeasureNorms(sd=0.70, reliability=0.86, cutoff=2.73, direction="higher_is_better")
    }
    counts = change_classes_by_measure(
        {"scs_sf": ([2.40, 2.0, 3.5, 2.5], [3.10, 3.0, 2.5, np.nan])}, norms
    )["scs_sf"]
    assert counts[ChangeClass.UNCHANGED] == 1
    assert counts[ChangeClass.RECOVERED] == 1
    assert counts[ChangeClass.RELIABLY_DETERIORATED] == 1
    assert counts[ChangeClass.NOT_CLASSIFIED] == 1
    with pytest.raises(ValueError, match="no norms for measure 'wai'"):
        change_classes_by_measure({"wai": ([1.0], [2.0])}, norms)
