"""The scoring engine on hand-built frames and published scoring examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from alliance.core.instruments import (
    ENGINE_VERSION,
    ResponseError,
    band_of,
    get_bundled,
    score,
)


def dass_row(depression: int, anxiety: int, stress: int) -> dict[str, int]:
    """One DASS-21 administration whose raw (unmultiplied) scale sums are as given."""
    keys = {
        "depression": [3, 5, 10, 13, 16, 17, 21],
        "anxiety": [2, 4, 7, 9, 15, 19, 20],
        "stress": [1, 6, 8, 11, 12, 14, 18],
    }
    row: dict[str, int] = {}
    for scale, total in (("depression", depression), ("anxiety", anxiety), ("stress", stress)):
        for item in keys[scale]:
            answer = min(3, total)
            row[f"dass21_{item:02d}"] = answer
            total -= answer
        assert total == 0
    return row


# Lovibond & Lovibond (1995), Manual for the DASS, severity labels on the x2 metric, as given
# in domain_science.md §3: D 0-9 normal, 10-13 mild, 14-20 moderate, 21-27 severe, 28+
# extremely severe; A 0-7, 8-9, 10-14, 15-19, 20+; S 0-14, 15-18, 19-25, 26-33, 34+.
# DASS-21 x2 scores are even, so each boundary is checked at the even scores either side.
DASS_BOUNDARIES = [
    ("depression", 8, "normal"),
    ("depression", 10, "mild"),
    ("depression", 12, "mild"),
    ("depression", 14, "moderate"),
    ("depression", 20, "moderate"),
    ("depression", 22, "severe"),
    ("depression", 26, "severe"),
    ("depression", 28, "extremely_severe"),
    ("depression", 42, "extremely_severe"),
    ("anxiety", 6, "normal"),
    ("anxiety", 8, "mild"),
    ("anxiety", 10, "moderate"),
    ("anxiety", 14, "moderate"),
    ("anxiety", 16, "severe"),
    ("anxiety", 18, "severe"),
    ("anxiety", 20, "extremely_severe"),
    ("stress", 14, "normal"),
    ("stress", 16, "mild"),
    ("stress", 18, "mild"),
    ("stress", 20, "moderate"),
    ("stress", 24, "moderate"),
    ("stress", 26, "severe"),
    ("stress", 32, "severe"),
    ("stress", 34, "extremely_severe"),
    ("stress", 0, "normal"),
]


@pytest.mark.parametrize(("scale", "doubled", "label"), DASS_BOUNDARIES)
def test_dass21_severity_bands_match_the_manual(scale: str, doubled: int, label: str) -> None:
    """Lovibond & Lovibond (1995) DASS manual severity bands, via domain_science.md §3."""
    raw = {"depression": 0, "anxiety": 0, "stress": 0}
    raw[scale] = doubled // 2
    result = score(get_bundled("dass21"), pd.DataFrame([dass_row(**raw)]))
    assert result.frame.loc[0, f"{scale}_score"] == doubled
    assert result.frame.loc[0, f"{scale}_band"] == label


def test_dass21_odd_published_edges_fall_in_the_published_band() -> None:
    """Prorated scores can be odd or fractional; the manual's integer edges still hold."""
    scale = get_bundled("dass21").scale("depression")
    assert band_of(scale, 9) == "normal"
    assert band_of(scale, 9.9) == "normal"
    assert band_of(scale, 13) == "mild"
    assert band_of(scale, 21) == "severe"
    assert band_of(scale, 27) == "severe"
    assert band_of(scale, float("nan")) is None


def test_scs_sf_total_is_the_mean_after_reversing_items_1_4_8_9_11_12() -> None:
    """Raes et al. (2011): reverse items 1, 4, 8, 9, 11, 12, then average all 12."""
    reverse = {1, 4, 8, 9, 11, 12}
    all_fives = {f"scs_sf_{i:02d}": 5 for i in range(1, 13)}
    kindest = {f"scs_sf_{i:02d}": (1 if i in reverse else 5) for i in range(1, 13)}
    harshest = {f"scs_sf_{i:02d}": (5 if i in reverse else 1) for i in range(1, 13)}
    mixed = {f"scs_sf_{i:02d}": v for i, v in enumerate([2, 4, 3, 1, 5, 4, 3, 2, 2, 4, 1, 3], 1)}
    result = score(get_bundled("scs_sf"), pd.DataFrame([all_fives, kindest, harshest, mixed]))
    # mixed: keyed = [4, 4, 3, 5, 5, 4, 3, 4, 4, 4, 5, 3] -> 48 / 12 = 4.0
    assert list(result.frame["total_score"]) == [3.0, 5.0, 1.0, 4.0]
    assert list(result.frame["total_band"]) == ["moderate", "high", "low", "high"]


