"""The discrete-time dropout hazard: a regularised, recalibrated logistic regression.

``logit h(s | x) = a + b * (beta_0 + sum_k beta_k (x_k - m_k) / s_k)`` where ``h`` is the
probability of dropping out before the next session, ``m``/``s`` the scaler, ``beta`` the
(L2-penalised) logistic coefficients and ``a``/``b`` a logistic recalibration fitted on
out-of-fold predictions (Cox 1958; Van Calster et al. 2019).

Two sources: :func:`cold_start_model` (coefficients from the literature, see
``COLD_START_ODDS_RATIOS``) and :func:`fit_hazard_model` (the organization's own history).

References
----------
.. [1] Cox, D. R. (1958). Two further applications of a model for binary regression.
   *Biometrika*, 45, 562-565.
.. [2] Van Calster, B. et al. (2019). Calibration: the Achilles heel of predictive analytics.
   *BMC Medicine*, 17, 230.
.. [3] Olver, M. E., Stockdale, K. C., & Wormith, J. S. (2011). A meta-analysis of predictors
   of offender treatment attrition. *JCCP*, 79(1), 6-21.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from alliance.core.engagement.features import FEATURE_NAMES, SIGNAL_NAMES, design_matrix

FloatArray = NDArray[np.float64]

MODEL_FORMAT = 1
#: The time-varying isolation feature (``alliance.core.connection``).
ISOLATION_FEATURE = "isolation_z"

#: How much of a changeable signal's distance from the average man is kept from one future
#: session to the next when projecting to completion (``HazardModel.project``).  Assumption:
#: session-level alliance and attendance are "fairly stable" but move (van Tilburg et al.
#: 2025); 0.8 keeps about a third of today's deviation five sessions on.  Holding signals at
#: today's values for the whole program (1.0) turned one low rating into "certain to leave".
SIGNAL_PERSISTENCE = 0.8


@dataclass(frozen=True)
class ColdStartTerm:
    """One literature coefficient: odds ratio per unit of the feature, centre, and source."""

    odds_ratio: float
    centre: float
    source: str


#: Cold-start odds ratios (per unit of each feature as built in ``features.py``).  Binary
#: features are centred at the §6 population prevalence so that a man with average
#: covariates has the §6 baseline hazard.  Features absent here have coefficient 0: the
#: literature gives no usable size for them.
COLD_START_ODDS_RATIOS: dict[str, ColdStartTerm] = {
    "age_10": ColdStartTerm(0.68, 0.0, "Olver et al. 2011 r_w = -.10 -> OR per 10 y [V->D]"),
    "unemployed": ColdStartTerm(
        1.8, 0.30, "Daly & Pelowski 2000; NIJ 2009 (direction [V]); size assumption"
    ),
    "single": ColdStartTerm(1.5, 0.57, "Daly & Pelowski 2000 (direction [V]); size assumption"),
    "low_income": ColdStartTerm(1.4, 0.45, "Rondeau et al. 2001 (direction [V]); size assumed"),
    "low_education": ColdStartTerm(
        1.4, 0.25, "Daly et al.; NIJ 2009 (direction [V]); size assumed"
    ),
    "prior_record": ColdStartTerm(1.7, 0.6, "Olver et al. 2011 r_w = .14 -> OR [V->D]; NIJ 2009"),
    "substance": ColdStartTerm(1.6, 0.35, "Daly et al.; PMC4881299 (direction [V]); size assumed"),
    "mandated": ColdStartTerm(0.7, 0.83, "Daly et al. [V]; inconsistent (Daly & Pelowski)"),
    "risk_z": ColdStartTerm(2.0, 0.0, "Olver et al. 2011 SIR r_w = .18 -> OR per SD [V->D]"),
    "readiness_z": ColdStartTerm(0.61, 0.0, "Olver et al. 2011 motivation r_w = -.13 [V->D]"),
    "checkout_z": ColdStartTerm(
        0.58, 0.0, "Sharf et al. 2010 alliance-dropout d = .55 -> OR per SD [D]"
    ),
    "rating_z": ColdStartTerm(
        0.5, 0.0, "van Tilburg et al. 2025 therapist alliance [V]; size assumed"
    ),
    "homework_undone": ColdStartTerm(
        1.3,
        0.0,
        "assumption: homework compliance goes with outcome in CBT (Kazantzis et al. 2010, "
        "direction only); no dropout OR published. 0 when no homework is recorded",
    ),
    "consecutive_absences": ColdStartTerm(
        1.3,
        0.1,
        "assumption: NIJ 2009 ch. 8 names failure to attend as the first sign; no OR published",
    ),
    ISOLATION_FEATURE: ColdStartTerm(
        1.3,
        0.0,
        "assumption until fitted: dropouts are the most disconnected (the seed; bip_standards.md "
        "§4 idea 2), direction only; no OR published. 0 when not measured (docs/connection.md)",
    ),
}
#: A refit's isolation weight is labelled an assumption until it has learned from at least this
#: many person-sessions with isolation measured, among them this many dropouts.
MIN_ISOLATION_ROWS = 200
MIN_ISOLATION_EVENTS = 10
#: Baseline hazard of §6: h(s) = 0.062 * 0.88**(s-1), taken as linear on the logit scale.
COLD_START_BASE = (math.log(0.062 / (1 - 0.062)), math.log(0.88))


@dataclass(frozen=True)
class HazardModel:
    """A fitted (or literature) hazard model; everything needed to score, as plain numbers."""

    source: str  # "cold_start" or "refit"
    features: tuple[str, ...]
    centre: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    calibration_intercept: float = 0.0
    calibration_slope: float = 1.0
    metrics: dict[str, Any] = field(default_factory=dict)

    def linear_predictor(self, x: FloatArray) -> FloatArray:
        z = (x - np.asarray(self.centre)) / np.asarray(self.scale)
        raw = self.intercept + z @ np.asarray(self.coef)
        return np.asarray(
            self.calibration_intercept + self.calibration_slope * raw, dtype=np.float64
        )

    def hazard(self, frame: pd.DataFrame) -> FloatArray:
        """Probability of dropping out before the next session, one per row of ``frame``."""
        return _expit(self.linear_predictor(design_matrix(frame)))

    def project(
        self,
        rows: pd.DataFrame,
        sessions_left: NDArray[np.int64],
        *,
        persistence: float | None = None,
    ) -> tuple[FloatArray, FloatArray]:
        """Project each row forward: ``(P(leave within 2 sessions), P(leave before completion))``.

        ``sessions_left[i]`` (at least 1) is how many more sessions row ``i``'s man must attend.
        Fixed traits stay as they are and ``session_index`` advances by one per future
        session.  His changeable signals (``features.SIGNAL``) start at their current values
        and their distance from the model's average man shrinks by the factor
        ``persistence`` per future session (default ``SIGNAL_PERSISTENCE``; 1.0 holds them at
        their current values for the rest of the program).  So
        ``P(before completion) = 1 - prod_{k=0}^{left-1} (1 - h(s + k))``.
        """
        rho = SIGNAL_PERSISTENCE if persistence is None else persistence
        left = np.maximum(np.asarray(sessions_left, dtype=np.int64), 1)
        if len(rows) == 0:
            empty = np.zeros(0)
            return empty, empty
        horizon = int(left.max())
        log_survival = np.zeros(len(rows))
        survive_two = np.ones(len(rows))
        x = design_matrix(rows)
        step_column = FEATURE_NAMES.index("session_index")
        signals = np.array([name in SIGNAL_NAMES for name in FEATURE_NAMES])
        centre = np.asarray(self.centre, dtype=np.float64)
        for k in range(horizon):
            h = np.clip(_expit(self.linear_predictor(x)), 0.0, 1 - 1e-12)
            alive = k < left
            log_survival += np.where(alive, np.log1p(-h), 0.0)
            if k < 2:
                survive_two *= np.where(alive, 1.0 - h, 1.0)
            x = x.copy()
            x[:, step_column] += 1.0
            if rho != 1.0:
                x[:, signals] = centre[signals] + rho * (x[:, signals] - centre[signals])
        return 1.0 - survive_two, -np.expm1(log_survival)

    def contributions(self, frame: pd.DataFrame) -> FloatArray:
        """Each feature's term on the (calibrated) logit, relative to an average man."""
        z = (design_matrix(frame) - np.asarray(self.centre)) / np.asarray(self.scale)
        return np.asarray(self.calibration_slope * z * np.asarray(self.coef), dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "source": self.source,
            "features": list(self.features),
            "centre": list(self.centre),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "calibration_intercept": self.calibration_intercept,
            "calibration_slope": self.calibration_slope,
            "metrics": self.metrics,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HazardModel:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"model format {data.get('format')!r} is not {MODEL_FORMAT}")
        stored = tuple(data["features"])
        if stored != FEATURE_NAMES[: len(stored)]:
            raise ValueError("model features do not match this version's FEATURE_NAMES")
        # A model stored before later features were added gives them no weight (coefficient
        # 0, centre 0, scale 1) until the next refit learns them.
        extra = len(FEATURE_NAMES) - len(stored)
        return cls(
            source=str(data["source"]),
            features=FEATURE_NAMES,
            centre=tuple(float(v) for v in data["centre"]) + (0.0,) * extra,
            scale=tuple(float(v) for v in data["scale"]) + (1.0,) * extra,
            coef=tuple(float(v) for v in data["coef"]) + (0.0,) * extra,
            intercept=float(data["intercept"]),
            calibration_intercept=float(data["calibration_intercept"]),
            calibration_slope=float(data["calibration_slope"]),
            metrics=dict(data.get("metrics", {})),
        )


