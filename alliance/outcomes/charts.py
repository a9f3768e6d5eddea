"""Survival-curve charts for the evaluation report (SVG via matplotlib, page and PDF alike)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib
import numpy as np

matplotlib.use("Agg")

from matplotlib.figure import Figure

from alliance.charts import _to_svg
from alliance.core.outcomes import SurvivalCurve

# Curve labels are data (program and group names): draw "$...$" as typed, never as mathtext.
matplotlib.rcParams["text.parse_math"] = False

DAYS_PER_MONTH = 30.4375
#: A chart is about 600 px wide: more steps than this cannot be seen, but thousands of them
#: (one per distinct event day for 30,000 men) made each SVG ~450 kB and the PDF slow.
MAX_STEPS = 240
_STYLES = {"completed": "-", "did not complete": "--"}


def _drawn(curve: SurvivalCurve) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The curve at no more than ``MAX_STEPS`` evenly spaced days (exact values there)."""
    if len(curve.timeline) <= MAX_STEPS:
        return curve.timeline, curve.survival, curve.lower, curve.upper
    days = np.linspace(float(curve.timeline[0]), float(curve.timeline[-1]), MAX_STEPS)
    index = np.searchsorted(curve.timeline, days, side="right") - 1
    index = np.clip(index, 0, None)
    return days, curve.survival[index], curve.lower[index], curve.upper[index]


def survival_svg(curves: Mapping[str, SurvivalCurve], *, title: str, bands: bool) -> str:
    """Step curves of the share without the event, by months since exit.

    Line style differs by group (solid for completers, dashed for the others) so the chart does
    not rely on colour; the page shows the same figures in a table.
    """
    fig = Figure(figsize=(6.2, 3.4))
    ax = fig.subplots()
    for label, curve in curves.items():
        days, survival, lower, upper = _drawn(curve)
        months = days / DAYS_PER_MONTH
        (line,) = ax.step(
            months, survival, where="post", linestyle=_STYLES.get(label, "-"), label=label
        )
        if bands:
            ax.fill_between(months, lower, upper, step="post", alpha=0.15, color=line.get_color())
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_xlabel("Months since leaving the program")
    ax.set_ylabel("Share without the event")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.legend(loc="lower left", frameon=False, fontsize=11)
    fig.subplots_adjust(left=0.12, right=0.98, top=0.9, bottom=0.16)
    # The shared finish: text no smaller than 11 pt, role="img" and a <title> (D14).
    return _to_svg(fig, title)
