"""The discrete-time logistic model against a Cox model on a public recidivism dataset.

Rossi, Berk & Lenihan (1980) followed 432 men released from Maryland prisons for 52 weeks
(``lifelines.datasets.load_rossi``: week of first arrest, ``arrest`` = 1 if arrested). The
lifelines documentation's Cox fit reports concordance 0.64 and, e.g., ``fin`` coef -0.38,
``prio`` 0.09 (https://lifelines.readthedocs.io/en/latest/Survival%20Regression.html).
With weekly periods and a rare event the discrete-time logit approximates the Cox model
(Allison 1982), so the same covariates should rank men alike.
"""

from __future__ import annotations

import numpy as np
import pytest

lifelines = pytest.importorskip("lifelines")

from lifelines import CoxPHFitter  # noqa: E402
from lifelines.datasets import load_rossi  # noqa: E402
from lifelines.utils import concordance_index  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from alliance.core.engagement.evaluate import person_period  # noqa: E402

COVARIATES = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


def test_person_period_expansion_marks_only_the_last_period() -> None:
    rows = person_period([3, 1], [True, False])
    assert rows["period"].tolist() == [1, 2, 3, 1]
    assert rows["event"].tolist() == [False, False, True, False]


def test_discrete_time_logit_ranks_like_cox_on_rossi() -> None:
    rossi = load_rossi()
    cox = CoxPHFitter().fit(rossi, "week", "arrest")
    assert cox.concordance_index_ == pytest.approx(0.640, abs=0.005)

    rows = person_period(rossi["week"].to_numpy(), rossi["arrest"].to_numpy(bool))
    x = rossi[COVARIATES].to_numpy(float)[rows["subject"]]
    design = np.column_stack([x, np.log(rows["period"].to_numpy(float))])
    logit = LogisticRegression(C=1e6, max_iter=2000).fit(design, rows["event"])
    beta = logit.coef_[0][: len(COVARIATES)]
    score = rossi[COVARIATES].to_numpy(float) @ beta
    c = concordance_index(rossi["week"], -score, rossi["arrest"])
    assert c == pytest.approx(cox.concordance_index_, abs=0.01)
    np.testing.assert_allclose(beta[0], cox.params_["fin"], atol=0.05)
    np.testing.assert_allclose(beta[-1], cox.params_["prio"], atol=0.02)