def cold_start_model() -> HazardModel:
    """The literature model, used until a refit beats it on held-out history.

    ``session_index`` carries the §6 baseline decay ``log(0.88)`` per session; every other
    coefficient is ``log(OR)`` from ``COLD_START_ODDS_RATIOS``.
    """
    coef = []
    centre = []
    for name in FEATURE_NAMES:
        term = COLD_START_ODDS_RATIOS.get(name)
        if name == "session_index":
            coef.append(COLD_START_BASE[1])
            centre.append(0.0)
        elif term is None:
            coef.append(0.0)
            centre.append(0.0)
        else:
            coef.append(math.log(term.odds_ratio))
            centre.append(term.centre)
    return HazardModel(
        source="cold_start",
        features=FEATURE_NAMES,
        centre=tuple(centre),
        scale=tuple(1.0 for _ in FEATURE_NAMES),
        coef=tuple(coef),
        intercept=COLD_START_BASE[0],
    )


def at_risk_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a hazard is learned from: after a session he was due at.

    An intake-only row (``session_number == 0``) says nothing about leaving between sessions:
    a man who ended with no session recorded (history imported without attendance, a
    no-show) would otherwise teach the model that men "stay" at intake.
    """
    if "session_number" not in frame.columns:
        return frame
    return frame[frame["session_number"] > 0]


def fit_hazard_model(
    frame: pd.DataFrame, *, penalty_c: float = 1.0, calibrate_on: pd.DataFrame | None = None
) -> HazardModel:
    """Fit the L2 logistic hazard on labelled person-session rows.

    ``calibrate_on`` (held-out rows with labels) gives the recalibration intercept and slope;
    without it the model is left uncalibrated (a = 0, b = 1), which for an unpenalised
    logistic fit on the same data is the identity anyway.
    """
    _check_labelled(frame)
    frame = at_risk_rows(frame)
    x = design_matrix(frame)
    y = frame["dropped_out_after"].to_numpy(np.bool_)
    centre = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    clf = LogisticRegression(C=penalty_c, max_iter=500, solver="lbfgs")
    clf.fit((x - centre) / scale, y)
    model = HazardModel(
        source="refit",
        features=FEATURE_NAMES,
        centre=tuple(float(v) for v in centre),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in clf.coef_[0]),
        intercept=float(clf.intercept_[0]),
    )
    if calibrate_on is not None:
        a, b = calibration_line(
            calibrate_on["dropped_out_after"].to_numpy(np.bool_),
            model.linear_predictor(design_matrix(calibrate_on)),
        )
        model = _recalibrated(model, a, b)
    return model


def _recalibrated(model: HazardModel, a: float, b: float) -> HazardModel:
    from dataclasses import replace

    return replace(model, calibration_intercept=a, calibration_slope=b)


def calibration_line(y: NDArray[np.bool_], logit: FloatArray) -> tuple[float, float]:
    """Calibration intercept and slope: ``logit P(y) = a + b * logit`` (Cox 1958)."""
    if y.all() or not y.any():
        return 0.0, 1.0
    clf = LogisticRegression(C=1e6, max_iter=200)
    clf.fit(logit.reshape(-1, 1), y)
    return float(clf.intercept_[0]), float(clf.coef_[0, 0])


def evaluate(y: NDArray[np.bool_], p: FloatArray) -> dict[str, float | None]:
    """AUC, Brier score and calibration intercept/slope of predictions ``p`` for labels ``y``."""
    if y.size == 0 or y.all() or not y.any():
        return {
            "auc": None,
            "brier": None,
            "calibration_intercept": None,
            "calibration_slope": None,
        }
    q = np.clip(p, 1e-9, 1 - 1e-9)
    a, b = calibration_line(y, np.log(q) - np.log1p(-q))
    return {
        "auc": float(roc_auc_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "calibration_intercept": a,
        "calibration_slope": b,
    }


#: Penalties tried (inverse L2 strength, scikit-learn's ``C``); the one with the lowest
#: out-of-fold log-loss is used.  Small programs need strong shrinkage: an unpenalised fit on
#: a few dozen dropouts separates them by chance and looks perfect (the demo's old AUC 0.997).
PENALTY_GRID = (0.03, 0.1, 0.3, 1.0)


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold predictions of a refit and of the cold-start model on the same rows."""

    refit: dict[str, float | None]
    cold_start: dict[str, float | None]
    rows: int
    events: int
    folds: int
    oof: pd.DataFrame  # participant_id, session_number, y, refit, cold_start
    penalty_c: float = 1.0
    #: Held-out check of the number staff see (chance of leaving before completion), or None.
    completion: dict[str, Any] | None = None

    @property
    def refit_is_better(self) -> bool:
        r, c = self.refit.get("brier"), self.cold_start.get("brier")
        ra, ca = self.refit.get("auc"), self.cold_start.get("auc")
        if r is None or c is None or ra is None or ca is None:
            return False
        return r < c and ra > ca


