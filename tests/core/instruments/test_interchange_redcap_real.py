"""REDCap files as people really have them: the API's metadata layout, instrument-library
forms, missing-value codes, personal-data fields, rich-text labels, and export back.

Every dictionary here is written for these tests; the wording belongs to no published
instrument. The column names of the API layout are those REDCap's "Export Metadata (Data
Dictionary)" API method returns (REDCap API documentation, ``content=metadata``).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given, settings

from alliance.core.instruments import bundled_ids, get_bundled, load_definition
from alliance.core.instruments.interchange import InterchangeError, import_redcap
from alliance.core.instruments.interchange.redcap import API_COLUMNS, COLUMNS, export_redcap
from tests.core.instruments.test_interchange_fhir import definitions

FORM = "weekly_check"


def row(name: str, kind: str, label: str = "", choices: str = "", **more: str) -> dict[str, str]:
    cells = {"name": name, "form": FORM, "kind": kind, "label": label, "choices": choices}
    cells.update(more)
    return cells


def dictionary(rows: list[dict[str, str]], *, layout: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(layout)
    for cells in rows:
        line = [""] * len(layout)
        line[0], line[1], line[3] = cells["name"], cells.get("form", FORM), cells["kind"]
        line[4], line[5] = cells.get("label", ""), cells.get("choices", "")
        line[7], line[10] = cells.get("validation", ""), cells.get("identifier", "")
        line[17] = cells.get("annotation", "")
        writer.writerow(line)
    return out.getvalue()


OFTEN = "0, Never | 1, Sometimes | 2, Often | 3, Always"
LIBRARY_FORM = [
    row("wc_first", "radio", "I stopped before I raised my voice.", OFTEN),
    row("wc_second", "radio", "I asked how she was.", OFTEN),
]


def test_the_api_metadata_layout_imports_like_the_designer_layout() -> None:
    designer = import_redcap(dictionary(LIBRARY_FORM))
    api = import_redcap(dictionary(LIBRARY_FORM, layout=API_COLUMNS))
    assert api.definition == designer.definition


def test_an_instrument_library_form_keeps_its_first_question() -> None:
    # A library form has no record id: its first field is a question and must stay.
    first_text = [row("wc_word", "text", "One word for this week"), *LIBRARY_FORM]
    result = import_redcap(dictionary(first_text))
    assert [item.id for item in result.definition.items] == ["wc_word", "wc_first", "wc_second"]


def test_a_whole_project_dictionary_drops_its_record_id() -> None:
    rows = [row("participant_code", "text", "Code", form="enrolment"), *LIBRARY_FORM]
    rows.append(row("en_ready", "yesno", "Ready to begin?", form="enrolment"))
    result = import_redcap(dictionary(rows), form=FORM)
    assert [item.id for item in result.definition.items] == ["wc_first", "wc_second"]
    enrolment = import_redcap(dictionary(rows), form="enrolment")
    assert [n.field for n in enrolment.not_imported] == ["participant_code"]


@pytest.mark.parametrize(
    "choices",
    [
        "0, Never | 1, Sometimes | 2, Often | 3, Always | 9, Unknown",
        "0, Never | 1, Sometimes | 2, Often | 3, Always | 8, Not applicable | 9, Don't know",
        "0, Never | 1, Sometimes | 2, Often | 3, Always | 7, Refused | 99, N/A",
        "-1, Prefer not to say | 0, Never | 1, Sometimes | 2, Often | 3, Always",
    ],
)
def test_codes_meaning_no_answer_are_missing_values_not_scale_points(choices: str) -> None:
    result = import_redcap(dictionary([row("wc_q", "radio", "Question", choices)]))
    response = result.definition.item("wc_q").response
    assert (response.min, response.max) == (0, 3)
    assert "Missing-value codes (not scale points): wc_q" in result.definition.notes
    assert any("missing values, not scale points" in w for w in result.warnings)


def test_a_program_can_name_its_own_missing_labels() -> None:
    choices = "1, Never | 2, Often | 3, Always | 5, Skipped"
    plain = import_redcap(dictionary([row("wc_q", "radio", "Question", choices)]))
    assert plain.definition.item("wc_q").response.max == 5
    own = import_redcap(
        dictionary([row("wc_q", "radio", "Question", choices)]), missing_labels=["skipped"]
    )
    assert own.definition.item("wc_q").response.max == 3


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"name": "wc_contact", "kind": "text", "validation": "phone"}, "validated as phone"),
        ({"name": "wc_mail", "kind": "text", "validation": "email"}, "validated as email"),
        ({"name": "wc_zip", "kind": "text", "validation": "zipcode"}, "validated as zipcode"),
        ({"name": "wc_dob", "kind": "text", "label": "When were you born?"}, "'dob'"),
        ({"name": "wc_who", "kind": "text", "label": "Your first name"}, "'first name'"),
        ({"name": "last_name", "kind": "text", "label": "Surname"}, "'last name'"),
        ({"name": "wc_where", "kind": "notes", "label": "Home address"}, "'address'"),
        ({"name": "wc_x", "kind": "text", "label": "Code", "identifier": "y"}, "identifier"),
    ],
)
def test_personal_data_fields_are_never_items(cells: dict[str, str], reason: str) -> None:
    rows = [*LIBRARY_FORM, row(cells.pop("name"), cells.pop("kind"), **cells)]
    result = import_redcap(dictionary(rows))
    assert [item.id for item in result.definition.items] == ["wc_first", "wc_second"]
    (left,) = result.not_imported
    assert left.reason.startswith("personal data (")
    assert reason in left.reason


def test_rich_text_labels_lose_their_html() -> None:
    label = (
        '<div class="rich-text-field-label"><p>I <strong>listened</strong> &amp; waited</p></div>'
    )
    choices = "0, <span style='color:red'>Never</span> | 1, Always"
    result = import_redcap(dictionary([row("wc_q", "radio", label, choices)]))
    item = result.definition.item("wc_q")
    assert item.text == "I listened & waited"
    assert item.response.anchors[0] == (0, "Never")


@pytest.mark.parametrize("instrument_id", bundled_ids())
def test_every_bundled_definition_exports_and_imports_back_equal(instrument_id: str) -> None:
    definition = get_bundled(instrument_id)
    text = export_redcap(definition)
    assert import_redcap(text).definition == definition


@settings(max_examples=60, deadline=None)
@given(definitions())
def test_generated_definitions_round_trip_through_a_data_dictionary(obj: dict[str, Any]) -> None:
    definition = load_definition(obj)
    assert import_redcap(export_redcap(definition)).definition == definition


def test_a_broken_scoring_annotation_is_refused_naming_the_line() -> None:
    text = export_redcap(get_bundled(bundled_ids()[0])).replace(
        "@ALLIANCE-SCORING={", "@ALLIANCE-SCORING={x", 1
    )
    with pytest.raises(InterchangeError, match=r"line 2, column 'Field Annotation'.*not JSON"):
        import_redcap(text)


def test_the_command_exports_a_dictionary_that_imports_back(tmp_path: Any) -> None:
    import argparse

    from alliance import instruments_cli

    parser = argparse.ArgumentParser(prog="alliance instruments")
    instruments_cli.add_subparsers(parser.add_subparsers(dest="instruments_command"))
    out = tmp_path / "dictionary.csv"
    name = bundled_ids()[0]
    assert instruments_cli.run(parser.parse_args(["export-redcap", name, "--out", str(out)])) == 0
    assert import_redcap(out.read_text()).definition == get_bundled(name)
    choices = "1, Never | 2, Often | 3, Always | 5, Skipped"
    source = tmp_path / "in.csv"
    source.write_text(dictionary([row("wc_q", "radio", "Question", choices)]))
    back = tmp_path / "def.json"
    args = ["import-redcap", str(source), "--missing-label", "Skipped", "--out", str(back)]
    assert instruments_cli.run(parser.parse_args(args)) == 0
    assert '"max": 3' in back.read_text()
