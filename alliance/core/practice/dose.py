"""Does more practice go with more change? A linear mixed model of repeated measure scores.

For man *i* at measurement *j*,

.. math::

    y_{ij} = \\beta_0 + \\beta_t\\, t_{ij} + \\beta_d\\, d_{ij} + u_i + \\varepsilon_{ij},
    \\qquad u_i \\sim N(0, \\tau^2),\\ \\varepsilon_{ij} \\sim N(0, \\sigma^2)

where :math:`t` is weeks since his first measurement and :math:`d` his cumulative practice
hours up to that measurement. :math:`\\beta_d` is the change in score per hour of practice over
and above the passage of time; the random intercept absorbs stable differences between men.

It is an association, not an effect of practice: men who practise more may differ in
motivation, which also drives change. The simulator (``alliance.core.simulate.practice``) is
the check that the estimator recovers a known :math:`\\beta_d` when that is all there is.

References
----------
Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
*Biometrics*, 38(4), 963–974.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

REQUIRED = ("participant", "weeks", "practice_hours", "score")


@dataclass(frozen=True)
class DoseEffect:
    """Change in score per hour of cumulative practice, with its 95% interval."""

    per_hour: float
    ci_low: float
    ci_high: float
    p_value: float
    per_week: float
    men: int
    observations: int

    @property
    def interval_excludes_zero(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


def fit_dose_effect(frame: pd.DataFrame, *, alpha: float = 0.05) -> DoseEffect:
    """Fit the random-intercept model to one row per man per measurement.

    Parameters
    ----------
    frame : DataFrame
        Columns ``participant`` (any hashable id), ``weeks`` (since his first measurement),
        ``practice_hours`` (cumulative up to that measurement) and ``score``.
    alpha : float
        1 - confidence level of the interval.

    Raises
    ------
    ValueError
        Missing columns, fewer than 10 men, or no variation in practice.
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    data = frame.loc[:, list(REQUIRED)].dropna()
    men = int(data["participant"].nunique())
    if men < 10:
        raise ValueError("at least 10 men with measurements are needed")
    if float(data["practice_hours"].std()) == 0.0:
        raise ValueError("practice hours do not vary: nothing to estimate")
    return _fit(data, alpha=alpha, men=men)


def _fit(data: pd.DataFrame, *, alpha: float, men: int) -> DoseEffect:
    import statsmodels.formula.api as smf

    model = smf.mixedlm(
        "score ~ weeks + practice_hours", data, groups=data["participant"].astype(str)
    )
    with warnings.catch_warnings():
        # Boundary (zero-variance) warnings are reported by the interval, not by a warning.
        warnings.simplefilter("ignore")
        result = model.fit(reml=True, method="lbfgs")
    ci = result.conf_int(alpha=alpha)
    return DoseEffect(
        per_hour=float(result.params["practice_hours"]),
        ci_low=float(ci.loc["practice_hours", 0]),
        ci_high=float(ci.loc["practice_hours", 1]),
        p_value=float(result.pvalues["practice_hours"]),
        per_week=float(result.params["weeks"]),
        men=men,
        observations=len(data),
    )