def _log_loss(y: NDArray[np.bool_], p: FloatArray) -> float:
    q = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(np.where(y, np.log(q), np.log1p(-q))))


def time_aware_cv(
    frame: pd.DataFrame,
    order: pd.Series,
    *,
    folds: int = 4,
    penalty_c: float | None = 1.0,
    completion: pd.DataFrame | None = None,
) -> CrossValidation:
    """Forward-chaining CV grouped by man: fold k trains on men who started before block k.

    ``order`` maps ``participant_id`` to a sortable start (date or number); men are cut into
    ``folds + 1`` consecutive blocks, and block ``k`` is predicted from blocks ``0..k-1``
    (so no man is ever in both, and the future never trains the past).  Only rows after a
    session are used (:func:`at_risk_rows`).

    ``penalty_c=None`` picks the penalty from ``PENALTY_GRID`` by out-of-fold log-loss.
    ``completion`` (index ``participant_id``; columns ``required``, the sessions he must
    attend, and ``ended``, whether his enrollment is over) adds the held-out check of the
    before-completion probability (:func:`completion_check`).
    """
    _check_labelled(frame)
    frame = at_risk_rows(frame)
    # Blocks are cut among men with rows to learn from: men with no session (history imported
    # without attendance) would otherwise fill the early blocks and leave nothing to train on.
    order = order[order.index.isin(frame["participant_id"].unique())]
    ranked = order.sort_values(kind="stable").index.to_numpy()
    blocks = np.array_split(ranked, folds + 1)
    cold = cold_start_model()
    splits = []
    for k in range(1, folds + 1):
        train = frame[frame["participant_id"].isin(np.concatenate(blocks[:k]))]
        test = frame[frame["participant_id"].isin(blocks[k])]
        y_train = train["dropped_out_after"].to_numpy(np.bool_)
        if len(test) == 0 or y_train.all() or not y_train.any():
            continue
        splits.append((train, test))
    if not splits:
        raise ValueError("too little history to cross-validate: need dropouts and stayers")
    grid = PENALTY_GRID if penalty_c is None else (penalty_c,)
    best: tuple[float, float, list[tuple[pd.DataFrame, HazardModel]]] | None = None
    for c in grid:
        fitted = [(test, fit_hazard_model(train, penalty_c=c)) for train, test in splits]
        y = np.concatenate([t["dropped_out_after"].to_numpy(np.bool_) for t, _ in fitted])
        p = np.concatenate([m.hazard(t) for t, m in fitted])
        loss = _log_loss(y, p)
        if best is None or loss < best[0] - 1e-12:
            best = (loss, c, fitted)
    assert best is not None
    _, chosen, fitted = best
    oof = pd.concat(
        [
            pd.DataFrame(
                {
                    "participant_id": test["participant_id"].to_numpy(),
                    "session_number": test["session_number"].to_numpy(),
                    "y": test["dropped_out_after"].to_numpy(np.bool_),
                    "refit": model.hazard(test),
                    "cold_start": cold.hazard(test),
                }
            )
            for test, model in fitted
        ],
        ignore_index=True,
    )
    y = oof["y"].to_numpy(np.bool_)
    check = None
    if completion is not None:
        check = completion_check(fitted, frame, completion)
    return CrossValidation(
        refit=evaluate(y, oof["refit"].to_numpy(np.float64)),
        cold_start=evaluate(y, oof["cold_start"].to_numpy(np.float64)),
        rows=len(frame),
        events=int(frame["dropped_out_after"].sum()),
        folds=len(fitted),
        oof=oof,
        penalty_c=chosen,
        completion=check,
    )


