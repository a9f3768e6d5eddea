"""Server-rendered SVG charts (matplotlib), the same in pages and PDFs.

Each function returns an SVG document as text. Charts carry a text title and axis labels and
never rely on colour alone; the page puts the same numbers in a table beside them
(``data_table``: a ``<details>`` under the chart, issue 18 D14).

Every SVG is an image with an accessible name (``role="img"``, a ``<title>`` it is labelled by)
and no text smaller than ``MIN_FONT_PT`` (11 pt at the drawn size): ``_to_svg`` enforces both,
whatever size a chart asked for.

Margins are set from measured text widths rather than with ``bbox_inches="tight"``: a tight
bounding box draws the whole figure twice, and drawing is most of a dashboard request's time
(docs/benchmarks.md, "Dashboard render time").
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable and accessible
matplotlib.rcParams["svg.hashsalt"] = "alliance"  # stable ids, so identical data -> identical SVG
# Labels are data (participant codes, group and instrument names): "$...$" in them must be
# drawn as typed, never parsed as mathtext (a bad expression raised, so the page was a 500,
# and a long one burns CPU). Process-wide, so every chart built after this import is covered.
matplotlib.rcParams["text.parse_math"] = False
# No chart text under 11 pt (D14), including what matplotlib adds while drawing (tick labels).
matplotlib.rcParams.update(
    {
        "font.size": 11,
        "axes.labelsize": 11,
        "axes.titlesize": 12,
        "xtick.labelsize": 11,
        "ytick.labelsize": 11,
        "legend.fontsize": 11,
    }
)

import matplotlib.pyplot as plt  # noqa: E402
from django.utils.html import escape, format_html, format_html_join  # noqa: E402
from django.utils.safestring import SafeString, mark_safe  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402

from alliance.core.retention import RetentionCurve  # noqa: E402
from alliance.shared_cache import forget, memoized  # noqa: E402

_POINTS_PER_INCH = 72.0
_PLOT_WIDTH = 5.0  # inches of plotting area, whatever the labels' width
_RIGHT = 0.6  # inches right of the plot: room for the last bar's percentage


def _text_width(text: str, size: float) -> float:
    """Width in inches of ``text`` in the default font at ``size`` points."""
    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    # Agg and browsers lay text out a little wider than the outline measure: keep 10% spare.
    return 1.1 * float(width) / _POINTS_PER_INCH


#: The smallest text drawn in a chart, in points at the figure's own size (D14: 7-8 pt was
#: unreadable).
MIN_FONT_PT = 11.0


def one_decimal(value: float) -> str:
    """``value`` to one decimal, rounding halves up: the way Django's ``floatformat:1`` shows
    it, so a chart's cell and the table beside it never disagree (7.25 is 7.3 in both)."""
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def accessible(svg: str, label: str) -> str:
    """``svg`` as an image named ``label``: ``role="img"`` and a ``<title>`` it is labelled by.

    The id is derived from the label (not a counter), so equal charts stay byte-identical and
    cacheable; two charts with the same label on one page share a name, which is their name.
    """
    if not label:
        label = "Chart"
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "chart"
    title_id = f"chart-title-{slug}"
    start = svg.index("<svg")
    end = svg.index(">", start)
    head = svg[start:end]
    head = re.sub(r'\s(role|aria-label|aria-labelledby)="[^"]*"', "", head)
    head += f' role="img" aria-labelledby="{title_id}"'
    body = svg[end + 1 :]
    body = re.sub(r"^(\s*)<title>[^<]*</title>", r"\1", body)
    return f'{svg[:start]}{head}><title id="{title_id}">{escape(label)}</title>{body}'


def _label(fig: matplotlib.figure.Figure) -> str:
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("center", "left", "right")]
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    return " ".join(t for t in [suptitle, *titles] if t).strip()


def _to_svg(fig: matplotlib.figure.Figure, label: str = "") -> str:
    for text in fig.findobj(Text):
        if text.get_text() and float(text.get_fontsize()) < MIN_FONT_PT:
            text.set_fontsize(MIN_FONT_PT)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    return accessible(svg[svg.index("<svg") :], label or _label(fig))


def data_table(
    summary: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> SafeString:
    """The chart's figures as a table, folded under it (``<details>``): the text alternative
    for a screen reader and for anyone who wants the numbers."""
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html_join(
                    "",
                    "<td>{}</td>",
                    ((cell,) for cell in row),
                ),
            )
            for row in rows
        ),
    )
    return format_html(
        '<details class="chart-data"><summary>{}</summary><div class="scroll"><table>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div></details>",
        summary,
        head,
        body,
    )


def with_table(svg: str, table: SafeString) -> SafeString:
    """A chart followed by its data table, for a template that prints ``{{ chart|safe }}``."""
    return mark_safe(svg + str(table))


def retention_table(curve: RetentionCurve) -> SafeString:
    return data_table(
        "Retention figures as a table",
        ["Sessions attended", "Still enrolled", "95% interval"],
        (
            (int(s), f"{r:.0%}", f"{lo:.0%}–{hi:.0%}")
            for s, r, lo, hi in zip(
                curve.sessions, curve.retained, curve.lower, curve.upper, strict=True
            )
        ),
    )


def bar_table(labels: Sequence[str], values: Sequence[float], *, summary: str) -> SafeString:
    return data_table(
        summary,
        ["Group", "Rate"],
        ((label, f"{v:.0%}") for label, v in zip(labels, values, strict=True)),
    )


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
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.17, top=0.89)
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
    if curve.n == 0 or len(curve.sessions) < 2:
        # No men yet (a new organization, D19): a readable empty axis, not -0.04...0.04.
        ax.set_xlim(0, 10)
        ax.text(5, 0.5, "No men yet", ha="center", va="center", fontsize=MIN_FONT_PT)
    else:
        ax.set_xlim(left=0)
    ax.set_xlabel("Sessions attended")
    ax.set_ylabel("Proportion still enrolled")
    ax.set_title(f"{title} (n = {curve.n}, {curve.dropouts} dropped out)", fontsize=12)
    ax.xaxis.label.set_fontsize(MIN_FONT_PT)
    ax.yaxis.label.set_fontsize(MIN_FONT_PT)
    ax.tick_params(labelsize=MIN_FONT_PT)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=MIN_FONT_PT)
    return _to_svg(fig)


def _bar_svg(labels: tuple[str, ...], values: tuple[float, ...], title: str, xlabel: str) -> str:
    height = max(1.8, 0.4 * len(labels) + 1.0)
    # The group names set the left margin; the plot keeps its width whatever their length.
    left = max((_text_width(label, MIN_FONT_PT) for label in labels), default=0.0) + 0.15
    width = left + _PLOT_WIDTH + _RIGHT
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    fig.subplots_adjust(
        left=left / width, right=1 - _RIGHT / width, bottom=0.55 / height, top=1 - 0.3 / height
    )
    positions = range(len(labels))
    ax.barh(list(positions), values, color="#2e7d32")
    ax.set_yticks(list(positions), labels=list(labels), fontsize=MIN_FONT_PT)
    ax.tick_params(axis="x", labelsize=MIN_FONT_PT)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    for y, value in zip(positions, values, strict=True):
        ax.text(value + 0.01, y, f"{value:.0%}", va="center", fontsize=MIN_FONT_PT)
    ax.set_xlabel(xlabel, fontsize=MIN_FONT_PT)
    ax.set_title(title, fontsize=12)
    return _to_svg(fig)
