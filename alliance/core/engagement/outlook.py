"""Where each man stands now: dropout probabilities, a risk band and the reasons in words.

From his latest person-session row, the hazard is projected forward with his current signals
held fixed and only the session count advancing:

``P(drop within 2) = 1 - (1 - h(s)) (1 - h(s+1))`` and
``P(drop before completion) = 1 - prod_{k=s}^{n-1} (1 - h(k))``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.core.engagement.features import FEATURES, latest_rows
from alliance.core.engagement.model import HazardModel

FloatArray = NDArray[np.float64]

#: Bands on the two-session probability.  Assumption: with the §6 base rate (~6% in the first
#: weeks, ~11% over two sessions) "high" is roughly three times the early base rate.
BAND_CUTS = ((0.30, "high"), (0.15, "elevated"), (0.0, "low"))


@dataclass(frozen=True)
class Outlook:
    participant_id: int
    next_two: float
    before_completion: float
    band: str
    factors: tuple[str, ...]


def band_for(probability: float) -> str:
    for cut, name in BAND_CUTS:
        if probability >= cut:
            return name
    return "low"


def outlooks(
    model: HazardModel,
    frame: pd.DataFrame,
    *,
    sessions_left: pd.Series,
    top: int = 3,
) -> list[Outlook]:
    """One outlook per man in ``frame``, highest two-session probability first.

    ``sessions_left`` maps ``participant_id`` to the sessions he still has to attend (at
    least 1); it bounds the completion product.
    """
    now = latest_rows(frame)
    if now.empty:
        return []
    left = (
        sessions_left.reindex(now["participant_id"].to_numpy()).fillna(1).clip(lower=1)
    ).to_numpy(np.int64)
    horizon = int(left.max())
    log_survival = np.zeros(len(now))
    survive_two = np.ones(len(now))
    step = now.copy()
    for k in range(horizon):
        h = model.hazard(step)
        alive = k < left
        log_survival += np.where(alive, np.log1p(-np.clip(h, 0.0, 1 - 1e-12)), 0.0)
        if k < 2:
            survive_two *= np.where(alive, 1.0 - h, 1.0)
        step = step.assign(session_index=step["session_index"] + 1.0)
    before = -np.expm1(log_survival)
    next_two = 1.0 - survive_two
    reasons = explain(model, now, top=top)
    result = [
        Outlook(
            participant_id=int(pid),
            next_two=float(p2),
            before_completion=float(pc),
            band=band_for(float(p2)),
            factors=r,
        )
        for pid, p2, pc, r in zip(
            now["participant_id"].to_numpy(), next_two, before, reasons, strict=True
        )
    ]
    result.sort(key=lambda o: (-o.next_two, o.participant_id))
    return result


def explain(model: HazardModel, rows: pd.DataFrame, *, top: int = 3) -> list[tuple[str, ...]]:
    """The ``top`` features pushing each row's risk up the most, in plain words."""
    contrib = model.contributions(rows)
    names = [f.name for f in FEATURES]
    order = np.argsort(-contrib, axis=1)[:, :top]
    out: list[tuple[str, ...]] = []
    records = rows.to_dict("records")
    for i, record in enumerate(records):
        words = [describe(names[j], record) for j in order[i] if contrib[i, j] > 0.05]
        # Several features can read the same to a facilitator (absences counted two ways):
        # say each reason once.
        out.append(tuple(dict.fromkeys(w for w in words if w)))
    return out


def describe(name: str, row: Mapping[Hashable, object]) -> str:
    """A feature as a facilitator would say it, with his own numbers where they help."""
    label = {f.name: f.label for f in FEATURES}[name]

    def num(key: str) -> float:
        value = row.get(key)
        return float(value) if isinstance(value, int | float) else float("nan")

    if name in ("consecutive_absences", "absent_now", "weeks_since_attended"):
        missed = int(num("consecutive_absences"))
        if missed >= 2:
            return f"missed the last {missed} sessions"
        if missed == 1:
            return "missed the last session"
        return ""
    if name == "checkout_change_z":
        change = num("checkout_change_points")
        return f"check-out fell {abs(change):.0f} points" if change <= -0.5 else ""
    if name == "checkout_z":
        points = num("checkout_points")
        return f"low check-out ({points:.0f}/10)" if np.isfinite(points) else ""
    if name == "rating_z":
        points = num("rating_points")
        return f"low facilitator rating ({points:.0f}/10)" if np.isfinite(points) else ""
    if name == "homework_undone":
        handed, done = num("homework_set_before"), num("homework_done_before")
        if np.isfinite(handed) and handed > done:
            return f"did {done:.0f} of {handed:.0f} homework practices"
        return ""
    return label
