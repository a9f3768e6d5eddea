"""Statistical disclosure control for the research export: small-cell suppression of counts
and k-anonymity of the quasi-identifiers in the row-level file.

**Threshold.** One number, ``min_cell`` (default 11), serves both rules. A count from 1 to
``min_cell - 1`` is never shown; zero is shown (it identifies nobody). The default follows the
CMS cell-size suppression policy (no cell of 1 to 10 may be displayed); many health statistics
agencies use 10 or 5 instead, and the operator may choose any whole number from 2 to 100.

**Counts** (:func:`suppress_counts`). The table is completed with its row totals, column totals
and grand total, then:

1. *primary suppression*: every cell, total or not, from 1 to ``min_cell - 1`` is hidden;
2. *complementary suppression*: while some row or column of the completed table (its total
   included) has exactly one hidden cell, the smallest shown non-zero cell of that line is
   hidden too (the smallest shown cell if all are zero), because a single hidden cell equals
   the line's total minus the rest. Repeated until no line has exactly one hidden cell.

This defeats recovery by subtraction within one line; it is not a full audit against
combinations across several lines (as tau-ARGUS's optimal methods do).

**Records** (:func:`k_anonymise`). A *class* is the set of rows that agree on every
quasi-identifier (a missing value and a suppressed value count as values of their own). A
class is small when it holds fewer than ``k`` distinct people. For each quasi-identifier in
the order given (least useful first), the rows still in a small class have that field
replaced by the suppressed marker, and the classes are recomputed. Afterwards every row either
shares its combination with at least ``k - 1`` other people, or has all its quasi-identifiers
suppressed (and so says nothing through them). Rows in classes that are already large are
never touched.

References
----------
Centers for Medicare & Medicaid Services, "CMS Cell Size Suppression Policy" (2020), ResDAC.
Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International Journal of
Uncertainty, Fuzziness and Knowledge-Based Systems*, 10(5), 557-570.
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley (ch. 4 and 5: local
suppression; primary and secondary cell suppression).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

DEFAULT_MIN_CELL = 11
MIN_CELL_LOWEST = 2
MIN_CELL_HIGHEST = 100
TOTAL = "Total"


def check_min_cell(value: int, name: str = "min_cell") -> int:
    """The threshold, refused (naming ``name``) unless it is a whole number from 2 to 100."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: expected a whole number, got {value!r}.")
    if not MIN_CELL_LOWEST <= value <= MIN_CELL_HIGHEST:
        raise ValueError(
            f"{name}: must be from {MIN_CELL_LOWEST} to {MIN_CELL_HIGHEST} "
            f"(a count below it is hidden), got {value}."
        )
    return value


@dataclass(frozen=True)
class SuppressedCounts:
    """A table of counts with its totals; hidden cells are ``<NA>`` in ``shown``."""

    shown: pd.DataFrame
    hidden: pd.DataFrame
    primary: int
    complementary: int

    @property
    def suppressed(self) -> int:
        return self.primary + self.complementary


def with_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """Add a ``Total`` column and a ``Total`` row (and the grand total)."""
    full = counts.astype("int64").copy()
    full[TOTAL] = full.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    return full


def _complement(values: pd.DataFrame, hidden: pd.DataFrame) -> int:
    """Hide more cells until no row or column has exactly one hidden cell; return how many."""
    added = 0
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = hidden.T if axis == 0 else hidden
            figures = values.T if axis == 0 else values
            for label in lines.index:
                line = lines.loc[label]
                if int(line.sum()) != 1:
                    continue
                shown = figures.loc[label][~line]
                if shown.empty:
                    continue
                nonzero = shown[shown > 0]
                pick = (nonzero if not nonzero.empty else shown).idxmin()
                if axis == 0:
                    hidden.loc[pick, label] = True
                else:
                    hidden.loc[label, pick] = True
                added += 1
                changed = True
    return added


def suppress_counts(counts: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL) -> SuppressedCounts:
    """Primary and complementary suppression of a two-way table of counts.

    Parameters
    ----------
    counts
        Non-negative whole numbers, one row per category of one variable and one column per
        category of the other, without totals (they are added here).
    min_cell
        Counts from 1 to ``min_cell - 1`` are hidden.
    """
    check_min_cell(min_cell)
    if counts.isna().any().any() or (counts < 0).any().any():
        raise ValueError("counts: must be non-negative whole numbers")
    values = with_totals(counts)
    hidden = (values > 0) & (values < min_cell)
    primary = int(hidden.sum().sum())
    complementary = _complement(values, hidden)
    shown = values.astype("Int64").mask(hidden)
    return SuppressedCounts(shown, hidden, primary, complementary)


@dataclass(frozen=True)
class KAnonymity:
    """The frame after local suppression, and what was done (counts only, never values)."""

    frame: pd.DataFrame
    records: int
    fields: dict[str, int]


def class_sizes(frame: pd.DataFrame, quasi_identifiers: Sequence[str], unit: str) -> pd.Series:
    """For every row, how many distinct ``unit`` values (people) share its combination."""
    if frame.empty:
        return pd.Series(0, index=frame.index, dtype="int64")
    grouped = frame.groupby(list(quasi_identifiers), dropna=False, sort=False)[unit]
    return grouped.transform("nunique").astype("int64")


def k_anonymise(
    frame: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    k: int,
    *,
    unit: str,
    suppressed: float | str,
) -> KAnonymity:
    """Local suppression until every quasi-identifier combination holds ``k`` people.

    Parameters
    ----------
    frame
        The row-level table; it is not modified.
    quasi_identifiers
        Columns an outsider could know about a man, in the order they are given up (the
        least useful to the analysis first).
    k
        The smallest class allowed (the export passes its ``min_cell``).
    unit
        The column that names a person, so that two rows of one man count once.
    suppressed
        The value written over a suppressed field (a declared missing code).
    """
    check_min_cell(k, "k")
    for column in (*quasi_identifiers, unit):
        if column not in frame.columns:
            raise ValueError(f"k_anonymise: missing column {column!r}")
    out = frame.copy()
    touched = pd.Series(False, index=out.index)
    fields: dict[str, int] = {}
    qis = list(quasi_identifiers)
    for column in qis:
        small = class_sizes(out, qis, unit) < k
        differs = (out[column] != suppressed).fillna(True).astype(bool)
        change = small & differs
        fields[column] = int(change.sum())
        if change.any():
            out[column] = out[column].mask(change, suppressed)
            touched |= change
    return KAnonymity(out, int(touched.sum()), fields)
