"""Completers against non-completers, adjusted for who completes.

Men who finish a program differ from men who leave it (younger, unemployed, higher-risk men
leave more; domain_science.md §1.2), and the same traits predict re-offence, so the raw
completer-dropout gap overstates what completion itself does (§1.4, Olver et al.'s confounding
note). This module estimates each man's probability of completing from his intake covariates
(logistic regression), weights men by the inverse of the probability of the group they ended in
(stabilised, average-treatment-effect weights), and compares weighted survival curves and a
weighted Cox hazard ratio with robust (sandwich) standard errors. Standardized mean differences
before and after weighting show whether the weighting balanced the covariates
(|SMD| < 0.1 is the usual bar).

References
----------
.. [1] Rosenbaum, P. R., & Rubin, D. B. (1983). The central role of the propensity score in
   observational studies for causal effects. *Biometrika*, 70, 41-55.
.. [2] Austin, P. C. (2009). Balance diagnostics for comparing the distribution of baseline
   covariates between treatment groups in propensity-score matched samples.
   *Statistics in Medicine*, 28, 3083-3107.
.. [3] Austin, P. C., & Stuart, E. A. (2015). Moving towards best practice when using inverse
   probability of treatment weighting (IPTW) using the propensity score to estimate causal
   treatment effects in observational studies. *Statistics in Medicine*, 34, 3661-3679.
.. [4] Cole, S. R., & Hernán, M. A. (2004). Adjusted survival curves with inverse probability
   weights. *Computer Methods and Programs in Biomedicine*, 75, 45-49.
.. [5] Jones, A. S., D'Agostino, R. B., Gondolf, E. W., & Heckert, A. (2004). Assessing the
   effect of batterer program completion on reassault using propensity scores.
   *Journal of Interpersonal Violence*, 19, 1002-1020.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from numpy.typing import NDArray

from alliance.core.outcomes.survival import (
    CoxResult,
    LogRankResult,
    OutcomeDataError,
    SurvivalCurve,
    event_column,
    fit_cox,
    kaplan_meier,
    log_rank,
    numeric_column,
    require_columns,
)

FloatArray = NDArray[np.float64]

CAVEAT = (
    "Adjusted for measured intake covariates only. Weighting balances what was recorded at "
    "intake; it cannot balance what was not (motivation, a new relationship, what happened "
    "after intake), so the adjusted difference is still an association, not proof that "
    "completing the program caused it. Men with propensity scores near 0 or 1 get large "
    "weights and make the estimate unstable; see the effective sample sizes."
)


@dataclass(frozen=True)
class Balance:
    """Standardized mean difference of one covariate, completers minus non-completers."""

    covariate: str
    smd_before: float
    smd_after: float


@dataclass(frozen=True)
class AdjustedComparison:
    """Raw and inverse-probability-weighted survival of completers and non-completers."""

    raw_curves: Mapping[str, SurvivalCurve]
    weighted_curves: Mapping[str, SurvivalCurve]
    raw_log_rank: LogRankResult
    raw_cox: CoxResult
    weighted_cox: CoxResult
    balance: tuple[Balance, ...]
    propensity: FloatArray
    weights: FloatArray
    effective_sample_size: Mapping[str, float]
    caveat: str = CAVEAT

    @property
    def raw_hazard_ratio(self) -> float:
        return self.raw_cox.hazard_ratios["completed"]

    @property
    def adjusted_hazard_ratio(self) -> float:
        return self.weighted_cox.hazard_ratios["completed"]

    @property
    def max_abs_smd_after(self) -> float:
        return max((abs(b.smd_after) for b in self.balance), default=0.0)


def propensity_scores(treated: NDArray[np.int64], covariates: FloatArray) -> FloatArray:
    """P(completed | intake covariates) from a main-effects logistic regression [1]_."""
    design = sm.add_constant(covariates, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.Logit(treated, design).fit(disp=0, method="newton", maxiter=100)
    scores: FloatArray = np.asarray(model.predict(design), dtype=np.float64)
    return scores


def ipw_weights(treated: NDArray[np.int64], propensity: FloatArray) -> FloatArray:
    """Stabilised ATE weights: P(T=1)/e for completers, P(T=0)/(1-e) for the others [3]_."""
    share = float(treated.mean())
    weights: FloatArray = np.where(treated == 1, share / propensity, (1 - share) / (1 - propensity))
    return weights


def standardized_mean_difference(
    x: FloatArray, treated: NDArray[np.int64], weights: FloatArray | None = None
) -> float:
    """(mean1 - mean0) / sqrt((var1 + var0) / 2), weighted when ``weights`` are given [2]_.

    The denominator uses the (weighted) variances of each group, as in Austin & Stuart (2015).
    """
    w = np.ones_like(x) if weights is None else weights
    ones, zeros = treated == 1, treated == 0

    def moments(mask: NDArray[np.bool_]) -> tuple[float, float]:
        mean = float(np.average(x[mask], weights=w[mask]))
        var = float(np.average((x[mask] - mean) ** 2, weights=w[mask]))
        return mean, var

    m1, v1 = moments(ones)
    m0, v0 = moments(zeros)
    pooled = np.sqrt((v1 + v0) / 2)
    return 0.0 if pooled == 0 else (m1 - m0) / float(pooled)


def _effective_sample_size(weights: FloatArray) -> float:
    """Kish's effective sample size, (sum w)^2 / sum w^2."""
    return float(weights.sum() ** 2 / (weights**2).sum())


