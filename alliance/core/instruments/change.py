r"""Reliable and clinically significant change (Jacobson & Truax 1991).

With :math:`s` the standard deviation of the reference sample and :math:`r_{xx}` the
reliability (test-retest or Cronbach's alpha):

.. math::

    SE = s\sqrt{1 - r_{xx}}, \qquad S_{diff} = \sqrt{2}\,SE, \qquad
    RC = \frac{x_{post} - x_{pre}}{S_{diff}}

and the change is reliable when :math:`|RC|` exceeds the criterion (1.96 for 95 %). The
clinical-significance cutoffs use the clinical (dysfunctional) norms :math:`M_d, s_d` and the
functional norms :math:`M_f, s_f`:

.. math::

    a = M_d \pm 2 s_d, \qquad b = M_f \mp 2 s_f, \qquad
    c = \frac{s_f M_d + s_d M_f}{s_d + s_f}

with the signs pointing in the healthy direction.

References
----------
Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical approach to defining
meaningful change in psychotherapy research. *Journal of Consulting and Clinical Psychology*,
59(1), 12-19.

Christensen, L., & Mendoza, J. L. (1986). A method of assessing change in a single subject: an
alteration of the RC index. *Behavior Therapy*, 17, 305-308.

Maassen, G. H. (2004). The standard error in the Jacobson and Truax Reliable Change Index.
*Journal of the International Neuropsychological Society*, 10, 888-893.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliance.core.instruments.definition import Direction

DEFAULT_CRITERION = 1.96


class ChangeClass(StrEnum):
    RECOVERED = "recovered"
    RELIABLY_IMPROVED = "reliably_improved"
    UNCHANGED = "unchanged"
    RELIABLY_DETERIORATED = "reliably_deteriorated"
    NOT_CLASSIFIED = "not_classified"


@dataclass(frozen=True)
class Cutoffs:
    """Jacobson-Truax cutoffs a, b and c on the scale's own metric."""

    a: float
    b: float
    c: float


def _check_sd_reliability(sd: float, reliability: float) -> None:
    if not (math.isfinite(sd) and sd > 0):
        raise ValueError(f"sd must be a positive number, got {sd!r}")
    if not (math.isfinite(reliability) and 0 <= reliability < 1):
        raise ValueError(f"reliability must lie in [0, 1), got {reliability!r}")


def standard_error_of_measurement(sd: float, reliability: float) -> float:
    r"""SE = sd * sqrt(1 - r_xx).

    References
    ----------
    Jacobson & Truax (1991), equation for :math:`S_E`.
    """
    _check_sd_reliability(sd, reliability)
    return sd * math.sqrt(1.0 - reliability)


def standard_error_of_difference(sd: float, reliability: float) -> float:
    r"""S_diff = sqrt(2) * SE = sqrt(2 * SE^2).

    References
    ----------
    Jacobson & Truax (1991); Christensen & Mendoza (1986).
    """
    return math.sqrt(2.0) * standard_error_of_measurement(sd, reliability)


def minimum_reliable_change(
    sd: float, reliability: float, criterion: float = DEFAULT_CRITERION
) -> float:
    """Smallest change that counts as reliable: criterion * S_diff."""
    return criterion * standard_error_of_difference(sd, reliability)


@overload
def reliable_change_index(pre: float, post: float, sd: float, reliability: float) -> float: ...
@overload
def reliable_change_index(
    pre: ArrayLike, post: ArrayLike, sd: float, reliability: float
) -> NDArray[np.float64]: ...
def reliable_change_index(
    pre: ArrayLike, post: ArrayLike, sd: float, reliability: float
) -> float | NDArray[np.float64]:
    r"""Jacobson-Truax reliable change index.

    .. math:: RC = \frac{x_{post} - x_{pre}}{\sqrt{2}\, s \sqrt{1 - r_{xx}}}

    Parameters
    ----------
    pre, post
        Scores (scalars or arrays of the same shape); NaN propagates.
    sd
        Standard deviation of the reference (usually pre-treatment) sample.
    reliability
        Test-retest reliability or Cronbach's alpha, in [0, 1).

    Returns
    -------
    float or ndarray
        A float when both scores are scalars.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    """
    s_diff = standard_error_of_difference(sd, reliability)
    a = np.asarray(pre, dtype=np.float64)
    b = np.asarray(post, dtype=np.float64)
    rc = (b - a) / s_diff
    if a.ndim == 0 and b.ndim == 0:
        return float(rc)
    result: NDArray[np.float64] = np.asarray(rc, dtype=np.float64)
    return result


