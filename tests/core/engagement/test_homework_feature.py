"""Homework completion as an engagement feature: counted only from earlier sessions."""

from __future__ import annotations

import numpy as np

from alliance.core.engagement import cold_start_model
from alliance.core.engagement.features import FEATURE_NAMES, person_session_frame
from alliance.core.engagement.model import HazardModel
from alliance.core.engagement.outlook import explain
from tests.core.engagement.test_features import intake, sessions


def _with_homework(pid: int, handed: list[int], done: list[int]):
    frame = sessions(pid, ["present"] * len(handed), [8.0] * len(handed))
    return frame.assign(homework_set=handed, homework_done=done)


def test_undone_share_counts_only_homework_from_earlier_sessions() -> None:
    frame = person_session_frame(intake(1), _with_homework(1, [1, 1, 2, 0], [1, 0, 0, 0]))
    assert frame["homework_undone"].tolist() == [0.0, 0.0, 0.5, 0.75]
    assert frame["homework_set_before"].tolist() == [0.0, 1.0, 2.0, 4.0]
    assert frame["homework_done_before"].tolist() == [0.0, 1.0, 1.0, 1.0]


def test_no_homework_recorded_is_zero_not_missing() -> None:
    frame = person_session_frame(intake(1, 2), sessions(1, ["present", "present"], [8.0, 8.0]))
    assert (frame["homework_undone"] == 0.0).all()
    assert not frame.loc[:, list(FEATURE_NAMES)].isna().any().any()


def test_undone_homework_raises_the_cold_start_hazard_and_is_explained() -> None:
    model = cold_start_model()
    diligent = person_session_frame(intake(1), _with_homework(1, [1, 1, 1], [1, 1, 1]))
    careless = person_session_frame(intake(2), _with_homework(2, [1, 1, 1], [0, 0, 0]))
    last_d, last_c = diligent.iloc[[-1]], careless.iloc[[-1]]
    assert model.hazard(last_c)[0] > model.hazard(last_d)[0]
    assert "did 0 of 2 homework practices" in explain(model, last_c, top=len(FEATURE_NAMES))[0]


def test_a_model_stored_before_the_feature_existed_still_loads_with_no_weight_on_it() -> None:
    model = cold_start_model()
    old = model.to_dict()
    k = FEATURE_NAMES.index("homework_undone")
    for key in ("features", "centre", "scale", "coef"):
        old[key] = old[key][:k]
    loaded = HazardModel.from_dict(old)
    assert loaded.features == FEATURE_NAMES
    assert loaded.coef[k] == 0.0
    frame = person_session_frame(intake(1), _with_homework(1, [1, 1], [0, 0]))
    assert np.isfinite(loaded.hazard(frame)).all()
