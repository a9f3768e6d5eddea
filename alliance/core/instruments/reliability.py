r"""Internal consistency of a scale from a program's own answers: Cronbach's alpha.

For a men × items answer matrix with :math:`k` items,

.. math::

    \alpha = \frac{k}{k - 1}\left(1 - \frac{\sum_i s_i^2}{s_T^2}\right)

with :math:`s_i^2` the variance of item :math:`i` and :math:`s_T^2` the variance of the total
score, all with the same denominator (here ``n - 1``; the ratio does not depend on it). Only
complete rows are used (listwise deletion), as in most packages.

Alpha is the reliability that :mod:`alliance.core.instruments.change` falls back to for the
project's own measures, which have no published reliability (see
:func:`alliance.core.instruments.change.change_parameters`).

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
*Psychometrika*, 16(3), 297-334.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha with the rows and items it was computed from.

    Attributes
    ----------
    alpha
        The coefficient, or ``None`` when it cannot be computed (too few complete rows, fewer
        than two items, or a total score without variance).
    n
        Complete rows used.
    k
        Items.
    """

    alpha: float | None
    n: int
    k: int


def cronbach_alpha(answers: ArrayLike, *, min_rows: int = 3) -> Alpha:
    r"""Cronbach's alpha of a 2-D array, rows = administrations, columns = items.

    .. math::

        \alpha = \frac{k}{k - 1}\left(1 - \frac{\sum_i s_i^2}{s_T^2}\right)

    Parameters
    ----------
    answers
        Rows are administrations, columns items; NaN marks a missing answer. Rows with any NaN
        are dropped (listwise deletion).
    min_rows
        Fewest complete rows for which alpha is computed (never fewer than two).

    Returns
    -------
    Alpha
        ``alpha=None`` with fewer than ``min_rows`` complete rows, fewer than two items, or a
        total score without variance.

    Raises
    ------
    ValueError
        If ``answers`` is not two-dimensional.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334, equation 2.
    """
    matrix = np.asarray(answers, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"answers must be a 2-D array (rows x items), got {matrix.ndim}-D")
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    n, k = complete.shape
    if n < max(min_rows, 2) or k < 2:
        return Alpha(None, n, k)
    item_variance = complete.var(axis=0, ddof=1).sum()
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance <= 0:
        return Alpha(None, n, k)
    alpha = k / (k - 1) * (1.0 - item_variance / total_variance)
    return Alpha(float(alpha), n, k)


# --- The evaluator's table: alpha, standardized alpha, omega, item statistics ---------------


@dataclass(frozen=True)
class ItemStatistics:
    """One item of a scale: its correlation with the rest and alpha without it."""

    item: str
    n: int
    item_rest_r: float | None
    alpha_if_deleted: float | None


@dataclass(frozen=True)
class ScaleReliability:
    r"""Internal consistency of one scale, as an evaluator reports it.

    Attributes
    ----------
    n
        Rows with at least two of the scale's items answered.
    n_complete
        Rows with every item answered.
    k
        Items.
    alpha
        Cronbach's alpha from the **pairwise-complete** covariance matrix :math:`C`
        (each covariance from the rows that answered both items):
        :math:`\alpha = \frac{k}{k-1}\left(1 - \frac{\operatorname{tr} C}{\mathbf 1^\top C
        \mathbf 1}\right)`. With no missing answers it equals the listwise alpha.
    standardized_alpha
        From the mean inter-item correlation :math:`\bar r`:
        :math:`\frac{k \bar r}{1 + (k-1)\bar r}`.
    omega_total
        McDonald's omega total from a one-factor model fitted to :math:`C` (iterated principal
        axis, i.e. minimum residual, as R's ``psych::omega`` defaults to):
        :math:`\omega = \frac{(\sum \lambda_i)^2}{(\sum \lambda_i)^2 + \sum \psi_i}`.
        ``None`` when the fit gives a loading of zero or a negative unique variance
        (a Heywood case), since omega is then not defined.
    items
        Per item: item-rest correlation (the item with the sum of the other items,
        pairwise-complete) and alpha if the item is deleted.
    """

    n: int
    n_complete: int
    k: int
    alpha: float | None
    standardized_alpha: float | None
    omega_total: float | None
    items: tuple[ItemStatistics, ...]

    method = "pairwise-complete covariances"


