"""Which SD and reliability a scale's reliable change uses, the cutoff c from its norms, and
the class counts of a change table (pure: no Django settings).

The worked numbers are the SCS-SF example of ``research/domain_science.md`` §4 (Jacobson &
Truax 1991 formulas): SD 0.70 and alpha .86 give a minimum reliable change of 0.73; clinical
norms M 2.5, SD 0.6 and community norms M 3.0, SD 0.7 give c = 2.73.
"""

from __future__ import annotations

import numpy as np
import pytest

from alliance.core.instruments import (
    CLASS_ORDER,
    Alpha,
    ChangeClass,
    Direction,
    NormKind,
    NormSet,
    ReliableChangeSpec,
    Rule,
    Scale,
    change_parameters,
    count_change_classes,
    get_bundled,
    needs_local_reliability,
    needs_local_sd,
    scale_cutoff,
)

PUBLISHED = NormSet("pub", NormKind.REFERENCE, 3.0, 0.70, 0.86, 100, "Raes 2011")
RELIABILITY_ONLY = NormSet("rel", NormKind.REFERENCE, None, None, 0.86, None, "Raes 2011")
CLINICAL = NormSet("clin", NormKind.CLINICAL, 2.5, 0.6, None, 50, "clinic")
COMMUNITY = NormSet("comm", NormKind.FUNCTIONAL, 3.0, 0.7, None, 50, "community")


def scale(
    *norms: NormSet,
    spec: ReliableChangeSpec | None = None,
    items: tuple[str, ...] = ("a", "b", "c"),
    rule: Rule = Rule.MEAN,
) -> Scale:
    return Scale(
        id="total",
        title="Total",
        rule=rule,
        direction=Direction.HIGHER_IS_BETTER,
        range_min=1,
        range_max=5,
        items=items,
        norms=norms,
        reliable_change=spec,
    )


def test_a_published_sd_and_reliability_give_the_worked_minimum_change() -> None:
    s = scale(PUBLISHED, spec=ReliableChangeSpec("pub"))
    params = change_parameters(s)
    assert params is not None
    assert (params.sd, params.reliability, params.criterion) == (0.70, 0.86, 1.96)
    assert params.minimum_change == pytest.approx(0.73, abs=0.005)
    assert params.sd_source == "published SD (Raes 2011)"
    assert params.reliability_source == "published reliability (Raes 2011)"
    assert not needs_local_sd(s)
    assert not needs_local_reliability(s)


def test_published_numbers_win_over_the_programs_own() -> None:
    s = scale(PUBLISHED, spec=ReliableChangeSpec("pub"))
    params = change_parameters(s, first_scores=[1, 2, 3, 4, 5, 6], alpha=Alpha(0.5, 40, 3))
    assert params is not None
    assert (params.sd, params.reliability) == (0.70, 0.86)


def test_without_a_published_sd_the_sd_of_the_first_scores_is_used_from_five_men() -> None:
    s = scale(RELIABILITY_ONLY, spec=ReliableChangeSpec("rel"))
    assert needs_local_sd(s)
    assert change_parameters(s, first_scores=[2.0, 2.5, 3.0, 3.5]) is None  # four men
    first = [2.0, 2.5, 3.0, 3.5, 4.0]
    params = change_parameters(s, first_scores=first)
    assert params is not None
    assert params.sd == pytest.approx(np.std(first, ddof=1))  # 0.7906
    assert params.sd_source == "SD of this program's first scores (n = 5)"
    assert params.reliability_source == "published reliability (Raes 2011)"


def test_first_scores_without_spread_give_no_sd() -> None:
    s = scale(RELIABILITY_ONLY, spec=ReliableChangeSpec("rel"))
    assert change_parameters(s, first_scores=[3.0] * 8) is None


