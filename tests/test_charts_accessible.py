"""Charts are readable images with a name and a table beside them (issue 18, D14)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.defaultfilters import floatformat

from alliance import charts
from alliance.core.instruments import Direction
from alliance.core.retention import RetentionCurve
from alliance.measures import charts as measure_charts

FONT = re.compile(r"font-size: ([\d.]+)px")
CURVE = RetentionCurve(
    sessions=(0.0, 4.0, 8.0),
    retained=(1.0, 0.8, 0.6),
    lower=(1.0, 0.7, 0.5),
    upper=(1.0, 0.9, 0.7),
    n=10,
    dropouts=4,
)


def _drawn(name: str) -> str:
    if name == "retention":
        return charts.retention_svg(CURVE)
    if name == "bar":
        return charts.bar_svg(["Group A", "Group B"], [0.5, 0.75], title="Rates", xlabel="Share")
    if name == "heatmap":
        return measure_charts.heatmap_svg(
            title="Check-outs",
            codes=["AB-0001", "AB-0002"],
            session_labels=["1 Dec", "8 Dec"],
            values=[[7.25, None], [3.0, 9.95]],
        )
    return measure_charts.trajectory_svg(
        title="Check-out",
        days=[dt.date(2026, 12, 1), dt.date(2026, 12, 8)],
        values=[4.0, 6.5],
        range_min=0,
        range_max=10,
        direction=Direction.HIGHER_IS_BETTER,
    )


@pytest.mark.parametrize("name", ["retention", "bar", "heatmap", "trajectory"])
def test_every_chart_is_a_named_image_with_no_text_under_11_points(name) -> None:
    svg = _drawn(name)
    head = svg[: svg.index(">")]
    assert 'role="img"' in head
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', head)
    assert labelled_by
    title = re.search(rf'<title id="{labelled_by.group(1)}">([^<]+)</title>', svg)
    assert title
    assert title.group(1).strip()
    sizes = [float(size) for size in FONT.findall(svg)]
    assert sizes
    assert min(sizes) >= charts.MIN_FONT_PT, sorted(set(sizes))


def test_the_heatmap_is_not_red_yellow_green_and_rounds_as_its_table() -> None:
    svg = _drawn("heatmap")
    # Red-yellow-green's ends and middle (#a50026, #ffffbf, #006837) are gone.
    for colour in ("#a50026", "#ffffbf", "#006837"):
        assert colour not in svg
    # 7.25 and 9.95 are halves: the table's floatformat rounds them up, so must the chart.
    assert floatformat(7.25, 1) == "7.3" == charts.one_decimal(7.25)
    assert floatformat(9.95, 1) == charts.one_decimal(9.95)
    assert ">7.3<" in svg
    assert ">7.2<" not in svg


def test_a_chart_and_its_table_go_together_and_labels_are_escaped() -> None:
    table = charts.data_table("Figures", ["Group", "Rate"], [("<b>A</b>", "50%")])
    assert "<details" in table
    assert "<summary>Figures</summary>" in table
    assert "&lt;b&gt;A&lt;/b&gt;" in table
    assert '<th scope="col">Group</th>' in table
    figure = charts.with_table(_drawn("bar"), table)
    assert figure.index("<svg") < figure.index("<details")


def test_the_empty_retention_chart_has_a_readable_axis() -> None:
    empty = RetentionCurve(
        sessions=(0.0,), retained=(1.0,), lower=(1.0,), upper=(1.0,), n=0, dropouts=0
    )
    svg = charts.retention_svg(empty)
    assert "No men yet" in svg
    assert "−0.04" not in svg
    assert "-0.04" not in svg


def test_equal_charts_stay_byte_identical_for_the_cache(db) -> None:
    charts.clear_cache()
    first = charts.bar_svg(["A"], [0.5], title="Rates", xlabel="Share")
    charts.clear_cache()
    assert charts.bar_svg(["A"], [0.5], title="Rates", xlabel="Share") == first
