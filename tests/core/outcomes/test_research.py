"""De-identified research tables (pure core, no Django)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from alliance.core.outcomes import OutcomeKind, Source
from alliance.core.outcomes.codebook import (
    codebook_csv,
    redcap_dictionary_csv,
    redcap_records_csv,
    table_csv,
)
from alliance.core.outcomes.research import (
    AGE_TOP_CODE,
    ENROLLMENT_COLUMNS,
    SCORE_COLUMNS,
    DateMode,
    ExportSource,
    ResearchExportError,
    build_research_tables,
    measure_variable_base,
)

D = dt.date


def _enrollment(eid: int, pid: int, referred: dt.date, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "enrollment_id": eid,
        "participant_id": pid,
        "program": "North",
        "referral_source": "court",
        "status": "completed",
        "discharge_reason": "",
        "referred_on": referred,
        "started_on": referred + dt.timedelta(days=14),
        "ended_on": referred + dt.timedelta(days=140),
        "reinstatements": 0,
        "attended": 20,
        "unexcused_absences": 1,
        "birth_year": 1985,
        "relationship_status": "married",
        "employment": "unknown",
        "education": "high_school",
        "income_band": "low",
        "prior_offences": 2,
        "prior_ipv_offences": 1,
        "substance_use": True,
        "risk_score": 3.5,
        "outreach_alerts": 0,
    }
    row.update(kw)
    return row


def _source() -> ExportSource:
    enrollments = pd.DataFrame(
        [
            _enrollment(10, 1, D(2023, 1, 9), status="dropped_out", ended_on=D(2023, 2, 20)),
            _enrollment(11, 1, D(2023, 6, 5), birth_year=1920),  # re-referred; age 103
            _enrollment(12, 2, D(2023, 3, 6), status="active", ended_on=None),
            _enrollment(13, 3, D(2023, 4, 3), substance_use=None, risk_score=None),
        ],
        columns=list(ENROLLMENT_COLUMNS),
    )
    scores = pd.DataFrame(
        [
            (11, "dass21", "stress", "intake", D(2023, 6, 19), 20.0),
            (11, "dass21", "stress", "exit", D(2023, 10, 23), 12.0),
            (10, "dass21", "stress", "intake", D(2023, 1, 23), 25.0),
            (13, "dass21", "stress", "intake", D(2023, 4, 17), 18.0),
        ],
        columns=list(SCORE_COLUMNS),
    )
    exit_1 = D(2023, 6, 5) + dt.timedelta(days=140)
    return ExportSource(
        enrollments=enrollments,
        scores=scores,
        measure_titles={("dass21", "stress"): "DASS-21: Stress"},
        followups=[(1, Source.OFFICIAL_RECORD, exit_1 + dt.timedelta(days=365))],
        events=[(1, OutcomeKind.IPV_CHARGE, exit_1 + dt.timedelta(days=100))],
    )


def test_shifted_dates_keep_every_interval_of_a_man_across_both_files() -> None:
    source = _source()
    data = build_research_tables(source, date_mode=DateMode.SHIFT, rng=np.random.default_rng(1))
    rows = data.enrollments.frame
    man_1 = rows[rows["enrollment_no"] == 2]
    man_1 = man_1[man_1["referred_date"].dt.year.notna()]
    first = rows[rows["study_id"] == man_1["study_id"].iloc[0]].sort_values("enrollment_no")
    assert list(first["enrollment_no"]) == [1, 2]
    # His two referrals were 147 days apart; shifted, they still are.
    gap = (first["referred_date"].iloc[1] - first["referred_date"].iloc[0]).days
    assert gap == (D(2023, 6, 5) - D(2023, 1, 9)).days
    offset = (first["referred_date"].iloc[0].date() - D(2023, 1, 9)).days
    assert offset != 0
    assert abs(offset) <= 183
    # His scores in the long file carry the same offset.
    long = data.administrations.frame
    his = long[long["study_id"] == first["study_id"].iloc[0]]
    assert sorted(d.date() - dt.timedelta(days=offset) for d in his["date"]) == [
        D(2023, 1, 23),
        D(2023, 6, 19),
        D(2023, 10, 23),
    ]


def test_study_ids_are_random_per_export_and_rows_sorted_by_them() -> None:
    a = build_research_tables(_source(), date_mode=DateMode.SHIFT, rng=np.random.default_rng(1))
    b = build_research_tables(_source(), date_mode=DateMode.SHIFT, rng=np.random.default_rng(2))
    ids_a = set(a.enrollments.frame["study_id"])
    assert len(ids_a) == 3
    assert ids_a.isdisjoint(set(b.enrollments.frame["study_id"]))
    assert list(a.enrollments.frame["study_id"]) == sorted(a.enrollments.frame["study_id"])


def test_intervals_mode_has_no_dates_and_outcomes_count_from_the_index_exit() -> None:
    data = build_research_tables(
        _source(), date_mode=DateMode.INTERVALS, rng=np.random.default_rng(3)
    )
    frame = data.enrollments.frame
    assert not [v for v in data.enrollments.variables if v.kind == "date"]
    assert "date" not in data.administrations.frame.columns
    index = frame[frame["index_enrollment"] == 1]
    assert len(index) == 2  # man 1's second enrollment and man 3; man 2 is still active
    charged = index[index["ipv_official_event"] == 1]
    assert list(charged["ipv_official_days"]) == [100.0]
    assert list(charged["days_to_end"]) == [140.0]
    assert charged["dass21_stress_pre"].iloc[0] == 20.0
    assert charged["dass21_stress_post"].iloc[0] == 12.0
    assert index["any_official_fu"].tolist().count(0) == 1  # man 3 was never searched
    assert frame.loc[frame["index_enrollment"] == 0, "ipv_official_event"].isna().all()


def test_age_is_top_coded_and_unknown_is_a_missing_code() -> None:
    data = build_research_tables(_source(), date_mode=DateMode.SHIFT, rng=np.random.default_rng(4))
    frame = data.enrollments.frame
    assert frame["age"].max() == AGE_TOP_CODE
    assert set(frame["employment"]) == {99}
    employment = data.enrollments.variable("employment")
    assert employment.missing == ((99, "Unknown"),)
    assert frame["substance_use"].isna().sum() == 1


def test_csv_and_redcap_renderings_agree_with_the_codebook() -> None:
    data = build_research_tables(_source(), date_mode=DateMode.SHIFT, rng=np.random.default_rng(5))
    header = table_csv(data.enrollments).splitlines()[0].split(",")
    assert header == [v.name for v in data.enrollments.variables]
    book = codebook_csv(data)
    assert all(f"enrollments.csv,{name}," in book for name in header)
    dictionary = redcap_dictionary_csv(data.enrollments).splitlines()
    records = redcap_records_csv(data.enrollments).splitlines()
    assert records[0].split(",") == ["record_id", *header]
    assert len(dictionary) == len(header) + 2  # header line and record_id
    assert records[1].split(",")[0].startswith("S")


def test_missing_columns_are_named() -> None:
    source = _source()
    broken = ExportSource(
        enrollments=source.enrollments.drop(columns=["status"]),
        scores=source.scores,
        measure_titles={},
    )
    with pytest.raises(ResearchExportError, match="'status'"):
        build_research_tables(broken, date_mode=DateMode.SHIFT, rng=np.random.default_rng(0))


def test_unknown_category_values_are_named() -> None:
    source = _source()
    enrollments = source.enrollments.copy()
    enrollments.loc[0, "employment"] = "astronaut"
    broken = ExportSource(enrollments=enrollments, scores=source.scores, measure_titles={})
    with pytest.raises(ResearchExportError, match="employment: unknown value 'astronaut'"):
        build_research_tables(broken, date_mode=DateMode.SHIFT, rng=np.random.default_rng(0))


def test_measure_variable_names_fit_every_package() -> None:
    name = measure_variable_base("alliance_checkout", "a very long scale identifier indeed")
    assert name.startswith("checkout_a_very")
    assert len(name) + len("_post") <= 26
    assert measure_variable_base("123", "x").startswith("m_")
