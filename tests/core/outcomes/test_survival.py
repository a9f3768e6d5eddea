"""Survival functions against published analyses and naive reference implementations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines.datasets import load_rossi, load_stanford_heart_transplants

from alliance.core.outcomes import (
    OutcomeDataError,
    fit_cox,
    fit_cox_time_varying,
    kaplan_meier,
    log_rank,
    proportional_hazards_test,
)
from alliance.core.outcomes.survival import counting_process_concordance

ROSSI_COVARIATES = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


@pytest.fixture(scope="module")
def rossi() -> pd.DataFrame:
    return load_rossi()


def test_cox_reproduces_fox_and_weisberg_rossi_table(rossi) -> None:
    """Rossi, Berk & Lenihan (1980) recidivism data, 432 released prisoners, 114 arrests.

    Fox, J., & Weisberg, S. (2011). Cox proportional-hazards regression for survival data in
    R. Appendix to *An R Companion to Applied Regression*, 2nd ed., p. 4: ``coxph(Surv(week,
    arrest) ~ fin + age + race + wexp + mar + paro + prio, data=Rossi)`` (Efron ties):

        coef: fin -0.3794, age -0.0574, race 0.3139, wexp -0.1498, mar -0.4337,
              paro -0.0849, prio 0.0915
        se:   fin 0.1914, age 0.0220, race 0.3080, wexp 0.2122, mar 0.3819,
              paro 0.1958, prio 0.0286
    """
    result, _ = fit_cox(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES)
    published = {
        "fin": (-0.379, 0.191),
        "age": (-0.0574, 0.0220),
        "race": (0.314, 0.308),
        "wexp": (-0.150, 0.212),
        "mar": (-0.434, 0.382),
        "paro": (-0.0849, 0.196),
        "prio": (0.0915, 0.0286),
    }
    for name, (coef, se) in published.items():
        assert result.coefficients[name] == pytest.approx(coef, abs=5e-4), name
        assert result.standard_errors[name] == pytest.approx(se, abs=5e-4), name
    assert result.n == 432
    assert result.n_events == 114
    assert result.concordance == pytest.approx(0.640, abs=5e-4)


def test_schoenfeld_test_flags_age_and_wexp_as_fox_and_weisberg_do(rossi) -> None:
    """Fox & Weisberg (2011, §4) find non-proportional hazards for age and wexp only."""
    _, fitter = fit_cox(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES)
    ph = proportional_hazards_test(fitter, rossi, time_transform="km")
    assert sorted(ph.violations(0.05)) == ["age", "wexp"]


def test_counting_process_cox_equals_the_static_fit_when_nothing_varies(rossi) -> None:
    # Splitting each man's time into weekly intervals with the same covariates leaves the
    # partial likelihood unchanged (the risk sets are the same), so the fits must agree.
    rows = []
    for i, man in rossi.iterrows():
        last = int(man.week)
        for week in range(max(1, last - 3), last + 1):
            start = 0 if week == max(1, last - 3) else week - 1
            rows.append(
                {
                    "id": i,
                    "start": start,
                    "stop": week,
                    "arrest": int(man.arrest == 1 and week == last),
                    **{c: man[c] for c in ROSSI_COVARIATES},
                }
            )
    long = pd.DataFrame(rows)
    static, _ = fit_cox(rossi, duration="week", event="arrest", covariates=ROSSI_COVARIATES)
    varying = fit_cox_time_varying(
        long,
        id_column="id",
        start="start",
        stop="stop",
        event="arrest",
        covariates=ROSSI_COVARIATES,
    )
    for name in ROSSI_COVARIATES:
        assert varying.coefficients[name] == pytest.approx(static.coefficients[name], abs=1e-6)
    assert varying.n == 432
    assert varying.n_events == 114
    assert varying.concordance == pytest.approx(static.concordance, abs=1e-3)


def test_time_varying_transplant_model_on_the_stanford_heart_data() -> None:
    """Crowley & Hu (1977) Stanford heart transplant data in counting-process form (lifelines'
    copy of R ``survival::heart``: 172 intervals, 103 patients, 75 deaths); transplant is a
    time-varying covariate. The coefficients agree with lifelines' documented
    CoxTimeVaryingFitter example (age 0.03, year -0.15, surgery -0.64, transplant -0.01)."""
    heart = load_stanford_heart_transplants()
    result = fit_cox_time_varying(
        heart,
        id_column="id",
        start="start",
        stop="stop",
        event="event",
        covariates=["age", "year", "surgery", "transplant"],
    )
    assert result.coefficients["age"] == pytest.approx(0.03, abs=5e-3)
    assert result.coefficients["year"] == pytest.approx(-0.15, abs=5e-3)
    assert result.coefficients["surgery"] == pytest.approx(-0.64, abs=5e-3)
    assert result.coefficients["transplant"] == pytest.approx(-0.01, abs=5e-3)
    assert (result.n, result.n_events) == (103, 75)


def _naive_km(t: np.ndarray, e: np.ndarray) -> dict[float, float]:
    s, out = 1.0, {}
    for time in np.unique(t):
        at_risk = (t >= time).sum()
        deaths = ((t == time) & (e == 1)).sum()
        s *= 1 - deaths / at_risk
        out[float(time)] = s
    return out


def test_kaplan_meier_matches_the_product_limit_by_hand(rossi) -> None:
    t, e = rossi.week.to_numpy(float), rossi.arrest.to_numpy()
    curve = kaplan_meier(t, e)
    for time, s in _naive_km(t, e).items():
        assert curve.at(time) == pytest.approx(s, abs=1e-12)
    assert curve.at(52) == pytest.approx(1 - 114 / 432 + 0.0, abs=0.01)
    assert (curve.lower <= curve.survival + 1e-12).all()
    assert (curve.upper >= curve.survival - 1e-12).all()


def test_log_rank_on_financial_aid(rossi) -> None:
    # Chi-square 3.84 on 1 df, p = 0.0501 (survdiff(Surv(week, arrest) ~ fin), Rossi data).
    result = log_rank(rossi.week, rossi.arrest, rossi.fin)
    assert result.statistic == pytest.approx(3.84, abs=0.01)
    assert result.degrees_of_freedom == 1


def test_concordance_counts_ties_in_risk_as_half() -> None:
    start = np.zeros(3)
    stop = np.array([1.0, 2.0, 3.0])
    event = np.array([1, 1, 0])
    assert counting_process_concordance(start, stop, event, np.array([3.0, 2.0, 1.0])) == 1.0
    assert counting_process_concordance(start, stop, event, np.array([1.0, 1.0, 1.0])) == 0.5


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("week", "soon", "column 'week', row 3: 'soon' is not a positive number"),
        ("week", "-1", "column 'week', row 3: '-1' is not a positive number"),
        ("arrest", "2", "column 'arrest', row 3: '2' is not 0 or 1"),
        ("age", "", "column 'age', row 3: '' is not a number"),
    ],
)
def test_bad_values_are_named_by_column_and_row(rossi, column, value, message) -> None:
    frame = rossi.astype(str)
    frame.loc[2, column] = value
    with pytest.raises(OutcomeDataError, match=message.replace("(", r"\(")):
        fit_cox(frame, duration="week", event="arrest", covariates=["fin", "age"])


def test_missing_and_constant_columns_are_named(rossi) -> None:
    with pytest.raises(OutcomeDataError, match="column 'height' is not in the data"):
        fit_cox(rossi, duration="week", event="arrest", covariates=["height"])
    constant = rossi.assign(one=1)
    with pytest.raises(OutcomeDataError, match="column 'one' has the same value"):
        fit_cox(constant, duration="week", event="arrest", covariates=["one"])


def test_vectorised_kaplan_meier_matches_lifelines_with_and_without_weights(rossi) -> None:
    import warnings

    from lifelines import KaplanMeierFitter

    weights = np.random.default_rng(2).uniform(0.2, 3.0, len(rossi))
    for w in (None, weights):
        ours = kaplan_meier(rossi.week, rossi.arrest, weights=w)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = KaplanMeierFitter().fit(rossi.week, rossi.arrest, weights=w)
        np.testing.assert_allclose(ours.timeline, theirs.survival_function_.index, rtol=0)
        np.testing.assert_allclose(ours.survival, theirs.survival_function_.iloc[:, 0], rtol=1e-12)
        if w is None:
            # Weighted limits differ on purpose: lifelines casts the weighted number at risk to
            # an unsigned integer in Greenwood's sum; we keep it as it is.
            ci = theirs.confidence_interval_survival_function_
            np.testing.assert_allclose(ours.lower, ci.iloc[:, 0], atol=1e-12)
            np.testing.assert_allclose(ours.upper, ci.iloc[:, 1], atol=1e-12)
