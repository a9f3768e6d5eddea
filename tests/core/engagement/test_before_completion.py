"""The number staff see: the chance of leaving before completion, its bands and its reasons.

Hand-worked products first, then the simulator (fixed seed), whose men carry their true
chance of leaving before completion (``baseline_dropout_probability``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from alliance.core.engagement.bands import BANDS, OUTREACH_BANDS, band_for
from alliance.core.engagement.evaluate import synthetic_frames
from alliance.core.engagement.features import (
    FEATURE_NAMES,
    FEATURES,
    SIGNAL,
    TRAIT,
    person_session_frame,
)
from alliance.core.engagement.model import (
    HazardModel,
    fit_with_validation,
    reliability_table,
    time_aware_cv,
)
from alliance.core.engagement.outlook import describe, explain, outlooks
from alliance.core.simulate import simulate_program
from tests.core.engagement.test_features import intake, sessions


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def model_with(intercept: float, **coef: float) -> HazardModel:
    """A model on raw feature units (centre 0, scale 1) with only the given coefficients."""
    n = len(FEATURE_NAMES)
    return HazardModel(
        source="refit",
        features=FEATURE_NAMES,
        centre=(0.0,) * n,
        scale=(1.0,) * n,
        coef=tuple(coef.get(name, 0.0) for name in FEATURE_NAMES),
        intercept=intercept,
    )


def one_row(**values: float) -> pd.DataFrame:
    row = {name: 0.0 for name in FEATURE_NAMES} | {"participant_id": 1, "session_number": 3}
    return pd.DataFrame([row | values])


@pytest.mark.parametrize(("h", "k"), [(0.05, 1), (0.05, 2), (0.1, 7), (0.2, 15)])
def test_a_constant_hazard_gives_one_minus_survival_over_the_sessions_left(h, k) -> None:
    next_two, before = model_with(_logit(h)).project(one_row(), np.array([k]))
    assert before[0] == pytest.approx(1 - (1 - h) ** k, rel=1e-9)
    assert next_two[0] == pytest.approx(1 - (1 - h) ** min(k, 2), rel=1e-9)


def test_the_hazard_falls_with_each_session_as_the_model_says() -> None:
    # h(s) = expit(a + b s): three sessions left from session index 2 -> s = 2, 3, 4.
    a, b = _logit(0.1), math.log(0.8)
    rows = one_row(session_index=2.0)
    _, before = model_with(a, session_index=b).project(rows, np.array([3]))
    stay = 1.0
    for s in (2, 3, 4):
        stay *= 1 - 1 / (1 + math.exp(-(a + b * s)))
    assert before[0] == pytest.approx(1 - stay, rel=1e-9)


def test_signals_are_held_or_drift_back_as_documented() -> None:
    # A missed last session (coefficient c) against an average man (centre 0).
    a, c = _logit(0.05), 1.5
    model = model_with(a, absent_now=c)
    rows = one_row(absent_now=1.0)
    _, held = model.project(rows, np.array([4]), persistence=1.0)
    assert held[0] == pytest.approx(1 - (1 - 1 / (1 + math.exp(-(a + c)))) ** 4)
    _, drifting = model.project(rows, np.array([4]), persistence=0.5)
    stay = math.prod(1 - 1 / (1 + math.exp(-(a + c * 0.5**j))) for j in range(4))
    assert drifting[0] == pytest.approx(1 - stay, rel=1e-9)
    # Fixed traits never drift: the same with a trait in place of the signal.
    trait = model_with(a, unemployed=c).project(one_row(unemployed=1.0), np.array([4]))[1]
    assert trait[0] == pytest.approx(held[0])


def test_the_list_number_and_band_are_before_completion() -> None:
    frame = person_session_frame(intake(1, 2), sessions(2, ["present", "unexcused"], [8, np.nan]))
    model = model_with(_logit(0.08), absent_now=1.0)
    found = outlooks(model, frame, sessions_left=pd.Series({1: 20, 2: 18}))
    for o in found:
        assert o.band == band_for(o.before_completion)
        assert o.prompts_outreach == (o.band in OUTREACH_BANDS)
    assert [o.participant_id for o in found] == [2, 1]  # he missed the last session


def test_bands_have_documented_cut_points() -> None:
    assert [(b.name, b.lower) for b in BANDS] == [
        ("low", 0.0),
        ("moderate", 0.15),
        ("elevated", 0.30),
        ("high", 0.50),
    ]
    assert band_for(0.1499) == "low"
    assert band_for(0.15) == "moderate"
    assert band_for(0.30) == "elevated"
    assert band_for(0.5) == "high"
    assert band_for(1.0) == "high"
    assert {"elevated", "high"} == OUTREACH_BANDS


def test_reasons_are_changeable_signals_only_with_honest_numbers() -> None:
    # Every trait pushes his risk up a lot; only the signals may be said.
    traits = {f.name: 2.0 for f in FEATURES if f.kind == TRAIT}
    model = model_with(_logit(0.05), **traits, absent_now=1.0, checkout_change_z=-1.0)
    row = one_row(
        **{name: 1.0 for name in traits},
        absent_now=1.0,
        consecutive_absences=1.0,
        checkout_change_z=-2.0,
        checkout_change_points=-3.0,
        checkout_points=5.0,
    )
    (reasons,) = explain(model, row)
    # Largest push first: the fall (2.0 on the logit) before the absence (1.0).
    assert reasons == ("check-out fell 3 points (from 8 to 5 of 10)", "missed the last session")
    for f in FEATURES:
        if f.kind == TRAIT:
            assert f.label not in reasons
            assert describe(f.name, {}) == ""


def test_no_movement_is_never_said() -> None:
    assert describe("checkout_change_z", {"checkout_change_points": 0.0}) == ""
    assert describe("checkout_change_z", {"checkout_change_points": -0.4}) == ""
    assert describe("checkout_change_z", {"checkout_change_points": 1.0}) == ""
    assert describe("checkout_change_z", {"checkout_change_points": -1.0}) == (
        "check-out fell 1 point"
    )
    assert describe("consecutive_absences", {"consecutive_absences": 0.0}) == ""
    assert describe("absence_rate", {"absence_rate": 0.0, "session_number": 6}) == ""
    assert describe("absence_rate", {"absence_rate": 0.5, "session_number": 2}) == (
        "missed 1 of 2 sessions so far"
    )
    assert describe("late_now", {"late_now": 0.0}) == ""
    assert describe("checkout_z", {"checkout_points": 8.0}) == ""
    assert describe("homework_undone", {"homework_set_before": 1, "homework_done_before": 0}) == (
        "did 0 of 1 homework practice"
    )
    assert describe("missed_measures", {"missed_measures": 0.25, "attended_count": 4}) == (
        "no check-out at 1 of the 4 sessions he came to"
    )


def test_every_feature_has_a_kind_and_a_human_title() -> None:
    for f in FEATURES:
        assert f.kind in {TRAIT, SIGNAL, "timing"}
        assert "_" not in f.title, f.title


def test_reliability_table_counts_each_band() -> None:
    y = np.array([True, False, False, True, True])
    p = np.array([0.05, 0.10, 0.20, 0.60, 0.70])
    table = {r["band"]: r for r in reliability_table(y, p)}
    assert table["low"]["rows"] == 2
    assert table["low"]["observed"] == pytest.approx(0.5)
    assert table["moderate"]["rows"] == 1
    assert table["moderate"]["observed"] == 0.0
    assert table["elevated"]["rows"] == 0
    assert table["elevated"]["observed"] is None
    assert table["high"]["predicted"] == pytest.approx(0.65)


@pytest.fixture(scope="module")
def simulated() -> dict[str, object]:
    program = simulate_program(2500, rng=np.random.default_rng(7))
    n = program.parameters.n_sessions
    frames = synthetic_frames(program)
    men = program.participants.loc[~program.participants["no_show"]]
    ids = np.sort(men["participant_id"].to_numpy())
    cut = ids[int(len(ids) * 0.7)]
    past = frames[1][(frames[1]["participant_id"] < cut) & (frames[1]["session_number"] < n)]
    frame = person_session_frame(
        frames[0][frames[0]["participant_id"].isin(past["participant_id"])], past
    )
    order = pd.Series(np.unique(frame["participant_id"]), index=np.unique(frame["participant_id"]))
    completion = pd.DataFrame({"required": n, "ended": True}, index=order.index)
    model, cv = fit_with_validation(frame, order, completion=completion)
    return {"program": program, "model": model, "cv": cv, "men": men, "cut": cut, "n": n}


def test_simulator_men_with_higher_true_risk_rank_higher(simulated) -> None:
    men = simulated["men"]
    test = men[men["participant_id"] >= simulated["cut"]]
    intake_frame, session_frame = synthetic_frames(simulated["program"])
    fresh = person_session_frame(  # each held-out man at intake: no session yet
        intake_frame[intake_frame["participant_id"].isin(test["participant_id"])],
        session_frame.iloc[:0],
    )
    _, before = simulated["model"].project(fresh, np.full(len(fresh), simulated["n"]))
    truth = fresh["participant_id"].map(
        test.set_index("participant_id")["baseline_dropout_probability"]
    )
    rho = pd.Series(before).rank().corr(truth.reset_index(drop=True).rank())
    assert rho > 0.8
    # Calibration within bands: each band's average estimate is near the share who left.
    left = fresh["participant_id"].map(test.set_index("participant_id")["outcome"] == "dropped_out")
    table = reliability_table(left.to_numpy(np.bool_), before)
    for row in table:
        if row["rows"] >= 50:
            assert abs(row["predicted"] - row["observed"]) < 0.1, row


def test_simulator_held_out_completion_check_is_calibrated(simulated) -> None:
    check = simulated["cv"].completion
    assert check["men"] > 500
    assert 0 < check["left"] < check["men"]
    assert check["auc"] > 0.75
    for row in check["bands"]:
        if row["rows"] >= 200:
            assert abs(row["predicted"] - row["observed"]) < 0.1, row
    assert check["cold_start"]["brier"] is not None


def test_intake_only_rows_teach_nothing() -> None:
    # A man who ended with no session recorded must not count as "stayed at intake".
    frame = person_session_frame(intake(1, 2, 3), sessions(3, ["present", "present"], [8, 7]))
    frame.loc[frame["participant_id"] == 3, "dropped_out_after"] = [False, True]
    with pytest.raises(ValueError, match="too little history"):
        time_aware_cv(frame, pd.Series([1, 2, 3], index=[1, 2, 3]), folds=1)
