"""The evaluation says "n/a" or "not computed yet" where a count was not computed, never 0
(findings D10), as the program's measures page does."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
from django.template.loader import render_to_string

from alliance.core.instruments.change import CLASS_ORDER

CLASSES = [c.value.replace("_", " ").capitalize() for c in CLASS_ORDER]


def _row(title: str, *, change: object, recovered_possible: bool, counts: dict[str, int]):
    return SimpleNamespace(
        program="Riverside",
        effect=None,
        row=SimpleNamespace(
            title=title,
            n=4,
            pairs=pd.DataFrame(),
            counts=counts,
            change=change,
            recovered_possible=recovered_possible,
        ),
    )


def _cells(html: str, title: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{re.escape(title)}</th>(.*?)</tr>", html, re.S)
    assert row is not None
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row.group(1))]


def test_missing_norms_and_missing_parameters_are_said_not_zeroed() -> None:
    zero = {c.value: 0 for c in CLASS_ORDER}
    some = {c.value: n for c, n in zip(CLASS_ORDER, (0, 3, 1, 0), strict=False)}
    html = render_to_string(
        "outcomes/_measure_changes.html",
        {
            "measure_changes": [
                _row(
                    "Working alliance (facilitator view)",
                    change=None,
                    recovered_possible=False,
                    counts=zero,
                ),
                _row("Check-out", change=object(), recovered_possible=False, counts=some),
                _row("Normed scale", change=object(), recovered_possible=True, counts=some),
            ],
            "change_classes": CLASSES,
            "report": None,
        },
    )
    alliance = _cells(html, "Working alliance (facilitator view)")
    assert alliance[-len(CLASSES) :] == ["not computed yet"] * len(CLASSES)
    checkout = _cells(html, "Check-out")
    assert checkout[-len(CLASSES)] == "n/a"
    assert checkout[-len(CLASSES) + 1] == "3"
    normed = _cells(html, "Normed scale")
    assert normed[-len(CLASSES)] == "0"
