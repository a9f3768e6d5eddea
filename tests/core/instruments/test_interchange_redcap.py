"""REDCap data dictionary import.

The dictionary is written for these tests (a made-up "weekly_reflection" form); its wording
belongs to no published instrument.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from alliance.core.instruments import ResponseKind, score
from alliance.core.instruments.interchange import InterchangeError, import_redcap
from alliance.core.instruments.interchange.redcap import COLUMNS

FREQUENCY = "1, Never | 2, Rarely | 3, Sometimes | 4, Often | 5, Always"


def field(name: str, form: str, kind: str, label: str = "", choices: str = "", *,
          validation: str = "", low: str = "", high: str = "", identifier: str = "",
          branching: str = "") -> list[str]:  # fmt: skip
    row = [""] * len(COLUMNS)
    row[0], row[1], row[3], row[4], row[5] = name, form, kind, label, choices
    row[7], row[8], row[9], row[10], row[11] = validation, low, high, identifier, branching
    return row


def dictionary(*rows: list[str], header: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


FORM = "weekly_reflection"
ROWS = [
    field("record_id", FORM, "text", "Record ID"),
    field("wr_intro", FORM, "descriptive", "Think about the past seven days."),
    field("wr_listened", FORM, "radio", "I listened before I answered.", FREQUENCY),
    field("wr_paused", FORM, "dropdown", "I paused when I felt angry.", FREQUENCY),
    field("wr_kept_word", FORM, "yesno", "I kept my word this week."),
    field("wr_on_time", FORM, "truefalse", "I arrived on time."),
    field(
        "wr_calm",
        FORM,
        "slider",
        "How calm were you?",
        "Not calm | | Very calm",
        validation="number",
        low="0",
        high="10",
    ),
    field("wr_effort", FORM, "slider", "Effort this week"),
    field("wr_days", FORM, "text", "Days I practised", validation="integer", low="0", high="7"),
    field("wr_hours", FORM, "text", "Hours of sleep", validation="number", low="0", high="24"),
    field("wr_note", FORM, "notes", "What went well?"),
    field("wr_word", FORM, "text", "One word for the week"),
    field("wr_total", FORM, "calc", "Total", "[wr_listened] + [wr_paused]"),
    field("wr_date", FORM, "text", "Date", validation="date_ymd"),
    field("wr_phone", FORM, "text", "Phone", identifier="y"),
    field("wr_topics", FORM, "checkbox", "Topics", "1, Anger | 2, Family"),
    field("wr_why", FORM, "notes", "Why not?", branching="[wr_kept_word] = '0'"),
]


def test_a_form_is_imported_with_every_supported_field_type() -> None:
    result = import_redcap(dictionary(*ROWS))
    d = result.definition
    assert d.id == "weekly_reflection"
    assert d.title == "Weekly reflection"
    assert [item.id for item in d.items] == [
        "wr_listened", "wr_paused", "wr_kept_word", "wr_on_time", "wr_calm", "wr_effort",
        "wr_days", "wr_hours", "wr_note", "wr_word", "wr_why",
    ]  # fmt: skip
    listened = d.item("wr_listened")
    assert listened.text == "I listened before I answered."
    assert (listened.response.kind, listened.response.min, listened.response.max) == (
        ResponseKind.LIKERT, 1, 5
    )  # fmt: skip
    assert listened.response.anchors[0] == (1, "Never")
    assert d.item("wr_paused").response == listened.response
    assert d.item("wr_kept_word").response.kind is ResponseKind.YES_NO
    assert d.item("wr_on_time").response.kind is ResponseKind.YES_NO
    calm = d.item("wr_calm").response
    assert calm.kind is ResponseKind.VAS
    assert calm.anchors == ((0, "Not calm"), (10, "Very calm"))
    effort = d.item("wr_effort").response
    assert (effort.kind, effort.min, effort.max, effort.step) == (ResponseKind.NUMBER, 0, 100, 1)
    days = d.item("wr_days").response
    assert (days.kind, days.min, days.max, days.step) == (ResponseKind.NUMBER, 0, 7, 1)
    hours = d.item("wr_hours").response
    assert (hours.kind, hours.min, hours.max, hours.step) == (ResponseKind.NUMBER, 0, 24, None)
    assert d.item("wr_note").response.kind is ResponseKind.FREE_TEXT
    assert d.item("wr_word").response.kind is ResponseKind.FREE_TEXT


def test_fields_left_out_are_listed_with_line_and_reason() -> None:
    result = import_redcap(dictionary(*ROWS))
    listed = {(n.field, n.where): n.reason for n in result.not_imported}
    assert listed == {
        ("record_id", "line 2"): "record id (the project's first field)",
        ("wr_total", "line 14"): (
            "calculated field: REDCap computes it; Alliance scores with the definition's scales"
        ),
        ("wr_date", "line 15"): "date_ymd values are not instrument answers",
        ("wr_phone", "line 16"): "personal data (marked as an identifier), never an item",
        ("wr_topics", "line 17"): (
            "checkboxes allow several answers and cannot be scored as one item"
        ),
    }


def test_the_provisional_total_is_a_mean_of_the_numeric_items_and_is_flagged() -> None:
    result = import_redcap(dictionary(*ROWS))
    [total] = result.definition.scales
    assert total.rule.value == "mean"
    assert total.items == (
        "wr_listened", "wr_paused", "wr_kept_word", "wr_on_time", "wr_calm", "wr_effort",
        "wr_days", "wr_hours",
    )  # fmt: skip
    assert any("provisional 'total'" in w for w in result.warnings)
    assert any("branching logic on 1 field(s) ignored" in w for w in result.warnings)


def test_an_imported_form_scores() -> None:
    rows = [
        field("wr_a", FORM, "radio", "A", FREQUENCY),
        field("wr_b", FORM, "radio", "B", FREQUENCY),
    ]
    d = import_redcap(dictionary(*rows)).definition
    frame = score(d, pd.DataFrame([{"wr_a": 2, "wr_b": 4}, {"wr_a": 6, "wr_b": 1}]))
    assert frame.frame["total_score"].iloc[0] == 3
    assert [(e.row, e.item) for e in frame.errors] == [(1, "wr_a")]


def test_one_form_is_chosen_from_several() -> None:
    text = dictionary(*ROWS, field("ex_q", "exit_survey", "yesno", "Done?"))
    with pytest.raises(InterchangeError, match="forms weekly_reflection, exit_survey; choose one"):
        import_redcap(text)
    d = import_redcap(text, form="exit_survey", instrument_id="exit", version="2").definition
    assert (d.id, d.version, [i.id for i in d.items]) == ("exit", "2", ["ex_q"])
    with pytest.raises(InterchangeError, match="no form 'intake'"):
        import_redcap(text, form="intake")


def test_gaps_in_codes_are_accepted_with_a_warning() -> None:
    rows = [field("wr_a", FORM, "radio", "A", "0, None | 2, Some | 4, All")]
    result = import_redcap(dictionary(*rows))
    assert (
        result.definition.item("wr_a").response.min,
        result.definition.item("wr_a").response.max,
    ) == (0, 4)
    assert any("line 2: 'wr_a' has no code 1, 3" in w for w in result.warnings)


def test_text_codes_are_not_imported() -> None:
    rows = [
        field("wr_a", FORM, "radio", "A", "y, Yes | n, No"),
        field("wr_b", FORM, "yesno", "B"),
    ]
    [skipped] = import_redcap(dictionary(*rows)).not_imported
    assert (skipped.field, skipped.reason) == (
        "wr_a",
        "choice codes y, n are not all whole numbers",
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            field("Wr-A", FORM, "yesno"),
            "line 2, column 'Variable / Field Name': 'Wr-A' is not a valid",
        ),
        (
            field("wr_a", FORM, "matrix"),
            "line 2, column 'Field Type': unknown REDCap field type 'matrix'",
        ),
        (
            field("wr_a", FORM, "radio", "A", "1, Never | Sometimes"),
            "line 2, column 'Choices, Calculations, OR Slider Labels': choice 'Sometimes' is not",
        ),
        (
            field("wr_a", FORM, "radio", "A", "1, Never | 1, Again"),
            "line 2, column 'Choices, Calculations, OR Slider Labels': code '1' appears twice",
        ),
        (field("wr_a", FORM, "radio", "A"), "line 2, column 'Choices.*needs choices"),
        (
            field("wr_a", FORM, "text", validation="integer", low="zero", high="7"),
            "line 2, column 'Text Validation Min': 'zero' is not a number",
        ),
        (
            field("wr_a", FORM, "text", validation="number", low="5", high="1"),
            "line 2, column 'Text Validation Max': max 1 is not above min 5",
        ),
        (
            field("wr_a", FORM, "calc", "T", "1"),
            "form 'weekly_reflection': no field could be imported",
        ),
        (field("wr_a", FORM, "notes", "Why?"), "items: no numeric item to score"),
    ],
)
def test_errors_name_the_line_and_column(row: list[str], message: str) -> None:
    with pytest.raises(InterchangeError, match=message):
        import_redcap(dictionary(row))


def test_a_repeated_field_names_both_lines() -> None:
    rows = [field("wr_a", FORM, "yesno"), field("wr_a", FORM, "yesno")]
    with pytest.raises(
        InterchangeError, match="line 3, column 'Variable / Field Name': 'wr_a' repeats line 2"
    ):
        import_redcap(dictionary(*rows))


def test_line_numbers_count_labels_that_span_lines() -> None:
    rows = [
        field("wr_a", FORM, "yesno", "First line\nsecond line"),
        field("wr_b", FORM, "radio", "B"),
    ]
    with pytest.raises(InterchangeError, match="line 4, column"):
        import_redcap(dictionary(*rows))


def test_a_file_that_is_not_a_data_dictionary_is_refused() -> None:
    with pytest.raises(
        InterchangeError, match="line 1: not a REDCap data dictionary: missing column"
    ):
        import_redcap(dictionary(header=("Variable / Field Name", "Form Name")))
    with pytest.raises(InterchangeError, match="line 1: empty file"):
        import_redcap("")
    with pytest.raises(InterchangeError, match="line 2: no fields"):
        import_redcap(dictionary())


def test_headers_match_regardless_of_case_and_a_bom() -> None:
    header = tuple(name.upper() for name in COLUMNS)
    text = "\ufeff" + dictionary(field("wr_a", FORM, "yesno", "A"), header=header)
    assert import_redcap(text).definition.items[0].id == "wr_a"
