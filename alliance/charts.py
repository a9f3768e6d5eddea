"""Server-rendered SVG charts (matplotlib), the same in pages and PDFs.

Each function returns an SVG document as text. Charts carry a text title and axis labels and
never rely on colour alone; the page puts the same numbers in a table beside them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable and accessible
matplotlib.rcParams["svg.hashsalt"] = "alliance"  # stable ids, so identical data -> identical SVG

import matplotlib.pyplot as plt  # noqa: E402

from alliance.core.retention import RetentionCurve  # noqa: E402


def _to_svg(fig: matplotlib.figure.Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def retention_svg(curve: RetentionCurve, *, title: str = "Retention by session") -> str:
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=100)
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


def bar_svg(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str) -> str:
    """Horizontal bars for rates (0–1), each labelled with its percentage."""
    height = max(1.6, 0.35 * len(labels) + 0.8)
    fig, ax = plt.subplots(figsize=(6.4, height), dpi=100)
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
