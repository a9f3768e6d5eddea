"""The ``alliance instruments`` command, driven through its own argparse harness.

Every error exits 2 with a line naming the file and the field or row, and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from alliance import instruments_cli
from alliance.core.instruments import bundled_ids, get_bundled, load_definition
from alliance.core.instruments.interchange import definition_to_dict, export_questionnaire
from alliance.core.instruments.interchange.redcap import COLUMNS


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="alliance instruments")
    instruments_cli.add_subparsers(parser.add_subparsers(dest="instruments_command"))
    return instruments_cli.run(parser.parse_args(argv))


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


SCS_SF = get_bundled("scs_sf")


def test_it_does_not_need_django() -> None:
    code = (
        "import sys, alliance.instruments_cli, alliance.core.instruments.interchange; "
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_list_shows_every_bundled_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("list") == 0
    out = capsys.readouterr().out
    for instrument_id in bundled_ids():
        assert f"\n{instrument_id} " in out
    assert "free_with_citation" in out


def test_show_prints_a_summary_or_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("show", "scs_sf") == 0
    out = capsys.readouterr().out
    assert "scs_sf_01: likert 1-5 reverse" in out
    assert "total:" in out
    assert run("show", "scs_sf", "--json") == 0
    assert load_definition(capsys.readouterr().out) == SCS_SF


def test_show_names_an_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("show", "phq9") == 2
    err = capsys.readouterr().err
    assert "no bundled instrument 'phq9'; known: ace10" in err
    assert len(err.strip().splitlines()) == 1


def test_validate_accepts_a_good_file_and_names_the_field_of_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(definition_to_dict(SCS_SF)))
    assert run("validate", str(good)) == 0
    assert "ok: scs_sf 1.0.0, 12 items, 1 scales" in capsys.readouterr().out
    obj = definition_to_dict(SCS_SF)
    obj["scales"][0]["items"][1] = "q99"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(obj))
    assert run("validate", str(bad)) == 2
    assert capsys.readouterr().err == (
        f"alliance instruments: {bad}: scales[0].items[1]: unknown item 'q99'\n"
    )
    assert run("validate", str(tmp_path / "missing.json")) == 2
    assert "missing.json: no such file" in capsys.readouterr().err


def test_score_writes_id_score_band_and_missing_flag_per_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = {item.id: 3 for item in SCS_SF.items}
    sparse = {item.id: (3 if i < 6 else None) for i, item in enumerate(SCS_SF.items)}
    responses = write_csv(tmp_path / "answers.csv", [{"id": "a1", **full}, {"id": "007", **sparse}])
    out = tmp_path / "scores.csv"
    assert (
        run("score", "--definition", "scs_sf", "--responses", str(responses), "--out", str(out))
        == 0
    )
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "id", "total_score", "total_band", "total_missing",
        "instrument", "instrument_version", "engine_version",
    ]  # fmt: skip
    assert rows[0]["id"] == "a1"
    assert float(rows[0]["total_score"]) == 3
    assert rows[0]["total_band"] == "moderate"
    assert rows[0]["total_missing"] == "False"
    assert rows[1]["id"] == "007"  # ids are kept as text
    assert rows[1]["total_score"] == ""
    assert rows[1]["total_missing"] == "True"
    assert rows[1]["instrument"] == "scs_sf"


def test_score_takes_a_definition_file_and_another_id_column(tmp_path: Path) -> None:
    definition = tmp_path / "ucla.json"
    definition.write_text(json.dumps(definition_to_dict(get_bundled("ucla3"))))
    responses = write_csv(
        tmp_path / "r.csv", [{"man": "x", "ucla3_01": 1, "ucla3_02": 2, "ucla3_03": 3}]
    )
    out = tmp_path / "s.csv"
    argv = ["score", "--definition", str(definition), "--responses", str(responses)]
    assert run(*argv, "--out", str(out), "--id-column", "man") == 0
    assert pd.read_csv(out)["total_score"].tolist() == [6]


def test_rejected_answers_are_listed_by_row_and_item_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {item.id: 3 for item in SCS_SF.items}
    rows = [
        {"id": "a1", **good},
        {"id": "a2", **good, "scs_sf_04": 6},
        {"id": "a3", **good, "scs_sf_02": 2.5, "extra": 1},
    ]
    responses = write_csv(tmp_path / "answers.csv", rows)
    out = tmp_path / "scores.csv"
    assert (
        run("score", "--definition", "scs_sf", "--responses", str(responses), "--out", str(out))
        == 2
    )
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [responses]
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{responses}: row 2 (id 'a2'), item 'scs_sf_04': outside the range 1..5 (got 6)",
        f"{responses}: row 3 (id 'a3'), item 'extra': unknown item (got 1.0)",
        f"{responses}: row 3 (id 'a3'), item 'scs_sf_02': not on a step of 1 (got 2.5)",
        f"alliance instruments: 3 rejected answer(s) in {responses}; {out} not written",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("who,scs_sf_01\n", "no id column 'id' (use --id-column)"),
        ("id,scs_sf_01,scs_sf_01\n", "column 'scs_sf_01' appears more than once"),
    ],
)
def test_score_refuses_a_bad_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, message: str
) -> None:
    responses = tmp_path / "r.csv"
    responses.write_text(header + "a,1,1\n")
    out = tmp_path / "s.csv"
    assert (
        run("score", "--definition", "scs_sf", "--responses", str(responses), "--out", str(out))
        == 2
    )
    assert capsys.readouterr().err == f"alliance instruments: {responses}: {message}\n"
    assert not out.exists()


def test_import_fhir_writes_a_valid_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "q.json"
    source.write_text(json.dumps(export_questionnaire(SCS_SF)))
    out = tmp_path / "def.json"
    assert run("import-fhir", str(source), "--out", str(out)) == 0
    assert load_definition(out.read_text()) == SCS_SF
    assert run("import-fhir", str(source), "--id", "my_scs") == 0
    assert load_definition(capsys.readouterr().out).id == "my_scs"


def test_import_fhir_names_the_element_of_a_bad_questionnaire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "q.json"
    source.write_text(json.dumps({"resourceType": "Patient"}))
    out = tmp_path / "def.json"
    assert run("import-fhir", str(source), "--out", str(out)) == 2
    assert capsys.readouterr().err == (
        f"alliance instruments: {source}: resourceType: expected 'Questionnaire', got 'Patient'\n"
    )
    assert not out.exists()


def redcap_dictionary(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for name, kind, label, choices in rows:
            writer.writerow([name, "check_in", "", kind, label, choices] + [""] * 12)
    return path


def test_import_redcap_writes_the_definition_and_reports_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = redcap_dictionary(
        tmp_path / "dd.csv",
        [
            ("ci_heard", "radio", "I felt heard.", "0, No | 1, A little | 2, Yes"),
            ("ci_sum", "calc", "Sum", "[ci_heard]"),
        ],
    )
    assert run("import-redcap", str(source)) == 0
    captured = capsys.readouterr()
    definition = load_definition(captured.out)
    assert [item.id for item in definition.items] == ["ci_heard"]
    assert f"{source}: line 3: 'ci_sum' not imported: calculated field" in captured.err
    assert f"{source}: warning: scales: the source does not say how it is scored" in captured.err


def test_import_redcap_errors_name_the_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = redcap_dictionary(tmp_path / "dd.csv", [("ci_heard", "radio", "Heard", "0 No")])
    assert run("import-redcap", str(source), "--out", str(tmp_path / "d.json")) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"alliance instruments: {source}: line 2, column 'Choices, Calculations, OR Slider Labels'"
    )
    assert not (tmp_path / "d.json").exists()


def test_export_fhir_writes_a_questionnaire_with_wording_from_a_pack(tmp_path: Path) -> None:
    pack = tmp_path / "pack.csv"
    lines = ["item_id,text,language"] + [
        f"{item.id},Made-up wording {i},en" for i, item in enumerate(get_bundled("ucla3").items)
    ]
    pack.write_text("\n".join(lines) + "\n")
    out = tmp_path / "q.json"
    assert run("export-fhir", "ucla3", "--pack", str(pack), "--out", str(out)) == 0
    questionnaire = json.loads(out.read_text())
    assert questionnaire["resourceType"] == "Questionnaire"
    assert [item["text"] for item in questionnaire["item"]] == [
        "Made-up wording 0", "Made-up wording 1", "Made-up wording 2"
    ]  # fmt: skip


def test_export_fhir_without_a_pack_has_no_wording(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("export-fhir", "scs_sf") == 0
    questionnaire = json.loads(capsys.readouterr().out)
    assert all("text" not in item for item in questionnaire["item"])


def test_a_bad_pack_is_named_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack.csv"
    pack.write_text("item_id,text,language\nucla3_09,Nope,en\n")
    assert run("export-fhir", "ucla3", "--pack", str(pack)) == 2
    assert capsys.readouterr().err.startswith(
        f"alliance instruments: {pack}: line 2, column 'item_id': unknown item 'ucla3_09'"
    )


def test_no_subcommand_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run() == 2
    assert "choose one of list" in capsys.readouterr().err


def test_the_alliance_command_reaches_it(capsys: pytest.CaptureFixture[str]) -> None:
    from alliance.cli import main

    assert main(["instruments", "show", "ucla3", "--json"]) == 0
    assert load_definition(capsys.readouterr().out) == get_bundled("ucla3")
    assert main(["instruments", "show", "nope"]) == 2