def test_without_a_published_reliability_the_programs_alpha_is_used_when_sound() -> None:
    sd_only = NormSet("pub", NormKind.REFERENCE, 3.0, 0.7, None, 9, "x")
    s = scale(sd_only, spec=ReliableChangeSpec("pub"))
    assert needs_local_reliability(s)
    params = change_parameters(s, alpha=Alpha(0.86, 12, 3))
    assert params is not None
    assert params.reliability == 0.86
    assert params.reliability_source == (
        "this program's Cronbach's alpha (n = 12); not externally validated"
    )
    assert params.minimum_change == pytest.approx(0.73, abs=0.005)
    for unsound in (Alpha(0.86, 4, 3), Alpha(None, 40, 3), Alpha(1.0, 40, 3), Alpha(-0.2, 40, 3)):
        assert change_parameters(s, alpha=unsound) is None


def test_alpha_is_never_used_for_a_single_item_or_a_scale_of_subscales() -> None:
    for s in (
        scale(items=("a",)),
        scale(items=(), rule=Rule.MEAN_OF_SUBSCALE_MEANS),
    ):
        assert not needs_local_reliability(s)
        assert change_parameters(s, first_scores=[1, 2, 3, 4, 5], alpha=Alpha(0.8, 40, 3)) is None


def test_a_scale_without_norms_uses_both_local_numbers_and_the_default_criterion() -> None:
    s = scale()
    params = change_parameters(s, first_scores=[1, 2, 3, 4, 5], alpha=Alpha(0.8, 40, 3))
    assert params is not None
    assert params.criterion == 1.96
    assert params.reliability == 0.8


def test_the_cutoff_c_from_clinical_and_community_norms_matches_the_worked_example() -> None:
    s = scale(
        PUBLISHED,
        CLINICAL,
        COMMUNITY,
        spec=ReliableChangeSpec("pub", clinical_norm_set="clin", functional_norm_set="comm"),
    )
    assert scale_cutoff(s) == pytest.approx(2.73, abs=0.005)
    assert scale_cutoff(scale(PUBLISHED, spec=ReliableChangeSpec("pub"))) is None
    no_sd = NormSet("comm", NormKind.FUNCTIONAL, 3.0, None, None, 50, "community")
    spec = ReliableChangeSpec("pub", clinical_norm_set="clin", functional_norm_set="comm")
    assert scale_cutoff(scale(PUBLISHED, CLINICAL, no_sd, spec=spec)) is None


def test_class_counts_follow_jacobson_truax_with_the_worked_numbers() -> None:
    # Minimum change 0.73 and c = 2.73: 2.40 -> 3.20 crosses c reliably (recovered);
    # 2.80 -> 3.60 is reliable but started functional (improved); 2.40 -> 3.10 is RC 1.89
    # (unchanged, the worked example); 3.50 -> 2.60 is a reliable deterioration.
    spec = ReliableChangeSpec("pub", clinical_norm_set="clin", functional_norm_set="comm")
    s = scale(PUBLISHED, CLINICAL, COMMUNITY, spec=spec)
    params = change_parameters(s)
    assert params is not None
    pre, post = [2.40, 2.80, 2.40, 3.50], [3.20, 3.60, 3.10, 2.60]
    counts = count_change_classes(pre, post, scale=s, parameters=params)
    assert list(counts) == [c.value for c in CLASS_ORDER]
    assert counts == {
        ChangeClass.RECOVERED: 1,
        ChangeClass.RELIABLY_IMPROVED: 1,
        ChangeClass.UNCHANGED: 1,
        ChangeClass.RELIABLY_DETERIORATED: 1,
    }


def test_without_a_cutoff_nobody_is_recovered() -> None:
    s = scale(PUBLISHED, spec=ReliableChangeSpec("pub"))
    params = change_parameters(s)
    assert params is not None
    counts = count_change_classes([2.40], [3.20], scale=s, parameters=params)
    assert counts[ChangeClass.RECOVERED] == 0
    assert counts[ChangeClass.RELIABLY_IMPROVED] == 1


def test_the_bundled_scs_sf_needs_the_programs_own_sd_only() -> None:
    total = get_bundled("scs_sf").scale("total")
    assert needs_local_sd(total)
    assert not needs_local_reliability(total)
