"""Where each man stands now: his chance of leaving before completion, a band, and reasons.

From his latest person-session row the hazard is projected forward with his current signals
held at their present values and only the session count advancing
(:meth:`HazardModel.project`):

``P(leave before completion) = 1 - prod_{k=0}^{left-1} (1 - h(s + k))`` over the ``left``
sessions he still has to attend.  This is the number staff see and the one the band is cut
from (``alliance.core.engagement.bands``).  ``P(leave within 2)`` is kept alongside for the
record.

Reasons are only **changeable signals** (``features.SIGNAL``) that push his risk up and have
actually moved ("check-out fell 3 points", never "fell 0 points"); fixed traits (age,
employment, schooling, record) stay in the model but are never said beside his code.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.core.engagement.bands import OUTREACH_BANDS, band_for
from alliance.core.engagement.features import FEATURES, SIGNAL_NAMES, latest_rows
from alliance.core.engagement.model import HazardModel

FloatArray = NDArray[np.float64]

#: A signal must add at least this much to his logit (vs an average man) to be said
#: (about an odds ratio of 1.2): smaller pushes are noise to a facilitator.
MIN_CONTRIBUTION = 0.2
#: A check-out or facilitator rating is called low only at or below this (out of 10).
LOW_POINTS = 6


@dataclass(frozen=True)
class Outlook:
    participant_id: int
    next_two: float
    before_completion: float
    band: str
    factors: tuple[str, ...]

    @property
    def prompts_outreach(self) -> bool:
        return self.band in OUTREACH_BANDS


def outlooks(
    model: HazardModel,
    frame: pd.DataFrame,
    *,
    sessions_left: pd.Series,
    top: int = 3,
) -> list[Outlook]:
    """One outlook per man in ``frame``, highest chance of leaving before completion first.

    ``sessions_left`` maps ``participant_id`` to the sessions he still has to attend (at
    least 1 is used); it bounds the completion product.
    """
    now = latest_rows(frame)
    if now.empty:
        return []
    left = (
        sessions_left.reindex(now["participant_id"].to_numpy()).fillna(1).clip(lower=1)
    ).to_numpy(np.int64)
    next_two, before = model.project(now, left)
    reasons = explain(model, now, top=top)
    result = [
        Outlook(
            participant_id=int(pid),
            next_two=float(p2),
            before_completion=float(pc),
            band=band_for(float(pc)),
            factors=r,
        )
        for pid, p2, pc, r in zip(
            now["participant_id"].to_numpy(), next_two, before, reasons, strict=True
        )
    ]
    result.sort(key=sort_key)
    return result


def sort_key(outlook: Outlook) -> tuple[float, int]:
    """Highest chance of leaving before completion first; ties by id (stable pages)."""
    return (-outlook.before_completion, outlook.participant_id)


def explain(model: HazardModel, rows: pd.DataFrame, *, top: int = 3) -> list[tuple[str, ...]]:
    """Up to ``top`` changeable signals pushing each row's risk up the most, in plain words.

    Fixed traits are never returned, however much they add; a signal that has not moved
    (nothing to say with his numbers) is skipped.
    """
    contrib = model.contributions(rows)
    names = [f.name for f in FEATURES]
    signal = np.array([n in SIGNAL_NAMES for n in names])
    contrib = np.where(signal[None, :], contrib, -np.inf)
    order = np.argsort(-contrib, axis=1)
    out: list[tuple[str, ...]] = []
    records = rows.to_dict("records")
    for i, record in enumerate(records):
        said: dict[str, None] = {}
        for j in order[i]:
            if contrib[i, j] <= MIN_CONTRIBUTION or len(said) >= top:
                break
            words = describe(names[j], record)
            if words:
                # Several features read the same (absences counted three ways): say it once.
                said.setdefault(words, None)
        out.append(tuple(said))
    return out


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def describe(name: str, row: Mapping[Hashable, object]) -> str:
    """A changeable signal as a facilitator would say it, with his own numbers; ``""`` when
    there is nothing true and non-zero to say (or the feature is a fixed trait)."""
    if name not in SIGNAL_NAMES:
        return ""

    def num(key: str) -> float:
        value = row.get(key)
        return float(value) if isinstance(value, int | float) else float("nan")

    if name in ("consecutive_absences", "absent_now", "weeks_since_attended"):
        missed = int(num("consecutive_absences"))
        days = num("days_since_attended")
        weeks = int(days // 7) if np.isfinite(days) else 0
        if missed >= 2:
            tail = f" ({_plural(weeks, 'week')} since he last came)" if weeks >= 2 else ""
            return f"missed the last {missed} sessions{tail}"
        if missed == 1:
            return "missed the last session"
        return ""
    if name == "absence_rate":
        sessions = int(num("session_number")) if np.isfinite(num("session_number")) else 0
        missed = round(num("absence_rate") * sessions) if sessions else 0
        if missed >= 1 and sessions >= 2:
            return f"missed {missed} of {_plural(sessions, 'session')} so far"
        return ""
    if name == "late_now":
        return "came late to the last session" if num("late_now") >= 1 else ""
    if name == "checkout_change_z":
        change = num("checkout_change_points")
        points = num("checkout_points")
        if not np.isfinite(change) or round(change) > -1:
            return ""
        fell = round(-change)
        if np.isfinite(points):
            before = round(points + fell)
            return f"check-out fell {_plural(fell, 'point')} (from {before} to {points:.0f} of 10)"
        return f"check-out fell {_plural(fell, 'point')}"
    if name == "checkout_z":
        points = num("checkout_points")
        low = np.isfinite(points) and round(points) <= LOW_POINTS
        return f"last check-out was low ({points:.0f} of 10)" if low else ""
    if name == "rating_z":
        points = num("rating_points")
        low = np.isfinite(points) and round(points) <= LOW_POINTS
        return f"facilitator's last rating was low ({points:.0f} of 10)" if low else ""
    if name == "missed_measures":
        attended = int(num("attended_count")) if np.isfinite(num("attended_count")) else 0
        skipped = round(num("missed_measures") * attended) if attended else 0
        if skipped >= 1:
            return f"no check-out at {skipped} of the {_plural(attended, 'session')} he came to"
        return ""
    if name == "homework_undone":
        handed, done = num("homework_set_before"), num("homework_done_before")
        if np.isfinite(handed) and handed > done:
            return f"did {done:.0f} of {_plural(int(handed), 'homework practice')}"
        return ""
    if name == "isolation_z":
        # The isolation index is in standard deviations from the reference (core.connection).
        index = num("isolation_points")
        if np.isfinite(index) and index >= 1:
            return "more isolated lately (lonelier, or fewer supportive people in touch)"
        return ""
    # A signal added later without its own sentence: its label, never a column name.
    return {f.name: f.label for f in FEATURES}[name]
