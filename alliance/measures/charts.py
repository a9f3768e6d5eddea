"""SVG pictures of measures (matplotlib, in the style of :mod:`alliance.charts`).

Colour is never the only cue: bands and envelopes are labelled in text, heatmap cells carry
their numbers, and each page shows the same figures in a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from alliance.charts import MIN_FONT_PT, _to_svg, one_decimal
from alliance.core.instruments import Direction
from alliance.shared_cache import forget, memoized

BAND_SHADES = ("#f3e5e5", "#f5f0dc", "#e4efe4", "#e3ebf3", "#efe6f3")


def trajectory_svg(
    *,
    title: str,
    days: Sequence[dt.date],
    values: Sequence[float],
    range_min: float,
    range_max: float,
    direction: Direction,
    bands: Sequence[tuple[str, float, float]] = (),
    norms: Sequence[tuple[str, float]] = (),
    minimum_change: float | None = None,
) -> str:
    """A man's scores over time on one scale.

    ``bands`` are (label, min, max) shaded behind the line and named at the right edge;
    ``norms`` are (label, mean) dashed lines; ``minimum_change`` draws his reliable-change
    envelope: first score ± the smallest change that counts as reliable.

    Drawing takes about 0.2 s and a participant page shows several, so the pictures are kept
    in the shared cache (alliance/shared_cache.py) keyed by everything drawn: a new score makes
    a new key.
    """
    shaded: tuple[tuple[str, float, float], ...] = tuple(
        (str(label), float(low), float(high)) for label, low, high in bands
    )
    dashed: tuple[tuple[str, float], ...] = tuple((str(label), float(m)) for label, m in norms)
    drawn_days, drawn = tuple(days), tuple(float(value) for value in values)
    low, high = float(range_min), float(range_max)
    key = (title, drawn_days, drawn, low, high, direction, shaded, dashed, minimum_change)
    return memoized(
        CACHE_NAMESPACE,
        key,
        lambda: _trajectory_svg(
            title, drawn_days, drawn, low, high, direction, shaded, dashed, minimum_change
        ),
    )


CACHE_NAMESPACE = "trajectories"


def clear_cache() -> None:
    forget(CACHE_NAMESPACE)


def _trajectory_svg(
    title: str,
    days: tuple[dt.date, ...],
    values: tuple[float, ...],
    range_min: float,
    range_max: float,
    direction: Direction,
    bands: tuple[tuple[str, float, float], ...],
    norms: tuple[tuple[str, float], ...],
    minimum_change: float | None,
) -> str:
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=100)
    x = list(range(1, len(values) + 1))
    for i, (label, low, high) in enumerate(bands):
        ax.axhspan(low, high, color=BAND_SHADES[i % len(BAND_SHADES)], zorder=0)
        ax.text(
            len(values) + 0.45,
            (low + high) / 2,
            label,
            va="center",
            ha="left",
            fontsize=MIN_FONT_PT,
            color="#444444",
        )
    for label, mean in norms:
        ax.axhline(mean, color="#6a1b9a", linestyle=":", linewidth=1.2, label=label)
    if minimum_change is not None and values:
        first = values[0]
        ax.axhspan(
            first - minimum_change,
            first + minimum_change,
            facecolor="none",
            edgecolor="#1f5f8b",
            hatch="///",
            linewidth=0,
            alpha=0.35,
            zorder=1,
            label=f"No reliable change (first ± {minimum_change:.2g})",
        )
        for edge in (first - minimum_change, first + minimum_change):
            ax.axhline(edge, color="#1f5f8b", linestyle="--", linewidth=0.8, zorder=1)
    ax.plot(x, values, color="#1b1b1b", marker="o", linewidth=1.8, zorder=3, label="His score")
    for xi, value in zip(x, values, strict=True):
        ax.annotate(
            f"{value:.3g}",
            (xi, value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=MIN_FONT_PT,
        )
    ticks = x if len(x) <= 12 else x[:: max(1, len(x) // 12)]
    ax.set_xticks(
        ticks, labels=[f"{days[i - 1].day} {days[i - 1]:%b}" for i in ticks], fontsize=MIN_FONT_PT
    )
    ax.set_xlim(0.5, len(values) + 1.2 if bands else len(values) + 0.5)
    pad = (range_max - range_min) * 0.05
    ax.set_ylim(range_min - pad, range_max + pad)
    better = "higher is better" if direction is Direction.HIGHER_IS_BETTER else "lower is better"
    ax.set_ylabel(f"Score ({better})", fontsize=MIN_FONT_PT)
    ax.set_title(title, fontsize=12)
    ax.grid(alpha=0.25)
    ax.legend(loc="lower left", fontsize=MIN_FONT_PT, framealpha=0.8)
    return _to_svg(fig)


def heatmap_svg(
    *,
    title: str,
    codes: Sequence[str],
    session_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    low: float = 0.0,
    high: float = 10.0,
) -> str:
    """Men × sessions, each cell coloured by its score and labelled with the number."""
    matrix = np.array(
        [[np.nan if v is None else v for v in row] for row in values], dtype=np.float64
    ).reshape(len(codes), len(session_labels))
    width = max(4.5, 0.55 * len(session_labels) + 2.2)
    height = max(2.0, 0.36 * len(codes) + 1.5)
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    # Cividis (dark blue to yellow) reads the same to the colour-blind and in grey; the old
    # red-yellow-green did not (D14). Each cell also carries its number.
    cmap = plt.get_cmap("cividis").with_extremes(bad="#ffffff")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=low, vmax=high, aspect="auto")
    for (row, col), value in np.ndenumerate(matrix):
        if np.isnan(value):
            label, ink = "–", "#111111"
        else:
            # Rounded as the table beside it rounds (floatformat:1, halves up).
            label = one_decimal(value)
            red, green, blue, _ = cmap((value - low) / (high - low) if high > low else 0.5)
            light = 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45
            ink = "#111111" if light else "#ffffff"
        ax.text(col, row, label, ha="center", va="center", fontsize=MIN_FONT_PT, color=ink)
    ax.set_yticks(range(len(codes)), labels=list(codes), fontsize=MIN_FONT_PT)
    ax.set_xticks(
        range(len(session_labels)), labels=list(session_labels), fontsize=MIN_FONT_PT, rotation=60
    )
    ax.set_title(title, fontsize=12)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.ax.tick_params(labelsize=MIN_FONT_PT)
    colorbar.set_label("Check-out (0–10)", fontsize=MIN_FONT_PT)
    return _to_svg(fig)
