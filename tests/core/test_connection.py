"""The connection map's pure rules: roles not names, network snapshots, isolation at a date,
and isolation as a time-varying feature of the dropout model (recovered from the simulator)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from alliance.core.connection import (
    Frequency,
    Review,
    Supportive,
    isolation_at,
    isolation_index,
    network_over_time,
    network_snapshot,
    role_problem,
)
from alliance.core.engagement import cold_start_model
from alliance.core.engagement.evaluate import synthetic_frames
from alliance.core.engagement.features import FEATURE_NAMES, person_session_frame
from alliance.core.engagement.model import (
    HazardModel,
    fit_hazard_model,
    isolation_observations,
    isolation_weight_is_assumed,
)
from alliance.core.simulate import IsolationEffect, SimulationParameters, simulate_program
from tests.core.engagement.test_features import intake, sessions

D = dt.date


@pytest.mark.parametrize(
    "role", ["cousin", "friend from the gym", "AA sponsor", "Uncle", "Best Friend", "old workmate"]
)
def test_a_role_is_accepted(role: str) -> None:
    assert role_problem(role) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Mike Jones", "looks like a person's name"),
        ("Uncle Joe", "looks like a person's name"),
        ("coach Dave Smith", "looks like a person's name"),
        ("Mike", "looks like a name"),
        ("call 555 0101", "no phone numbers"),
        ("joe@example.org", "no phone numbers or e-mail"),
        ("x" * 41, "40 characters"),
        ("   ", "Write his or her role"),
    ],
)
def test_a_name_or_contact_detail_is_refused_with_a_reason(text: str, says: str) -> None:
    problem = role_problem(text)
    assert problem is not None
    assert says in problem


def _reviews() -> list[Review]:
    return [
        Review(1, D(2026, 1, 5), Frequency.WEEKLY, Supportive.YES),
        Review(2, D(2026, 1, 5), Frequency.DAILY, Supportive.NO),
        Review(3, D(2026, 1, 5), Frequency.RARELY, Supportive.YES),
        # Three months on: the brother calls daily, the drinking friend is gone, a sponsor.
        Review(1, D(2026, 4, 6), Frequency.DAILY, Supportive.YES),
        Review(2, D(2026, 4, 6), Frequency.DAILY, Supportive.NO, in_network=False),
        Review(4, D(2026, 4, 6), Frequency.WEEKLY, Supportive.YES),
    ]


def test_a_snapshot_counts_each_persons_latest_review_by_that_day() -> None:
    before = network_snapshot(_reviews(), D(2026, 3, 1))
    assert (before.people, before.supportive, before.supportive_in_contact) == (3, 2, 1)
    assert (before.daily, before.weekly, before.monthly, before.rarely) == (1, 1, 0, 1)
    after = network_snapshot(_reviews(), D(2026, 4, 6))
    assert (after.people, after.supportive, after.supportive_in_contact) == (3, 3, 2)
    assert network_snapshot(_reviews(), D(2025, 12, 31)).people == 0


def test_the_network_over_time_has_one_snapshot_per_review_date() -> None:
    snapshots = network_over_time(_reviews())
    assert [s.day for s in snapshots] == [D(2026, 1, 5), D(2026, 4, 6)]
    assert [s.supportive_in_contact for s in snapshots] == [1, 2]


def test_isolation_joins_loneliness_and_support_and_never_looks_ahead() -> None:
    loneliness = [(D(2026, 1, 5), 8.0), (D(2026, 5, 1), 4.0)]
    at = isolation_at(D(2026, 4, 20), loneliness=loneliness, reviews=_reviews())
    assert at.loneliness_total == 8.0
    assert at.loneliness_on == D(2026, 1, 5)
    assert at.supportive_in_contact == 2
    assert at.network_on == D(2026, 4, 6)
    # (8 - 5) / 1.8 and (2 - 2) / 1.5, averaged.
    assert at.index == pytest.approx((3 / 1.8 + 0.0) / 2)
    nothing = isolation_at(D(2025, 1, 1), loneliness=loneliness, reviews=_reviews())
    assert nothing.index is None
    assert nothing.loneliness_total is None


def test_isolation_uses_whichever_half_is_measured_and_refuses_impossible_totals() -> None:
    assert isolation_index(5.0, None) == 0.0
    assert isolation_index(None, 0) == pytest.approx(2 / 1.5)
    assert isolation_index(None, 20) == isolation_index(None, 6)  # more than 6 adds nothing
    assert isolation_index(None, None) is None
    with pytest.raises(ValueError, match="between 3 and 9"):
        isolation_index(10.0, None)
    with pytest.raises(ValueError, match="negative"):
        isolation_index(None, -1)


def test_isolation_is_carried_forward_and_marked_missing_until_measured() -> None:
    frame = sessions(1, ["present"] * 4, [8.0] * 4).assign(isolation=[np.nan, 1.2, np.nan, -0.5])
    features = person_session_frame(intake(1), frame)
    assert features["isolation_z"].tolist() == [0.0, 1.2, 1.2, -0.5]
    assert features["isolation_missing"].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_without_isolation_every_other_feature_is_unchanged() -> None:
    plain = person_session_frame(intake(1), sessions(1, ["present", "unexcused"], [8.0, np.nan]))
    measured = person_session_frame(
        intake(1), sessions(1, ["present", "unexcused"], [8.0, np.nan]).assign(isolation=2.0)
    )
    others = [n for n in FEATURE_NAMES if not n.startswith("isolation")]
    assert plain[others].equals(measured[others])
    assert (plain["isolation_missing"] == 1.0).all()
    assert (plain["isolation_z"] == 0.0).all()


def test_the_cold_start_model_raises_risk_for_a_more_isolated_man() -> None:
    model = cold_start_model()
    base = sessions(1, ["present"] * 3, [8.0] * 3)
    lonely = person_session_frame(intake(1), base.assign(isolation=1.5)).iloc[[-1]]
    connected = person_session_frame(intake(1), base.assign(isolation=-1.0)).iloc[[-1]]
    unmeasured = person_session_frame(intake(1), base).iloc[[-1]]
    assert model.hazard(lonely)[0] > model.hazard(unmeasured)[0] > model.hazard(connected)[0]


def test_a_model_stored_before_isolation_loads_with_no_weight_on_it() -> None:
    old = cold_start_model().to_dict()
    k = FEATURE_NAMES.index("isolation_z")
    for key in ("features", "centre", "scale", "coef"):
        old[key] = old[key][:k]
    loaded = HazardModel.from_dict(old)
    assert loaded.coef[k] == 0.0
    assert loaded.features == FEATURE_NAMES


def test_the_weight_is_an_assumption_until_fitted_on_enough_observations() -> None:
    assert isolation_weight_is_assumed("cold_start", {})
    assert isolation_weight_is_assumed("refit", {})  # stored before the feature existed
    assert isolation_weight_is_assumed("refit", {"isolation_observed": {"rows": 5000, "events": 9}})
    assert not isolation_weight_is_assumed(
        "refit", {"isolation_observed": {"rows": 200, "events": 10}}
    )


def _simulated(effect: IsolationEffect, seed: int):
    params = SimulationParameters()
    program = simulate_program(
        4000, rng=np.random.default_rng(seed), params=params, isolation=effect
    )
    men, rows = synthetic_frames(program)
    # Measured at intake and every 8 sessions only; the features carry it in between.
    measured = (rows["session_number"] - 1) % effect.every_sessions == 0
    rows = rows.assign(isolation=program.sessions["isolation"].where(measured).to_numpy())
    rows = rows[rows["session_number"] < params.n_sessions]
    frame = person_session_frame(men[men["participant_id"].isin(rows["participant_id"])], rows)
    return frame


def test_the_fitted_model_recovers_the_simulated_isolation_effect() -> None:
    frame = _simulated(IsolationEffect(or_per_sd=1.6), seed=20261205)
    model = fit_hazard_model(frame, penalty_c=100.0)
    k = FEATURE_NAMES.index("isolation_z")
    odds_ratio = float(np.exp(model.coef[k] / model.scale[k]))
    assert frame["dropped_out_after"].sum() > 500
    assert 1.35 < odds_ratio < 1.9
    seen = isolation_observations(frame)
    assert seen["rows"] == int((frame["isolation_missing"] == 0).sum()) > 10_000
    null = _simulated(IsolationEffect(or_per_sd=1.0), seed=20261205)
    fitted = fit_hazard_model(null, penalty_c=100.0)
    assert 0.85 < float(np.exp(fitted.coef[k] / fitted.scale[k])) < 1.15


def test_isolation_leaves_the_rest_of_the_simulated_program_unchanged_when_off() -> None:
    a = simulate_program(300, rng=np.random.default_rng(3))
    b = simulate_program(300, rng=np.random.default_rng(3), isolation=IsolationEffect(1.0))
    assert a.participants["outcome"].tolist() == b.participants["outcome"].tolist()
    assert "isolation" not in a.sessions.columns
    assert "isolation" in b.sessions.columns


def test_a_bad_isolation_effect_is_refused() -> None:
    with pytest.raises(ValueError, match="or_per_sd"):
        simulate_program(10, rng=np.random.default_rng(1), isolation=IsolationEffect(0.0))
