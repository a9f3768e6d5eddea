"""Intake draws: the shared latent traits, the covariates and the ODARA-like risk score.

Everything here is drawn once per man, before the program starts.  The latent traits
(``latent_risk``, ``readiness``, ``disadvantage`` and the two alliance traits) are kept in
their own frame so later modules (measures, practice logs, re-offence) can build on the
same draws instead of inventing new, unrelated ones.

Binary and ordered traits are made by thresholding a correlated standard normal (a Gaussian
copula), so each category keeps exactly the marginal probability given in the parameters
while still moving with the latent risk or the socio-economic disadvantage factor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

from alliance.core.simulate.parameters import (
    EDUCATION_ORDER,
    EMPLOYMENT_ORDER,
    INCOME_ORDER,
    LANGUAGE_ORDER,
    REFERRAL_ORDER,
    RELATIONSHIP_ORDER,
    SimulationParameters,
)
from alliance.core.vocabulary import (
    MANDATED_SOURCES,
    Education,
    Employment,
    IncomeBand,
    RelationshipStatus,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# ODARA-like items: (prevalence, weight of the latent risk relative to
# risk_item_latent_loading).  Items 1, 2 and 11 (prior domestic assault, prior non-domestic
# assault, substance abuse) are read from the drawn record instead.  Prevalences are
# assumptions; the item list follows §5 (Hilton et al. 2004 [V]/[M]).
_DRAWN_ODARA_ITEMS: tuple[tuple[float, float], ...] = (
    (0.25, 1.0),  # prior custodial sentence >= 30 days
    (0.20, 1.0),  # failure on conditional release
    (0.30, 0.6),  # threat to harm or kill at the index assault
    (0.15, 0.6),  # confinement of the victim at the index assault
    (0.40, 0.6),  # victim's concern about future assaults
    (0.45, 0.0),  # more than one child
    (0.30, 0.0),  # victim has a child by a previous partner
    (0.30, 1.0),  # violence against others
    (0.08, 0.6),  # assault on the victim while pregnant
    (0.30, 0.3),  # barriers to victim support
)


@dataclass(frozen=True)
class Intake:
    """The men as referred: observed intake covariates and their latent traits."""

    participants: pd.DataFrame
    latent: pd.DataFrame


def draw_intake(
    n: int, rng: np.random.Generator, params: SimulationParameters, reference_year: int
) -> Intake:
    """Draw ``n`` referred men.  ``params`` must already be validated.

    References
    ----------
    .. [1] Daly, J. E., & Pelowski, S. (2000). Predictors of dropout among men who batter.
       *Violence and Victims*, 15(2), 137-160.
    .. [2] Hilton, N. Z. et al. (2004). A brief actuarial assessment for the prediction of
       wife assault recidivism: the ODARA. *Psychological Assessment*, 16(3), 267-275.
    """
    latent_risk = rng.standard_normal(n)
    disadvantage = _correlated(rng, latent_risk, params.latent_disadvantage_correlation)
    readiness = _correlated(rng, latent_risk, params.readiness_latent_correlation)
    client_trait = _correlated(rng, readiness, params.alliance_readiness_correlation)
    facilitator_trait = _correlated(rng, client_trait, params.alliance_rater_correlation)

    age = np.clip(
        np.rint(rng.normal(params.age_mean, params.age_sd, n)), params.age_min, params.age_max
    ).astype(np.int64)

    relationship = rng.choice(len(RELATIONSHIP_ORDER), size=n, p=params.relationship_probabilities)
    # Ordered from advantaged to disadvantaged; the disadvantage factor pushes men down.
    employment = _ordered_category(
        rng,
        disadvantage,
        params.disadvantage_loading,
        params.employment_probabilities,
        EMPLOYMENT_ORDER,
        (
            Employment.FULL_TIME,
            Employment.PART_TIME,
            Employment.NOT_IN_LABOUR_FORCE,
            Employment.UNEMPLOYED,
        ),
    )
    education = _ordered_category(
        rng,
        disadvantage,
        params.disadvantage_loading,
        params.education_probabilities,
        EDUCATION_ORDER,
        (Education.POST_SECONDARY, Education.HIGH_SCHOOL, Education.LESS_THAN_HIGH_SCHOOL),
    )
    income = _ordered_category(
        rng,
        disadvantage,
        params.disadvantage_loading,
        params.income_probabilities,
        INCOME_ORDER,
        (IncomeBand.HIGH, IncomeBand.MIDDLE, IncomeBand.LOW),
    )
    referral = rng.choice(len(REFERRAL_ORDER), size=n, p=params.referral_probabilities)
    language = rng.choice(len(LANGUAGE_ORDER), size=n, p=params.language_probabilities)

    has_record = _threshold(
        rng, latent_risk, params.prior_record_latent_loading, params.prior_record_rate
    )
    # Among men with a record: 1 + Poisson, with the latent risk raising the rate
    # (mean-one multiplier, so prior_offences_mean_if_any holds on average).
    extra_rate = (params.prior_offences_mean_if_any - 1.0) * np.exp(0.5 * latent_risk - 0.125)
    prior_offences = np.where(has_record, 1 + rng.poisson(extra_rate), 0).astype(np.int64)
    prior_ipv = rng.binomial(prior_offences, params.prior_ipv_share).astype(np.int64)
    substance = _threshold(rng, latent_risk, params.substance_latent_loading, params.substance_rate)
    risk_score = _risk_score(rng, latent_risk, prior_offences, prior_ipv, substance, params)

    participants = pd.DataFrame(
        {
            "participant_id": np.arange(n, dtype=np.int64),
            "birth_year": (reference_year - age).astype(np.int64),
            "age": age,
            "relationship_status": categorical(relationship, RELATIONSHIP_ORDER),
            "employment": categorical(employment, EMPLOYMENT_ORDER),
            "education": categorical(education, EDUCATION_ORDER),
            "income_band": categorical(income, INCOME_ORDER),
            "prior_offences": prior_offences,
            "prior_ipv_offences": prior_ipv,
            "substance_use_concern": substance,
            "primary_language": categorical(language, LANGUAGE_ORDER),
            "referral_source": categorical(referral, REFERRAL_ORDER),
            "risk_score": risk_score,
            "latent_risk": latent_risk,
            "readiness": readiness,
        }
    )
    latent = pd.DataFrame(
        {
            "participant_id": np.arange(n, dtype=np.int64),
            "latent_risk": latent_risk,
            "disadvantage": disadvantage,
            "readiness": readiness,
            "client_alliance_trait": client_trait,
            "facilitator_alliance_trait": facilitator_trait,
        }
    )
    return Intake(participants=participants, latent=latent)


def static_dropout_logit(participants: pd.DataFrame, params: SimulationParameters) -> FloatArray:
    """Return each man's time-constant part of the per-session dropout logit.

    ``sum_k log(OR_k) * (x_k - centre_k) + latent_risk_loading * latent_risk``, with binary
    covariates centred at their population prevalence and continuous ones as z-scores, so
    the terms average (close to) zero over the referred population.
    """
    p = params
    unemployed = (participants["employment"] == Employment.UNEMPLOYED).to_numpy(np.float64)
    single = participants["relationship_status"].isin(
        [RelationshipStatus.SINGLE, RelationshipStatus.SEPARATED]
    )
    low_income = participants["income_band"] == IncomeBand.LOW
    low_education = participants["education"] == Education.LESS_THAN_HIGH_SCHOOL
    mandated = participants["referral_source"].isin(list(MANDATED_SOURCES))
    prior = participants["prior_offences"].to_numpy() > 0
    substance = participants["substance_use_concern"].to_numpy(np.float64)
    age_z10 = (participants["age"].to_numpy(np.float64) - p.age_mean) / 10.0
    risk_z = (
        participants["risk_score"].to_numpy(np.float64) - p.risk_score_reference_mean
    ) / p.risk_score_reference_sd

    def share(probs: tuple[float, ...], order: tuple[str, ...], *wanted: str) -> float:
        return float(sum(probs[order.index(w)] for w in wanted))

    centre_unemployed = share(p.employment_probabilities, EMPLOYMENT_ORDER, Employment.UNEMPLOYED)
    centre_single = share(
        p.relationship_probabilities,
        RELATIONSHIP_ORDER,
        RelationshipStatus.SINGLE,
        RelationshipStatus.SEPARATED,
    )
    centre_income = share(p.income_probabilities, INCOME_ORDER, IncomeBand.LOW)
    centre_education = share(
        p.education_probabilities, EDUCATION_ORDER, Education.LESS_THAN_HIGH_SCHOOL
    )
    centre_mandated = share(p.referral_probabilities, REFERRAL_ORDER, *MANDATED_SOURCES)

    eta = (
        np.log(p.or_age_per_10y) * age_z10
        + np.log(p.or_unemployed) * (unemployed - centre_unemployed)
        + np.log(p.or_single) * (single.to_numpy(np.float64) - centre_single)
        + np.log(p.or_low_income) * (low_income.to_numpy(np.float64) - centre_income)
        + np.log(p.or_low_education) * (low_education.to_numpy(np.float64) - centre_education)
        + np.log(p.or_prior_record) * (prior.astype(np.float64) - p.prior_record_rate)
        + np.log(p.or_substance) * (substance - p.substance_rate)
        + np.log(p.or_mandated) * (mandated.to_numpy(np.float64) - centre_mandated)
        + np.log(p.or_risk_per_sd) * risk_z
        + np.log(p.or_readiness_per_sd) * participants["readiness"].to_numpy(np.float64)
        + p.latent_risk_loading * participants["latent_risk"].to_numpy(np.float64)
    )
    return np.asarray(eta, dtype=np.float64)


def _correlated(rng: np.random.Generator, anchor: FloatArray, rho: float) -> FloatArray:
    """A standard normal with correlation ``rho`` to the standard normal ``anchor``."""
    return np.asarray(
        rho * anchor + np.sqrt(1.0 - rho * rho) * rng.standard_normal(anchor.shape[0]),
        dtype=np.float64,
    )


def _threshold(
    rng: np.random.Generator, anchor: FloatArray, loading: float, rate: float
) -> BoolArray:
    """True for a share ``rate`` of men, more often when ``anchor`` is high."""
    score = _correlated(rng, anchor, loading)
    return np.asarray(score > ndtri(1.0 - rate), dtype=np.bool_)


def _ordered_category(
    rng: np.random.Generator,
    anchor: FloatArray,
    loading: float,
    probs: tuple[float, ...],
    order: tuple[str, ...],
    ranked: tuple[str, ...],
) -> IntArray:
    """Codes into ``order``: unknown at random, the rest ranked by a score that follows
    ``anchor``; every category keeps its marginal probability exactly."""
    n = anchor.shape[0]
    unknown_code = order.index("unknown")
    unknown = rng.random(n) < probs[unknown_code]
    known = np.array([probs[order.index(c)] for c in ranked], dtype=np.float64)
    cut = np.cumsum(known / known.sum())[:-1]
    u = ndtr(_correlated(rng, anchor, loading))
    rank = np.searchsorted(cut, u, side="right")
    codes = np.array([order.index(c) for c in ranked], dtype=np.int64)[rank]
    return np.asarray(np.where(unknown, unknown_code, codes), dtype=np.int64)


def _risk_score(
    rng: np.random.Generator,
    latent_risk: FloatArray,
    prior_offences: IntArray,
    prior_ipv: IntArray,
    substance: BoolArray,
    params: SimulationParameters,
) -> IntArray:
    score = (
        (prior_ipv > 0).astype(np.int64)
        + (prior_offences - prior_ipv > 0).astype(np.int64)
        + substance.astype(np.int64)
    )
    for prevalence, weight in _DRAWN_ODARA_ITEMS:
        loading = min(weight * params.risk_item_latent_loading, 0.95)
        score += _threshold(rng, latent_risk, loading, prevalence).astype(np.int64)
    return np.asarray(score, dtype=np.int64)


def categorical(codes: IntArray, categories: Sequence[str]) -> pd.Categorical:
    """A categorical from integer codes (the stubs want a sequence; an array is faster)."""
    return pd.Categorical.from_codes(
        cast("Sequence[int]", codes), categories=pd.Index([str(c) for c in categories])
    )