def compare_completers(
    frame: pd.DataFrame,
    *,
    duration: str,
    event: str,
    completed: str,
    covariates: Sequence[str],
) -> AdjustedComparison:
    """Raw and IPW-adjusted comparison of time to re-offence by completion.

    ``frame`` has one row per man: time at risk (``duration``, > 0), whether the follow-up
    ended in an event (``event``, 0/1), whether he completed (``completed``, 0/1) and his
    numeric intake covariates. Returns curves, hazard ratios (completers vs non-completers),
    SMDs and the caveat to print beside them.
    """
    if not covariates:
        raise OutcomeDataError("the propensity model needs intake covariates", column="covariates")
    require_columns(frame, [duration, event, completed, *covariates])
    t = numeric_column(frame, duration, positive=True)
    e = event_column(frame, event)
    z = event_column(frame, completed)
    if z.min() == z.max():
        raise OutcomeDataError(
            f"column {completed!r}: needs both completers and non-completers", column=completed
        )
    x = np.column_stack([numeric_column(frame, c) for c in covariates])
    propensity = propensity_scores(z, x)
    weights = ipw_weights(z, propensity)

    labels = {1: "completed", 0: "did not complete"}
    raw_curves = {labels[g]: kaplan_meier(t[z == g], e[z == g], label=labels[g]) for g in (1, 0)}
    weighted_curves = {
        labels[g]: kaplan_meier(t[z == g], e[z == g], weights=weights[z == g], label=labels[g])
        for g in (1, 0)
    }
    data = pd.DataFrame({"t": t, "e": e, "completed": z, "w": weights})
    raw_cox, _ = fit_cox(data, duration="t", event="e", covariates=["completed"])
    weighted_cox, _ = fit_cox(
        data, duration="t", event="e", covariates=["completed"], weights="w", robust=True
    )
    balance = tuple(
        Balance(
            covariate=name,
            smd_before=standardized_mean_difference(x[:, j], z),
            smd_after=standardized_mean_difference(x[:, j], z, weights),
        )
        for j, name in enumerate(covariates)
    )
    return AdjustedComparison(
        raw_curves=raw_curves,
        weighted_curves=weighted_curves,
        raw_log_rank=log_rank(t, e, z),
        raw_cox=raw_cox,
        weighted_cox=weighted_cox,
        balance=balance,
        propensity=propensity,
        weights=weights,
        effective_sample_size={labels[g]: _effective_sample_size(weights[z == g]) for g in (1, 0)},
    )
