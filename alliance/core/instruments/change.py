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

Which SD and reliability a scale uses is decided by :func:`change_parameters`: the published
norm set the scale's definition names comes first, then the program's own first scores (SD)
and its own Cronbach's alpha (:mod:`alliance.core.instruments.reliability`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from alliance.core.instruments.definition import Direction, NormSet, Scale
from alliance.core.instruments.reliability import Alpha

DEFAULT_CRITERION = 1.96
#: Local estimates (the program's own SD or alpha) need at least this many men before they
#: are used or shown.
MIN_LOCAL_N = 5


class ChangeClass(StrEnum):
    RECOVERED = "recovered"
    RELIABLY_IMPROVED = "reliably_improved"
    UNCHANGED = "unchanged"
    RELIABLY_DETERIORATED = "reliably_deteriorated"
    NOT_CLASSIFIED = "not_classified"


#: The classes a change table counts, in the order it shows them.
CLASS_ORDER = (
    ChangeClass.RECOVERED,
    ChangeClass.RELIABLY_IMPROVED,
    ChangeClass.UNCHANGED,
    ChangeClass.RELIABLY_DETERIORATED,
)


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


@dataclass(frozen=True)
class ChangeParameters:
    """What the reliable-change computations of one scale use, and where each number is from.

    Attributes
    ----------
    sd, reliability
        The reference SD and the reliability (test-retest or alpha) in :math:`S_{diff}`.
    criterion
        The :math:`|RC|` beyond which a change is reliable.
    sd_source, reliability_source
        Where each number comes from, in words shown beside it.
    """

    sd: float
    reliability: float
    criterion: float
    sd_source: str
    reliability_source: str

    @property
    def minimum_change(self) -> float:
        """The smallest reliable change: ``criterion * S_diff``."""
        return minimum_reliable_change(self.sd, self.reliability, self.criterion)


def reference_norm(scale: Scale) -> NormSet | None:
    """The norm set the scale's reliable-change specification names, if it has one."""
    spec = scale.reliable_change
    return scale.norm_set(spec.norm_set) if spec else None


def needs_local_sd(scale: Scale) -> bool:
    """True when the scale's reference norm set gives no SD (so the program's own is needed)."""
    norm = reference_norm(scale)
    return not (norm and norm.sd)


def needs_local_reliability(scale: Scale) -> bool:
    """True when the scale has no published reliability and its items make alpha meaningful
    (a rule over several items); only then is the program's own alpha worth computing."""
    norm = reference_norm(scale)
    published = norm is not None and norm.reliability is not None
    return not published and scale.rule.uses_items and len(scale.items) > 1


def change_parameters(
    scale: Scale,
    *,
    first_scores: ArrayLike = (),
    alpha: Alpha | None = None,
    min_local_n: int = MIN_LOCAL_N,
) -> ChangeParameters | None:
    """SD and reliability for reliable change on ``scale``, each with where it comes from.

    The published norm set named by the scale's reliable-change specification comes first.
    Bundled norm sets mostly give only a reliability, so the SD falls back to the SD of the
    men's first (baseline) scores, the reference sample of Jacobson & Truax (1991); for a scale
    without a published reliability whose rule uses several items, the reliability falls back
    to Cronbach's alpha of the program's own answers, which is not externally validated.

    Parameters
    ----------
    scale
        The scale, with its norms and reliable-change specification.
    first_scores
        Each man's first score on the scale in the program; used only when
        :func:`needs_local_sd`, and only with at least ``min_local_n`` men and some spread.
    alpha
        Cronbach's alpha of the program's answers to the scale's items; used only when
        :func:`needs_local_reliability`, with at least ``min_local_n`` complete rows and
        0 < alpha < 1.
    min_local_n
        Fewest men behind a local estimate.

    Returns
    -------
    ChangeParameters or None
        ``None`` when either number is unavailable.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.

    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.
    """
    spec = scale.reliable_change
    norm = reference_norm(scale)
    criterion = spec.criterion if spec else DEFAULT_CRITERION
    sd = norm.sd if norm and norm.sd else None
    sd_source = f"published SD ({norm.source})" if sd and norm else ""
    if sd is None:
        first = pd.Series(np.asarray(first_scores, dtype=np.float64))
        if len(first) >= min_local_n and first.std(ddof=1) > 0:
            sd = float(first.std(ddof=1))
            sd_source = f"SD of this program's first scores (n = {len(first)})"
    reliability = norm.reliability if norm and norm.reliability is not None else None
    reliability_source = f"published reliability ({norm.source})" if reliability and norm else ""
    if reliability is None and needs_local_reliability(scale) and alpha is not None:
        local = alpha.alpha
        if local is not None and alpha.n >= min_local_n and 0 < local < 1:
            reliability = local
            reliability_source = (
                f"this program's Cronbach's alpha (n = {alpha.n}); not externally validated"
            )
    if sd is None or reliability is None:
        return None
    return ChangeParameters(sd, reliability, criterion, sd_source, reliability_source)


def scale_cutoff(scale: Scale) -> float | None:
    """Jacobson-Truax c of a scale whose definition names clinical and functional norm sets,
    both with a mean and an SD; ``None`` otherwise (so nobody can be "recovered").

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    """
    spec = scale.reliable_change
    if not spec or not spec.clinical_norm_set or not spec.functional_norm_set:
        return None
    clinical = scale.norm_set(spec.clinical_norm_set)
    functional = scale.norm_set(spec.functional_norm_set)
    if (
        clinical.mean is None
        or clinical.sd is None
        or functional.mean is None
        or functional.sd is None
    ):
        return None
    return clinical_cutoffs(
        clinical_mean=clinical.mean,
        clinical_sd=clinical.sd,
        functional_mean=functional.mean,
        functional_sd=functional.sd,
        direction=scale.direction,
    ).c


def count_change_classes(
    pre: ArrayLike, post: ArrayLike, *, scale: Scale, parameters: ChangeParameters
) -> dict[str, int]:
    """How many pre/post pairs fall in each class of :data:`CLASS_ORDER`.

    Without a cutoff (:func:`scale_cutoff` is ``None``) every reliable improvement counts as
    "reliably improved": the cutoff is put beyond the healthy end of the scale, which no score
    can cross. Pairs with a missing score are not counted.

    Parameters
    ----------
    pre, post
        Each man's first and last score, in the same order.
    scale
        The scale (its direction and norms).
    parameters
        From :func:`change_parameters`.

    Returns
    -------
    dict
        Class value → count, with every class of :data:`CLASS_ORDER`, in that order.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). *J Consult Clin Psychol*, 59(1), 12-19.
    """
    counts = {c.value: 0 for c in CLASS_ORDER}
    cutoff = scale_cutoff(scale)
    never = math.inf if scale.direction is Direction.HIGHER_IS_BETTER else -math.inf
    classes = classify_change(
        np.asarray(pre, dtype=np.float64),
        np.asarray(post, dtype=np.float64),
        sd=parameters.sd,
        reliability=parameters.reliability,
        cutoff=cutoff if cutoff is not None else never,
        direction=scale.direction,
        criterion=parameters.criterion,
    )
    for value in classes:
        if value in counts:
            counts[str(value)] += 1
    return counts