def sessions_left(rows: pd.DataFrame, required: pd.Series) -> NDArray[np.int64]:
    """Sessions each row's man still has to attend: ``required - attended so far`` (>= 0).

    Only sessions he came to count toward completion; a missed session does not.
    """
    need = rows["participant_id"].map(required).fillna(0).to_numpy(np.float64)
    attended = rows["attended_count"].to_numpy(np.float64)
    return np.asarray(np.maximum(need - attended, 0), dtype=np.int64)


def completion_check(
    fitted: list[tuple[pd.DataFrame, HazardModel]],
    frame: pd.DataFrame,
    completion: pd.DataFrame,
) -> dict[str, Any]:
    """Held-out check of P(leave before completion), the number staff see.

    For every held-out row of a man whose enrollment is **over** (so we know whether he left),
    with sessions still to attend at that row: the fold's model projects his chance of leaving
    before completion; the outcome is whether he did.  Men still enrolled are left out (their
    outcome is not known yet), which is a limit the model card states.  Returns AUC, Brier,
    counts and the reliability table by band.
    """
    ever = frame.groupby("participant_id")["dropped_out_after"].any()
    cold = cold_start_model()
    pieces = []
    for test, model in fitted:
        ended = test["participant_id"].map(completion["ended"]).fillna(False).to_numpy(np.bool_)
        rows = test[ended]
        left = sessions_left(rows, completion["required"])
        rows, left = rows[left > 0], left[left > 0]
        if rows.empty:
            continue
        _, before = model.project(rows, left)
        _, cold_before = cold.project(rows, left)
        pieces.append(
            pd.DataFrame(
                {
                    "participant_id": rows["participant_id"].to_numpy(),
                    "p": before,
                    "cold": cold_before,
                    "y": rows["participant_id"].map(ever).to_numpy(np.bool_),
                }
            )
        )
    if not pieces:
        return {
            "rows": 0,
            "men": 0,
            "left": 0,
            "auc": None,
            "brier": None,
            "calibration_slope": None,
            "bands": [],
            "cold_start": {"auc": None, "brier": None, "bands": []},
        }
    held = pd.concat(pieces, ignore_index=True)
    y = held["y"].to_numpy(np.bool_)
    p = held["p"].to_numpy(np.float64)
    c = held["cold"].to_numpy(np.float64)
    scores = evaluate(y, p)
    cold_scores = evaluate(y, c)
    return {
        "rows": len(held),
        "men": int(held["participant_id"].nunique()),
        "left": int(held.loc[held["y"], "participant_id"].nunique()),
        "auc": scores["auc"],
        "brier": scores["brier"],
        "calibration_slope": scores["calibration_slope"],
        "bands": reliability_table(y, p),
        "cold_start": {
            "auc": cold_scores["auc"],
            "brier": cold_scores["brier"],
            "bands": reliability_table(y, c),
        },
    }


