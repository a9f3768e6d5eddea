"""``alliance analyze survival``: JSON, SVG and one-line errors, without Django."""

from __future__ import annotations

import json

import pytest
from lifelines.datasets import load_rossi, load_stanford_heart_transplants

from alliance.cli import main

COVARIATES = "fin,age,race,wexp,mar,paro,prio"


@pytest.fixture(scope="module")
def rossi_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "rossi.csv"
    load_rossi().to_csv(path, index=False)
    return path


def test_it_prints_the_fox_and_weisberg_model_as_json(rossi_csv, capsys, tmp_path) -> None:
    svg = tmp_path / "curves.svg"
    argv = [
        "analyze",
        "survival",
        "--csv",
        str(rossi_csv),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--covariates",
        COVARIATES,
        "--group",
        "fin",
        "--json",
        "--svg",
        str(svg),
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert round(out["coefficients"]["fin"], 3) == -0.379
    assert round(out["coefficients"]["prio"], 4) == 0.0915
    assert round(out["standard_errors"]["age"], 4) == 0.0220
    assert round(out["concordance"], 3) == 0.640
    assert out["n_events"] == 114
    assert out["ties"] == "efron"
    assert out["proportional_hazards_test"]["p_values"]["age"] < 0.01
    assert set(out["kaplan_meier"]) == {"fin=0", "fin=1"}
    assert out["log_rank"]["df"] == 1
    assert svg.read_text().lstrip().startswith("<?xml")
    assert "<svg" in svg.read_text()


def test_it_fits_the_counting_process_form(tmp_path, capsys) -> None:
    path = tmp_path / "heart.csv"
    load_stanford_heart_transplants().to_csv(path, index=False)
    argv = [
        "analyze",
        "survival",
        "--csv",
        str(path),
        "--id",
        "id",
        "--start",
        "start",
        "--stop",
        "stop",
        "--event",
        "event",
        "--covariates",
        "age,year,surgery,transplant",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counting_process"] is True
    assert out["n_events"] == 75
    assert round(out["coefficients"]["surgery"], 2) == -0.64
    assert 0.5 < out["concordance"] < 1


@pytest.mark.parametrize(
    ("edit", "extra", "message"),
    [
        (None, ["--covariates", "fin,height"], "column 'height' is not in the data"),
        (("age", "twenty"), [], "column 'age', row 5: 'twenty' is not a number"),
        (("week", "0"), [], "column 'week', row 5: '0' is not a positive number"),
        (("arrest", "yes"), [], "column 'arrest', row 5: 'yes' is not 0 or 1"),
        (None, ["--start", "week"], "needs --id, --start and --stop together"),
    ],
)
def test_bad_input_exits_2_naming_column_and_row(tmp_path, capsys, edit, extra, message) -> None:
    frame = load_rossi().astype(str)
    if edit:
        frame.loc[4, edit[0]] = edit[1]
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    argv = [
        "analyze",
        "survival",
        "--csv",
        str(path),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--covariates",
        "fin,age",
        "--json",
        *extra,
    ]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_a_missing_file_exits_2(capsys) -> None:
    argv = [
        "analyze",
        "survival",
        "--csv",
        "/nonexistent.csv",
        "--duration",
        "d",
        "--event",
        "e",
        "--covariates",
        "x",
    ]
    assert main(argv) == 2
    assert "/nonexistent.csv: no such file" in capsys.readouterr().err


def test_adjusted_prints_weighted_hazard_ratio_smds_and_the_caveat(
    rossi_csv, capsys, tmp_path
) -> None:
    # Rossi et al.'s financial aid was randomised, so weighting on the other covariates
    # should barely move the hazard ratio, and every SMD should end near zero.
    svg = tmp_path / "adjusted.svg"
    argv = [
        "analyze",
        "adjusted",
        "--csv",
        str(rossi_csv),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--completed",
        "fin",
        "--covariates",
        "age,race,wexp,mar,paro,prio",
        "--json",
        "--svg",
        str(svg),
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert "not proof" in out["caveat"]
    assert out["weighted"]["robust_standard_errors"] is True
    assert abs(out["weighted"]["hazard_ratio"] - out["unadjusted"]["hazard_ratio"]) < 0.05
    assert all(abs(v["after"]) < 0.01 for v in out["standardized_mean_differences"].values())
    assert out["n"] == {"completed": 216, "did not complete": 216}
    assert "<svg" in svg.read_text()


def test_adjusted_names_a_bad_completion_column(rossi_csv, capsys) -> None:
    argv = [
        "analyze",
        "adjusted",
        "--csv",
        str(rossi_csv),
        "--duration",
        "week",
        "--event",
        "arrest",
        "--completed",
        "prio",
        "--covariates",
        "age",
    ]
    assert main(argv) == 2
    assert "column 'prio', row 1: '3' is not 0 or 1" in capsys.readouterr().err
