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