def test_scs_total_is_the_mean_of_subscale_means_not_the_item_mean() -> None:
    """Neff: total = grand mean of the six subscale means (subscales have 5 or 4 items)."""
    definition = get_bundled("scs")
    row = {f"scs_{i:02d}": 3 for i in range(1, 27)}
    for i in (5, 12, 19, 23, 26):  # self-kindness items at 5
        row[f"scs_{i:02d}"] = 5
    result = score(definition, pd.DataFrame([row])).frame.loc[0]
    assert result["self_kindness_score"] == 5
    assert result["total_score"] == pytest.approx((5 + 3 * 5) / 6)
    assert result["total_score"] != pytest.approx((5 * 5 + 3 * 21) / 26)


def test_urica_readiness_is_c_plus_a_plus_m_minus_pc() -> None:
    row = {f"urica_dv_{i:02d}": 0 for i in range(1, 21)}
    for i, value in zip(range(1, 21), [5] * 5 + [2] * 5 + [3] * 5 + [4] * 5, strict=True):
        row[f"urica_dv_{i:02d}"] = value
    got = score(get_bundled("urica_dv"), pd.DataFrame([row])).frame.loc[0]
    assert got["readiness_score"] == 2 + 3 + 4 - 5


def test_ceas_fillers_are_validated_but_not_scored() -> None:
    definition = get_bundled("ceas")
    row = {item.id: 10 for item in definition.items}
    base = score(definition, pd.DataFrame([row])).frame.loc[0]
    row["ceas_self_e_03"] = 1
    row["ceas_self_a_03"] = 1
    changed = score(definition, pd.DataFrame([row])).frame.loc[0]
    assert base["self_engagement_score"] == changed["self_engagement_score"] == 60
    assert base["self_action_score"] == changed["self_action_score"] == 40
    row["ceas_self_e_07"] = 11
    bad = score(definition, pd.DataFrame([row]))
    assert bad.errors == (ResponseError(0, "ceas_self_e_07", 11, "outside the range 1..10"),)


def test_srs_sums_visual_analogue_lines_and_flags_below_36() -> None:
    frame = pd.DataFrame(
        {"srs_01": [9.0, 9.0], "srs_02": [9.0, 9.0], "srs_03": [8.9, 9.0], "srs_04": [9.0, 9.0]}
    )
    got = score(get_bundled("srs"), frame).frame
    assert list(got["total_score"]) == [35.9, 36.0]
    assert list(got["total_band"]) == ["alliance_concern", "no_concern"]


def test_invalid_cells_are_reported_by_row_and_item_and_their_rows_are_not_scored() -> None:
    definition = get_bundled("scs_sf")
    good = {f"scs_sf_{i:02d}": 3 for i in range(1, 13)}
    rows = [
        good,
        {**good, "scs_sf_02": 6},
        {**good, "scs_sf_03": 2.5},
        {**good, "scs_sf_04": "often"},
        {**good, "scs_sf_13": 1},
        {**good, "scs_sf_05": float("inf")},
        good,
    ]
    frame = pd.DataFrame(rows, index=[f"a{i}" for i in range(7)])
    result = score(definition, frame)
    assert not result.ok
    assert [(e.row, e.item, e.value, e.problem) for e in result.errors] == [
        (1, "scs_sf_02", 6, "outside the range 1..5"),
        (2, "scs_sf_03", 2.5, "not on a step of 1"),
        (3, "scs_sf_04", "often", "not a number"),
        (4, "scs_sf_13", 1.0, "unknown item"),
        (5, "scs_sf_05", float("inf"), "not a number"),
    ]
    out = result.frame
    assert list(out.index) == list(frame.index)
    assert list(out["invalid"]) == [False, True, True, True, True, True, False]
    assert list(out["total_score"].isna()) == [False, True, True, True, True, True, False]
    assert out["total_missing"].isna().tolist() == [False, True, True, True, True, True, False]
    assert str(result.errors[0]) == "row 1, item 'scs_sf_02': outside the range 1..5 (got 6)"


