"""Server-rendered SVG charts (matplotlib), the same in pages and PDFs.

Each function returns an SVG document as text. Charts carry a text title and axis labels and
never rely on colour alone; the page puts the same numbers in a table beside them.

Margins are set from measured text widths rather than with ``bbox_inches="tight"``: a tight
bounding box draws the whole figure twice, and drawing is most of a dashboard request's time
(docs/benchmarks.md, "Dashboard render time").
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable and accessible
matplotlib.rcParams["svg.hashsalt"] = "alliance"  # stable ids, so identical data -> identical SVG
# Labels are data (participant codes, group and instrument names): "$...$" in them must be
# drawn as typed, never parsed as mathtext (a bad expression raised, so the page was a 500,
# and a long one burns CPU). Process-wide, so every chart built after this import is covered.
matplotlib.rcParams["text.parse_math"] = False

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402

from alliance.core.retention import RetentionCurve  # noqa: E402
from alliance.shared_cache import forget, memoized  # noqa: E402

_POINTS_PER_INCH = 72.0
_PLOT_WIDTH = 5.0  # inches of plotting area, whatever the labels' width
_RIGHT = 0.45  # inches right of the plot: room for the last bar's percentage


def _text_width(text: str, size: float) -> float:
    """Width in inches of ``text`` in the default font at ``size`` points."""
    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    # Agg and browsers lay text out a little wider than the outline measure: keep 10% spare.
    return 1.1 * float(width) / _POINTS_PER_INCH


def _to_svg(fig: matplotlib.figure.Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


# Drawing a chart costs about 100 ms (matplotlib lays out every tick label and title with
# libraqm), more than all of a dashboard's queries. The figures behind a chart change only when
# attendance or a status changes, and equal inputs give byte-identical SVG (svg.hashsalt), so
# the drawings are kept in the shared cache (alliance/shared_cache.py) keyed by their figures:
# invisible to users, and drawn once for all app servers.
CACHE_NAMESPACE = "charts"


def retention_svg(curve: RetentionCurve, *, title: str = "Retention by session") -> str:
    return memoized(
        CACHE_NAMESPACE, ("retention", curve, title), lambda: _retention_svg(curve, title)
    )


def bar_svg(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str) -> str:
    """Horizontal bars for rates (0–1), each labelled with its percentage."""
    key = (tuple(labels), tuple(float(v) for v in values), title, xlabel)
    return memoized(CACHE_NAMESPACE, ("bar", *key), lambda: _bar_svg(*key))


def clear_cache() -> None:
    """Forget the charts drawn so far (for measuring the cost of drawing them)."""
    forget(CACHE_NAMESPACE)


def _retention_svg(curve: RetentionCurve, title: str) -> str:
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=100)
    # Fixed text (axis labels, two-digit ticks, one title line): fixed margins fit it.
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9)
    ax.step(
        curve.sessions,
        curve.retained,
        where="post",
        color="#1f5f8b",
        linewidth=2,
        label="Still enrolled",
    )
    ax.fill_between(
        curve.sessions,
        curve.lower,
        curve.upper,
        step="post",
        color="#1f5f8b",
        alpha=0.15,
        label="95% interval",
    )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Sessions attended")
    ax.set_ylabel("Proportion still enrolled")
    ax.set_title(f"{title} (n = {curve.n}, {curve.dropouts} dropped out)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    return _to_svg(fig)


def _bar_svg(labels: tuple[str, ...], values: tuple[float, ...], title: str, xlabel: str) -> str:
    height = max(1.6, 0.35 * len(labels) + 0.8)
    # The group names set the left margin; the plot keeps its width whatever their length.
    left = max((_text_width(label, 8) for label in labels), default=0.0) + 0.15
    width = left + _PLOT_WIDTH + _RIGHT
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    fig.subplots_adjust(
        left=left / width, right=1 - _RIGHT / width, bottom=0.55 / height, top=1 - 0.3 / height
    )
    positions = range(len(labels))
    ax.barh(list(positions), values, color="#2e7d32")
    ax.set_yticks(list(positions), labels=list(labels), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    for y, value in zip(positions, values, strict=True):
        ax.text(value + 0.01, y, f"{value:.0%}", va="center", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    return _to_svg(fig)
