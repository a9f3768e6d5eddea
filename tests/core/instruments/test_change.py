"""Reliable change and clinical significance against worked examples.

Sources
-------
* Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach to
  defining meaningful change in psychotherapy research. J Consult Clin Psychol 59(1):12-19
  (the formulas for SE, S_diff, RC and cutoffs a, b, c).
* ``research/domain_science.md`` §4: the SCS-SF worked example (pre 2.40, post 3.10, SD 0.70,
  alpha .86 -> SE 0.262, S_diff 0.370, RC 1.89, minimum change 0.73; clinical M 2.5 SD 0.6,
  community M 3.0 SD 0.7 -> a 3.7, b 1.6, c 2.73) and the DASS-21 Depression example (SD 10,
  alpha .91 -> S_diff 4.24, minimum change 8.3; 28 -> 14 gives RC -3.30).
* The ORS sanity check in the same section: SD ~ 7 and alpha .93 give a reliable-change
  criterion of ~ 5.1, matching the 5 points commonly used for the ORS (Miller et al. 2003).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from alliance.core.instruments import (
    ChangeClass,
    classify_change,
    clinical_cutoffs,
    minimum_reliable_change,
    reliable_change_index,
    standard_error_of_difference,
    standard_error_of_measurement,
)


def test_scs_sf_worked_example_from_domain_science_section_4() -> None:
    assert standard_error_of_measurement(0.70, 0.86) == pytest.approx(0.262, abs=5e-4)
    assert standard_error_of_difference(0.70, 0.86) == pytest.approx(0.370, abs=5e-4)
    assert reliable_change_index(2.40, 3.10, 0.70, 0.86) == pytest.approx(1.89, abs=5e-3)
    assert minimum_reliable_change(0.70, 0.86) == pytest.approx(0.73, abs=5e-3)
    cut = clinical_cutoffs(
        clinical_mean=2.5,
        clinical_sd=0.6,
        functional_mean=3.0,
        functional_sd=0.7,
        direction="higher_is_better",
    )
    assert cut.a == pytest.approx(3.7)
    assert cut.b == pytest.approx(1.6)
    assert cut.c == pytest.approx(2.73, abs=5e-3)
    # Post 3.10 is past c but RC 1.89 < 1.96: "non-reliably improved", i.e. unchanged.
    verdict = classify_change(
        2.40, 3.10, sd=0.70, reliability=0.86, cutoff=cut.c, direction="higher_is_better"
    )
    assert verdict is ChangeClass.UNCHANGED


def test_dass_depression_worked_example_from_domain_science_section_4() -> None:
    assert standard_error_of_difference(10, 0.91) == pytest.approx(4.24, abs=5e-3)
    assert minimum_reliable_change(10, 0.91) == pytest.approx(8.3, abs=5e-2)
    assert reliable_change_index(28, 14, 10, 0.91) == pytest.approx(-3.30, abs=5e-3)
    verdict = classify_change(
        28, 14, sd=10, reliability=0.91, cutoff=14, direction="higher_is_worse"
    )
    # 14 is exactly on the cutoff, which counts as dysfunctional: reliable, not recovered.
    assert verdict is ChangeClass.RELIABLY_IMPROVED
    recovered = classify_change(
        28, 8, sd=10, reliability=0.91, cutoff=10, direction="higher_is_worse"
    )
    assert recovered is ChangeClass.RECOVERED


def test_ors_reliable_change_criterion_is_about_five_points() -> None:
    """ORS sanity check (domain_science.md §4): SD 7, alpha .93 -> ~5.1 points."""
    assert minimum_reliable_change(7, 0.93) == pytest.approx(5.1, abs=0.05)


def test_cutoffs_flip_for_scales_where_higher_is_worse() -> None:
    cut = clinical_cutoffs(
        clinical_mean=20,
        clinical_sd=5,
        functional_mean=8,
        functional_sd=4,
        direction="higher_is_worse",
    )
    assert (cut.a, cut.b) == (10, 16)
    assert cut.c == pytest.approx((4 * 20 + 5 * 8) / 9)


def test_a_man_who_starts_in_the_functional_range_is_never_recovered() -> None:
    verdict = classify_change(
        3.0, 4.8, sd=0.5, reliability=0.9, cutoff=2.7, direction="higher_is_better"
    )
    assert verdict is ChangeClass.RELIABLY_IMPROVED


def test_reliable_deterioration_is_direction_aware() -> None:
    worse_up = classify_change(
        10, 30, sd=10, reliability=0.91, cutoff=14, direction="higher_is_worse"
    )
    worse_down = classify_change(
        4.0, 2.0, sd=0.5, reliability=0.9, cutoff=2.7, direction="higher_is_better"
    )
    assert worse_up is ChangeClass.RELIABLY_DETERIORATED
    assert worse_down is ChangeClass.RELIABLY_DETERIORATED


def test_classification_is_vectorised_and_matches_the_scalar_form() -> None:
    pre = np.array([28, 28, 10, 20, np.nan, 30])
    post = np.array([8, 14, 30, 18, 10, 29])
    got = classify_change(
        pre, post, sd=10, reliability=0.91, cutoff=10, direction="higher_is_worse"
    )
    assert list(got) == [
        "recovered",
        "reliably_improved",
        "reliably_deteriorated",
        "unchanged",
        "not_classified",
        "unchanged",
    ]
    for i in range(len(pre)):
        one = classify_change(
            float(pre[i]),
            float(post[i]),
            sd=10,
            reliability=0.91,
            cutoff=10,
            direction="higher_is_worse",
        )
        assert one.value == got[i]
    rc = reliable_change_index(pre, post, 10, 0.91)
    assert rc.shape == (6,)
    assert math.isnan(rc[4])


@pytest.mark.parametrize(
    ("sd", "reliability"), [(0, 0.8), (-1, 0.8), (1, 1.0), (1, -0.1), (math.nan, 0.8)]
)
def test_it_rejects_impossible_parameters(sd: float, reliability: float) -> None:
    with pytest.raises(ValueError, match=r"sd|reliability"):
        reliable_change_index(1, 2, sd, reliability)