def clinical_cutoffs(
    *,
    clinical_mean: float,
    clinical_sd: float,
    functional_mean: float,
    functional_sd: float,
    direction: Direction | str,
) -> Cutoffs:
    r"""Cutoffs a, b and c between the clinical and functional populations.

    For ``higher_is_better`` :math:`a = M_d + 2s_d` and :math:`b = M_f - 2s_f`; for
    ``higher_is_worse`` the signs flip. :math:`c = (s_f M_d + s_d M_f) / (s_d + s_f)`
    either way.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    """
    for name, sd in (("clinical_sd", clinical_sd), ("functional_sd", functional_sd)):
        if not (math.isfinite(sd) and sd > 0):
            raise ValueError(f"{name} must be a positive number, got {sd!r}")
    sign = 1.0 if Direction(direction) is Direction.HIGHER_IS_BETTER else -1.0
    a = clinical_mean + sign * 2.0 * clinical_sd
    b = functional_mean - sign * 2.0 * functional_sd
    c = (functional_sd * clinical_mean + clinical_sd * functional_mean) / (
        clinical_sd + functional_sd
    )
    return Cutoffs(a=a, b=b, c=c)


@overload
def classify_change(
    pre: float,
    post: float,
    *,
    sd: float,
    reliability: float,
    cutoff: float,
    direction: Direction | str,
    criterion: float = ...,
) -> ChangeClass: ...
@overload
def classify_change(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    sd: float,
    reliability: float,
    cutoff: float,
    direction: Direction | str,
    criterion: float = ...,
) -> NDArray[np.str_]: ...
def classify_change(
    pre: ArrayLike,
    post: ArrayLike,
    *,
    sd: float,
    reliability: float,
    cutoff: float,
    direction: Direction | str,
    criterion: float = DEFAULT_CRITERION,
) -> ChangeClass | NDArray[np.str_]:
    """Jacobson-Truax classification of each pre/post pair.

    * ``recovered``: reliable improvement (RC beyond ``criterion`` in the healthy direction)
      *and* a move from the dysfunctional side of ``cutoff`` to the functional side. A man who
      starts on the functional side can never be "recovered": his reliable improvement is
      ``reliably_improved``.
    * ``reliably_improved``: reliable improvement without that crossing.
    * ``reliably_deteriorated``: RC beyond ``criterion`` in the unhealthy direction.
    * ``unchanged``: everything else.
    * ``not_classified``: ``pre`` or ``post`` is NaN.

    The functional side is ``score > cutoff`` for ``higher_is_better`` and ``score < cutoff``
    for ``higher_is_worse``; a score exactly on the cutoff is dysfunctional. ``cutoff`` is
    usually c (or a, or b, when only one set of norms exists) from :func:`clinical_cutoffs`.

    Returns
    -------
    ChangeClass or ndarray of str
        A :class:`ChangeClass` for scalar input; otherwise an array of its values.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    """
    if not (math.isfinite(criterion) and criterion > 0):
        raise ValueError(f"criterion must be a positive number, got {criterion!r}")
    rc = reliable_change_index(np.asarray(pre), np.asarray(post), sd, reliability)
    sign = 1.0 if Direction(direction) is Direction.HIGHER_IS_BETTER else -1.0
    a = np.asarray(pre, dtype=np.float64)
    b = np.asarray(post, dtype=np.float64)
    healthy_rc = sign * rc
    functional_pre = sign * (a - cutoff) > 0
    functional_post = sign * (b - cutoff) > 0
    improved = healthy_rc > criterion
    result = np.select(
        [
            np.isnan(rc),
            improved & ~functional_pre & functional_post,
            improved,
            healthy_rc < -criterion,
        ],
        [
            ChangeClass.NOT_CLASSIFIED.value,
            ChangeClass.RECOVERED.value,
            ChangeClass.RELIABLY_IMPROVED.value,
            ChangeClass.RELIABLY_DETERIORATED.value,
        ],
        default=ChangeClass.UNCHANGED.value,
    )
    if a.ndim == 0 and b.ndim == 0:
        return ChangeClass(str(result))
    out: NDArray[np.str_] = np.asarray(result, dtype=np.str_)
    return out
