"""Small-cell suppression and k-anonymity (pure core, no Django)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from alliance.core.outcomes.disclosure import (
    TOTAL,
    check_min_cell,
    k_anonymise,
    suppress_counts,
)


def _table(rows: dict[str, list[int]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def test_the_worked_example_hides_the_small_cell_and_its_complements() -> None:
    # min_cell 11. Totals: A 55, B 67; x 35, y 17, z 70; grand 122.
    # Primary: A.y = 5. Column y then has one hidden cell: hide B.y (12 < total 17).
    # Row A has one hidden cell: hide A.x (20, smallest of 20, 30, 55).
    # Row B now has one hidden cell (B.y): hide B.x (15). Every line now has 0 or 2.
    counts = _table({"A": [20, 5, 30], "B": [15, 12, 40]}, ["x", "y", "z"])
    result = suppress_counts(counts, 11)
    hidden = {
        (r, c)
        for r in result.hidden.index
        for c in result.hidden.columns
        if result.hidden.loc[r, c]
    }
    assert hidden == {("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")}
    assert (result.primary, result.complementary, result.suppressed) == (1, 3, 4)
    assert result.shown.loc["A", "z"] == 30
    assert result.shown.loc[TOTAL, TOTAL] == 122
    assert pd.isna(result.shown.loc["A", "y"])


def test_a_cell_exactly_at_the_threshold_is_shown_and_zero_is_shown() -> None:
    counts = _table({"A": [11, 0], "B": [40, 30]}, ["x", "y"])
    result = suppress_counts(counts, 11)
    assert result.suppressed == 0
    assert result.shown.loc["A", "x"] == 11
    assert result.shown.loc["A", "y"] == 0


def test_a_small_total_is_hidden_and_so_is_the_total_it_could_be_taken_from() -> None:
    # A's total (7) is hidden; B's total would give it away (77 - 70), so it goes too.
    counts = _table({"A": [3, 4], "B": [40, 30]}, ["x", "y"])
    result = suppress_counts(counts, 11)
    assert pd.isna(result.shown.loc["A", TOTAL])
    assert pd.isna(result.shown.loc["B", TOTAL])
    assert result.shown.loc[TOTAL, TOTAL] == 77
    assert result.primary == 3


@pytest.mark.parametrize("seed", range(30))
def test_no_shown_count_is_small_and_no_line_has_a_lone_hidden_cell(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 6)))
    counts = pd.DataFrame(rng.integers(0, 30, size=shape))
    result = suppress_counts(counts, 11)
    shown = result.shown.to_numpy(dtype="float64", na_value=np.nan)
    visible = shown[~np.isnan(shown)]
    assert not ((visible > 0) & (visible < 11)).any()
    for axis in (0, 1):
        assert not (result.hidden.sum(axis=axis) == 1).any()


def test_bad_counts_and_thresholds_are_refused() -> None:
    with pytest.raises(ValueError, match="counts"):
        suppress_counts(pd.DataFrame([[1, -2]]), 11)
    for bad in (1, 0, 101, 10.5, True):
        with pytest.raises(ValueError, match="min_cell"):
            check_min_cell(bad)  # type: ignore[arg-type]
    assert check_min_cell(11) == 11


SUPPRESSED = 98


def _people(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person", "program", "employment"]).astype(
        {"program": "Float64", "employment": "Float64"}
    )


def test_the_worked_example_blanks_the_least_useful_field_first() -> None:
    # k = 3. Program 1: three men employed (code 1) -> a class of 3, untouched.
    # Program 1: one man unemployed (2); program 2: two men unemployed (2), one employed.
    # Step 1 (employment): rows in classes under 3 are p4 (1,2), p5-p6 (2,2), p7 (2,1):
    #   their employment becomes 98 -> classes (1,98) = {p4}, (2,98) = {p5, p6, p7}.
    # Step 2 (program): p4 alone in (1,98) -> program 98 -> (98,98) = {p4}: all suppressed.
    frame = _people(
        [
            ("p1", 1, 1),
            ("p2", 1, 1),
            ("p3", 1, 1),
            ("p4", 1, 2),
            ("p5", 2, 2),
            ("p6", 2, 2),
            ("p7", 2, 1),
        ]
    )
    result = k_anonymise(frame, ["employment", "program"], 3, unit="person", suppressed=SUPPRESSED)
    out = result.frame.set_index("person")
    assert list(out.loc[["p1", "p2", "p3"], "employment"]) == [1, 1, 1]
    assert list(out.loc[["p5", "p6", "p7"], "employment"]) == [98, 98, 98]
    assert list(out.loc[["p5", "p6", "p7"], "program"]) == [2, 2, 2]
    assert (out.loc["p4", "program"], out.loc["p4", "employment"]) == (98, 98)
    assert result.records == 4
    assert result.fields == {"employment": 4, "program": 1}
    assert frame.loc[3, "program"] == 1  # the input is not modified


def test_two_rows_of_one_man_count_once() -> None:
    frame = _people([("p1", 1, 1), ("p1", 1, 1), ("p2", 1, 1)])
    result = k_anonymise(frame, ["employment", "program"], 3, unit="person", suppressed=98)
    assert result.records == 3


def _same(a: object, b: object) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return bool(a == b)


def _naive_classes(frame: pd.DataFrame, qis: list[str]) -> list[int]:
    """For each row, count the people whose row matches it on every field (slowly)."""
    sizes = []
    for _, row in frame.iterrows():
        people = set()
        for _, other in frame.iterrows():
            if all(_same(row[q], other[q]) for q in qis):
                people.add(other["person"])
        sizes.append(len(people))
    return sizes


@pytest.mark.parametrize("seed", range(15))
def test_every_row_is_in_a_class_of_k_or_has_nothing_left_to_say(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    frame = pd.DataFrame(
        {
            "person": [f"p{i}" for i in rng.integers(0, n, size=n)],
            "program": rng.integers(1, 4, size=n),
            "employment": rng.integers(1, 5, size=n),
            "age_band": rng.integers(1, 4, size=n),
        }
    ).astype({"program": "Float64", "employment": "Float64", "age_band": "Float64"})
    frame.loc[rng.random(n) < 0.1, "employment"] = pd.NA
    qis = ["employment", "age_band", "program"]
    k = int(rng.integers(2, 6))
    result = k_anonymise(frame, qis, k, unit="person", suppressed=SUPPRESSED)
    out = result.frame
    before = _naive_classes(frame, qis)
    after = _naive_classes(out, qis)
    for i, size in enumerate(after):
        all_gone = all(_same(out.loc[i, q], SUPPRESSED) for q in qis)
        assert size >= k or all_gone
        if before[i] >= k:  # rows already safe are never touched
            assert all(_same(out.loc[i, q], frame.loc[i, q]) for q in qis)
    changed = [
        i for i, q in itertools.product(range(n), qis) if not _same(out.loc[i, q], frame.loc[i, q])
    ]
    assert result.records == len(set(changed))


def test_a_missing_column_is_named() -> None:
    with pytest.raises(ValueError, match="'income_band'"):
        k_anonymise(_people([]), ["income_band"], 3, unit="person", suppressed=98)


def test_age_bands_have_closed_ten_year_edges_and_keep_blanks() -> None:
    from alliance.core.outcomes.protected import age_bands

    ages = pd.Series([18, 24, 25, 34, 35, 54, 55, 90, None], dtype="Float64")
    bands = age_bands(ages)
    assert bands.iloc[:8].tolist() == [1, 1, 2, 2, 3, 4, 5, 5]
    assert pd.isna(bands.iloc[8])
