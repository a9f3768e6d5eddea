"""Change on measures for the evaluation: pre-post effect sizes beside reliable-change classes.

The class counts are the measures app's own (``alliance.measures.selectors.change_table``:
each man's first against his last score, Jacobson-Truax with the scale's norms); this module
adds the standardized pre-post change d_z with its exact confidence interval
(``alliance.core.outcomes.cohens_dz``) computed on the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import QuerySet

from alliance.core.outcomes import EffectSize, cohens_dz
from alliance.measures.models import Score, Status
from alliance.measures.registry import definition_for
from alliance.measures.selectors import ChangeRow, change_table
from alliance.programs.models import Program


@dataclass(frozen=True)
class MeasureChange:
    program: str
    row: ChangeRow
    effect: EffectSize | None


def _pairs(program: Program) -> dict[tuple[str, str], pd.DataFrame]:
    scores = pd.DataFrame(
        list(
            Score.objects.filter(
                enrollment__program=program,
                value__isnull=False,
                administration__status=Status.COMPLETE,
            )
            .order_by("administered_on", "administration_id")
            .values_list("enrollment_id", "instrument_id", "scale_id", "administered_on", "value")
        ),
        columns=["enrollment", "instrument", "scale", "day", "value"],
    )
    if scores.empty:
        return {}
    ends = (
        scores.groupby(["instrument", "scale", "enrollment"], sort=True)
        .agg(pre=("value", "first"), post=("value", "last"), a=("day", "first"), b=("day", "last"))
        .reset_index()
    )
    ends = ends[ends["b"] > ends["a"]]
    return {(str(i), str(s)): g for (i, s), g in ends.groupby(["instrument", "scale"], sort=True)}


def _known(instrument_id: str) -> bool:
    try:
        definition_for(instrument_id)
    except LookupError:
        return False
    return True


def measure_changes(programs: QuerySet[Program]) -> list[MeasureChange]:
    out = []
    for program in programs.order_by("name"):
        # change_table walks the same (instrument, scale) groups in the same sorted order and
        # skips instruments it has no definition for; so do we, and check the sizes agree.
        pairs = [g for (instrument, _), g in _pairs(program).items() if _known(instrument)]
        rows = change_table(program)
        if len(rows) != len(pairs):
            pairs = [pd.DataFrame()] * len(rows)
        for row, pair in zip(rows, pairs, strict=True):
            effect = None
            if len(pair) == row.n and len(pair) >= 3:
                try:
                    effect = cohens_dz(
                        pair["pre"].astype(float).to_numpy(), pair["post"].astype(float).to_numpy()
                    )
                except ValueError:
                    effect = None
            out.append(MeasureChange(program.name, row, effect))
    return out