def scale_reliability(
    answers: ArrayLike, items: tuple[str, ...] | list[str], *, min_rows: int = 3
) -> ScaleReliability:
    """Alpha, standardized alpha, omega total and item statistics of one scale.

    Parameters
    ----------
    answers
        Rows are administrations, columns the scale's items in the order of ``items``, keyed
        (reverse-keyed items already reversed); NaN marks a missing answer.
    items
        The item ids, naming the columns.
    min_rows
        Fewest rows (with two or more answers) for which anything is computed.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Erlbaum, chapter 6.
    Revelle, W., & Zinbarg, R. E. (2009). Coefficients alpha, beta, omega, and the glb.
    *Psychometrika*, 74(1), 145-154.
    """
    import pandas as pd

    matrix = np.asarray(answers, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(items):
        raise ValueError(f"answers must be rows x {len(items)} items, got shape {matrix.shape}")
    frame = pd.DataFrame(matrix, columns=list(items))
    answered = frame.notna().sum(axis=1)
    n = int((answered >= 2).sum())
    n_complete = int((answered == len(items)).sum())
    k = len(items)
    empty = ScaleReliability(n, n_complete, k, None, None, None, ())
    if n < max(min_rows, 2) or k < 2:
        return empty
    covariance = frame.cov(min_periods=2).to_numpy()
    correlation = frame.corr(min_periods=2).to_numpy()
    if np.isnan(covariance).any():
        return empty
    alpha = _alpha_from(covariance)
    off = correlation[~np.eye(k, dtype=bool)]
    mean_r = float(off.mean())
    standardized = k * mean_r / (1 + (k - 1) * mean_r) if 1 + (k - 1) * mean_r > 0 else None
    stats = []
    for j, item in enumerate(items):
        rest = frame.drop(columns=item)
        rest_sum = rest.sum(axis=1, min_count=rest.shape[1])
        pair = pd.concat([frame[item], rest_sum], axis=1).dropna()
        r = None
        if len(pair) >= 3 and pair.iloc[:, 0].std() > 0 and pair.iloc[:, 1].std() > 0:
            r = float(pair.iloc[:, 0].corr(pair.iloc[:, 1]))
        keep = [i for i in range(k) if i != j]
        without = _alpha_from(covariance[np.ix_(keep, keep)]) if k > 2 else None
        stats.append(ItemStatistics(item, int(frame[item].notna().sum()), r, without))
    return ScaleReliability(
        n,
        n_complete,
        k,
        alpha,
        None if standardized is None else float(standardized),
        omega_total(covariance),
        tuple(stats),
    )


def _alpha_from(covariance: np.ndarray) -> float | None:
    k = covariance.shape[0]
    total = float(covariance.sum())
    if k < 2 or total <= 0:
        return None
    return float(k / (k - 1) * (1.0 - float(np.trace(covariance)) / total))


def omega_total(
    covariance: ArrayLike, *, tolerance: float = 1e-10, max_iterations: int = 10_000
) -> float | None:
    r"""McDonald's omega total of a one-factor model fitted to a covariance matrix.

    The loadings :math:`\lambda` come from iterated principal axis factoring (minimum
    residual): starting from squared multiple correlations, the unique variances
    :math:`\psi = \operatorname{diag}(C) - \lambda^2` are updated until they settle.
    With three items the model is just identified and the fit is exact
    (:math:`\lambda_1^2 = c_{12} c_{13} / c_{23}`).

    Returns ``None`` for a Heywood case (a unique variance at or below zero) or when the
    loadings do not converge.
    """
    c = np.asarray(covariance, dtype=np.float64)
    k = c.shape[0]
    if k < 3:
        return None
    variances = np.diag(c).copy()
    try:
        smc = 1.0 - 1.0 / np.diag(np.linalg.inv(c / np.sqrt(np.outer(variances, variances))))
    except np.linalg.LinAlgError:
        return None
    communality = np.clip(smc, 0.01, 0.999) * variances
    loadings = np.sqrt(communality)
    for _ in range(max_iterations):
        reduced = c.copy()
        np.fill_diagonal(reduced, communality)
        values, vectors = np.linalg.eigh(reduced)
        if values[-1] <= 0:
            return None
        loadings = vectors[:, -1] * np.sqrt(values[-1])
        updated = loadings**2
        if np.max(np.abs(updated - communality)) < tolerance:
            communality = updated
            break
        communality = updated
    else:
        return None
    unique = variances - loadings**2
    if (unique <= 0).any():
        return None
    common = float(np.abs(loadings.sum())) ** 2
    return common / (common + float(unique.sum()))