def reliability_table(y: NDArray[np.bool_], p: FloatArray) -> list[dict[str, Any]]:
    """Per band: predictions, mean predicted chance and observed share who left."""
    from alliance.core.engagement.bands import BANDS, band_for

    names = np.array([band_for(float(v)) for v in p])
    table = []
    for band in BANDS:
        inside = names == band.name
        n = int(inside.sum())
        table.append(
            {
                "band": band.name,
                "label": band.label,
                "lower": band.lower,
                "upper": band.upper,
                "rows": n,
                "predicted": float(p[inside].mean()) if n else None,
                "observed": float(y[inside].mean()) if n else None,
            }
        )
    return table


def fit_with_validation(
    frame: pd.DataFrame,
    order: pd.Series,
    *,
    folds: int = 4,
    penalty_c: float | None = 1.0,
    completion: pd.DataFrame | None = None,
) -> tuple[HazardModel, CrossValidation]:
    """Cross-validate, then fit on all rows and recalibrate on the out-of-fold predictions."""
    cv = time_aware_cv(frame, order, folds=folds, penalty_c=penalty_c, completion=completion)
    model = fit_hazard_model(frame, penalty_c=cv.penalty_c)
    q = np.clip(cv.oof["refit"].to_numpy(np.float64), 1e-9, 1 - 1e-9)
    a, b = calibration_line(cv.oof["y"].to_numpy(np.bool_), np.log(q) - np.log1p(-q))
    # Out-of-fold miscalibration carries over to the full fit: compose the two lines.
    model = _recalibrated(model, a, b)
    metrics: dict[str, Any] = {
        "cv": cv.refit,
        "cold_start_cv": cv.cold_start,
        "rows": cv.rows,
        "events": cv.events,
        "participants": int(frame["participant_id"].nunique()),
        "folds": cv.folds,
        "penalty_c": cv.penalty_c,
        "isolation_observed": isolation_observations(frame),
    }
    if cv.completion is not None:
        metrics["completion"] = cv.completion
    from dataclasses import replace

    return replace(model, metrics=metrics), cv


