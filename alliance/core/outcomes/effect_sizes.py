"""Pre-post and between-group standardized effect sizes with exact confidence intervals,
and reliable-change classes per measure.

Confidence intervals invert the noncentral t distribution: the observed t statistic is
noncentral-t with noncentrality ``delta * sqrt(n_eff)``, so the limits for ``delta`` are the
noncentralities that put the observed t at the 97.5th and 2.5th percentiles, rescaled
(Steiger & Fouladi 1997; Cumming & Finch 2001). This is the method of the R packages MBESS
and effectsize, and is exact under normality.

References
----------
.. [1] Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
.. [2] Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
   science: a practical primer for t-tests and ANOVAs. *Frontiers in Psychology*, 4, 863.
.. [3] Cumming, G., & Finch, S. (2001). A primer on the understanding, use, and calculation
   of confidence intervals that are based on central and noncentral distributions.
   *Educational and Psychological Measurement*, 61, 532-574.
.. [4] Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and the
   evaluation of statistical models. In *What If There Were No Significance Tests?*
.. [5] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach to
   defining meaningful change in psychotherapy research. *JCCP*, 59, 12-19.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

from alliance.core.instruments.change import ChangeClass, classify_change
from alliance.core.instruments.definition import Direction

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class EffectSize:
    kind: str  # "d" (independent groups, pooled SD) or "dz" (paired, SD of the differences)
    estimate: float
    lower: float
    upper: float
    n: int
    confidence: float = 0.95


def _finite(values: ArrayLike, name: str) -> FloatArray:
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size and not np.isfinite(x).all():
        raise ValueError(f"{name}: position {int(np.argmax(~np.isfinite(x)))} is not a number")
    return x


def noncentral_t_interval(t: float, df: float, confidence: float = 0.95) -> tuple[float, float]:
    """Limits of the noncentrality parameter given an observed t [3]_ [4]_."""
    if not (0 < confidence < 1):
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    tail = (1 - confidence) / 2

    def solve(target: float) -> float:
        def f(ncp: float) -> float:
            return float(stats.nct.cdf(t, df, ncp)) - target

        # cdf decreases in ncp; widen the bracket until it changes sign.
        width = 10.0 + abs(t)
        lo, hi = t - width, t + width
        while f(lo) < 0:
            lo -= width
        while f(hi) > 0:
            hi += width
        return float(optimize.brentq(f, lo, hi, xtol=1e-10))

    return solve(1 - tail), solve(tail)


def cohens_d(group1: ArrayLike, group2: ArrayLike, *, confidence: float = 0.95) -> EffectSize:
    """Cohen's d_s for two independent groups (mean1 - mean2 over the pooled SD) [1]_ [2]_."""
    a, b = _finite(group1, "group1"), _finite(group2, "group2")
    n1, n2 = a.size, b.size
    if n1 < 2 or n2 < 2:
        raise ValueError("each group needs at least two values")
    pooled = math.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    if pooled == 0:
        raise ValueError("both groups are constant: the effect size is undefined")
    d = float((a.mean() - b.mean()) / pooled)
    scale = math.sqrt(1 / n1 + 1 / n2)
    lo, hi = noncentral_t_interval(d / scale, n1 + n2 - 2, confidence)
    return EffectSize("d", d, lo * scale, hi * scale, n1 + n2, confidence)


def cohens_dz(pre: ArrayLike, post: ArrayLike, *, confidence: float = 0.95) -> EffectSize:
    """Cohen's d_z for paired scores: mean(post - pre) / SD(post - pre) [1]_ [2]_.

    Pairs with a missing score on either side are dropped (a man without an exit score has no
    change to measure).
    """
    a = np.asarray(pre, dtype=np.float64).ravel()
    b = np.asarray(post, dtype=np.float64).ravel()
    if a.size != b.size:
        raise ValueError("pre and post must have the same length")
    keep = np.isfinite(a) & np.isfinite(b)
    diff = b[keep] - a[keep]
    n = diff.size
    if n < 2:
        raise ValueError("at least two complete pairs are needed")
    sd = float(diff.std(ddof=1))
    if sd == 0:
        raise ValueError("every man changed by the same amount: d_z is undefined")
    dz = float(diff.mean()) / sd
    lo, hi = noncentral_t_interval(dz * math.sqrt(n), n - 1, confidence)
    return EffectSize("dz", dz, lo / math.sqrt(n), hi / math.sqrt(n), n, confidence)


@dataclass(frozen=True)
class MeasureNorms:
    """What reliable change needs for one measure (the instrument's norms)."""

    sd: float
    reliability: float
    cutoff: float
    direction: Direction | str


def change_class_counts(pre: ArrayLike, post: ArrayLike, norms: MeasureNorms) -> dict[str, int]:
    """How many men fall in each Jacobson-Truax class [5]_ (every class listed, even at 0)."""
    classes = np.atleast_1d(
        np.asarray(
            classify_change(
                pre,
                post,
                sd=norms.sd,
                reliability=norms.reliability,
                cutoff=norms.cutoff,
                direction=norms.direction,
            )
        )
    )
    return {c.value: int((classes == c.value).sum()) for c in ChangeClass}


def change_classes_by_measure(
    scores: Mapping[str, tuple[ArrayLike, ArrayLike]], norms: Mapping[str, MeasureNorms]
) -> dict[str, dict[str, int]]:
    """Reliable-change class counts for each measure in ``scores`` (measure -> (pre, post))."""
    missing = [m for m in scores if m not in norms]
    if missing:
        raise ValueError(f"no norms for measure {missing[0]!r}")
    return {m: change_class_counts(pre, post, norms[m]) for m, (pre, post) in scores.items()}
