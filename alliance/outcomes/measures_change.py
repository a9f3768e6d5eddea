"""Change on measures for the evaluation: pre-post effect sizes beside reliable-change classes.

The class counts are the measures app's own
(:func:`alliance.measures.statistics.selectors.change_table`: each man's first against his
last score, Jacobson-Truax with the scale's norms); this module adds the standardized pre-post
change d_z with its exact confidence interval (``alliance.core.outcomes.cohens_dz``) computed
on the same pairs, which each row carries keyed by enrollment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from alliance.core.outcomes import EffectSize, cohens_dz
from alliance.measures.statistics.selectors import ChangeRow, change_table
from alliance.programs.models import Program


@dataclass(frozen=True)
class MeasureChange:
    program: str
    row: ChangeRow
    effect: EffectSize | None


def _effect(row: ChangeRow) -> EffectSize | None:
    if row.n < 3:
        return None
    try:
        return cohens_dz(
            row.pairs["first_score"].astype(float).to_numpy(),
            row.pairs["last_score"].astype(float).to_numpy(),
        )
    except ValueError:
        return None


def measure_changes(programs: QuerySet[Program]) -> list[MeasureChange]:
    return [
        MeasureChange(program.name, row, _effect(row))
        for program in programs.order_by("name")
        for row in change_table(program)
    ]