def isolation_observations(frame: pd.DataFrame) -> dict[str, int]:
    """How many labelled person-sessions had isolation measured, and how many were dropouts."""
    measured = frame["isolation_missing"].to_numpy(np.float64) == 0.0
    events = frame["dropped_out_after"].to_numpy(np.bool_) & measured
    return {"rows": int(measured.sum()), "events": int(events.sum())}


def isolation_weight_is_assumed(source: str, metrics: dict[str, Any]) -> bool:
    """Is the model's isolation weight still an assumption rather than learned from data?

    True for the cold-start model, and for a refit that saw fewer than
    ``MIN_ISOLATION_ROWS`` person-sessions with isolation measured or fewer than
    ``MIN_ISOLATION_EVENTS`` dropouts among them (including a refit stored before the feature
    existed, which has no count at all).
    """
    if source != "refit":
        return True
    seen = metrics.get("isolation_observed") or {}
    return (
        int(seen.get("rows", 0)) < MIN_ISOLATION_ROWS
        or int(seen.get("events", 0)) < MIN_ISOLATION_EVENTS
    )


def _check_labelled(frame: pd.DataFrame) -> None:
    if "dropped_out_after" not in frame.columns:
        raise ValueError("frame has no 'dropped_out_after' column to learn from")
    missing = [n for n in FEATURE_NAMES if n not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks feature columns: {', '.join(missing)}")


def _expit(x: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)), dtype=np.float64)


def metrics_by_group(
    oof: pd.DataFrame, column: str, *, score: str = "refit"
) -> list[dict[str, Any]]:
    """Discrimination and calibration of out-of-fold predictions within each group.

    ``oof`` holds ``y``, the ``score`` column and ``column`` (the group).  Calibration is
    shown as mean predicted vs observed rate ("calibration in the large") plus the slope
    where the group has both outcomes; small groups are reported with their counts so a
    reader can judge them.
    """
    rows: list[dict[str, Any]] = []
    for value, part in oof.groupby(column, observed=True, sort=True):
        y = part["y"].to_numpy(np.bool_)
        p = part[score].to_numpy(np.float64)
        m = evaluate(y, p)
        rows.append(
            {
                "group": str(value),
                "rows": len(part),
                "events": int(y.sum()),
                "observed": float(y.mean()) if len(y) else None,
                "predicted": float(p.mean()) if len(p) else None,
                **m,
            }
        )
    return rows