def test_it_rejects_booleans_and_keeps_numeric_strings() -> None:
    frame = pd.DataFrame({"ace_01": [True, "1"], **{f"ace_{i:02d}": [0, 0] for i in range(2, 11)}})
    result = score(get_bundled("ace10"), frame)
    assert [(e.row, e.item) for e in result.errors] == [(0, "ace_01")]
    assert result.frame.loc[1, "total_score"] == 1


def test_visual_analogue_answers_must_have_one_decimal() -> None:
    frame = pd.DataFrame({"srs_01": [7.25], "srs_02": [1], "srs_03": [1], "srs_04": [1]})
    (error,) = score(get_bundled("srs"), frame).errors
    assert (error.item, error.problem) == ("srs_01", "not on a step of 0.1")


def test_missing_items_are_prorated_within_the_rule_and_flagged_beyond_it() -> None:
    definition = get_bundled("dass21")
    full = dass_row(7, 0, 0)
    one_missing = {**full, "dass21_03": np.nan}
    two_missing = {**one_missing, "dass21_05": np.nan}
    out = score(definition, pd.DataFrame([full, one_missing, two_missing])).frame
    # dass_row puts 3, 3, 1 on items 3, 5, 10; dropping item 3 leaves 4 over 6 items.
    assert out.loc[0, "depression_score"] == 14
    assert out.loc[1, "depression_score"] == pytest.approx(4 / 6 * 7 * 2)
    assert pd.isna(out.loc[2, "depression_score"])
    assert list(out["depression_missing"]) == [False, False, True]
    assert list(out["depression_answered"]) == [7, 6, 5]
    assert out["invalid"].sum() == 0


def test_an_item_without_a_column_counts_as_unanswered() -> None:
    frame = pd.DataFrame({"ucla3_01": [2], "ucla3_02": [2]})
    out = score(get_bundled("ucla3"), frame).frame
    assert bool(out.loc[0, "total_missing"])
    assert out.loc[0, "total_answered"] == 2


def test_results_carry_the_instrument_and_engine_versions_and_the_id_column() -> None:
    definition = get_bundled("alliance_checkout")
    frame = pd.DataFrame(
        {
            "participant": ["P-001", "P-002"],
            "checkout_respected": [8, 3],
            "checkout_matters": [7, 2],
            "checkout_honest": [9, np.nan],
            "checkout_challenged": [6, 4],
            "checkout_comment": [None, None],
        }
    )
    result = score(definition, frame.drop(columns="checkout_comment"), id_column="participant")
    assert (result.instrument_id, result.instrument_version) == ("alliance_checkout", "1.0.0")
    assert result.engine_version == ENGINE_VERSION
    assert list(result.frame.columns[:2]) == ["participant", "total_score"]
    assert list(result.frame["participant"]) == ["P-001", "P-002"]
    assert list(result.frame["total_score"]) == [7.5, 3.0]


def test_it_scores_an_empty_frame() -> None:
    result = score(get_bundled("scs_sf"), pd.DataFrame())
    assert len(result.frame) == 0
    assert result.ok


def test_it_rejects_structural_problems_at_the_boundary() -> None:
    definition = get_bundled("ucla3")
    with pytest.raises(TypeError):
        score(definition, [{"ucla3_01": 1}])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no id column 'who'"):
        score(definition, pd.DataFrame({"ucla3_01": [1]}), id_column="who")
    with pytest.raises(ValueError, match="id column 'ucla3_01' is also an item id"):
        score(definition, pd.DataFrame({"ucla3_01": [1]}), id_column="ucla3_01")
    twice = pd.DataFrame([[1, 2]], columns=["ucla3_01", "ucla3_01"])
    with pytest.raises(ValueError, match="column 'ucla3_01' appears more than once"):
        score(definition, twice)
