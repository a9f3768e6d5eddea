"""REDCap data-dictionary import: any CSV gives a definition or an InterchangeError."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from alliance.core.instruments.interchange import InterchangeError, import_redcap
from alliance.core.instruments.interchange.redcap import COLUMNS
from tests.properties.strategies import FAST, cells

FIELD_TYPES = ["radio", "dropdown", "text", "slider", "yesno", "truefalse", "calc", "notes"]
FIELD_TYPES += ["checkbox", "descriptive", "file", "sql", "bogus", ""]
CHOICES = ["1, Never | 2, Sometimes | 3, Often", "0, No | 1, Yes", "1, A", "x, y | z", "", "1|2"]
VALIDATIONS = ["", "integer", "number", "date_ymd", "email", "1e3"]


@st.composite
def dictionary_rows(draw: st.DrawFn) -> list[list[str]]:
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        rows.append(
            [
                draw(st.sampled_from(["record_id", "q1", "q2", "q3", "Q 4", "1bad"]) | cells),
                draw(st.sampled_from(["form_a", "form_a", "form_b", ""])),
                draw(cells),
                draw(st.sampled_from(FIELD_TYPES)),
                draw(cells),
                draw(st.sampled_from(CHOICES) | cells),
                draw(cells),
                draw(st.sampled_from(VALIDATIONS)),
                draw(st.sampled_from(["", "0", "1", "10", "-3", "2.5", "abc"])),
                draw(st.sampled_from(["", "0", "5", "10", "100", "x"])),
                draw(st.sampled_from(["", "y", "n"])),
                draw(st.sampled_from(["", "[q1] = '1'"])),
                *[draw(cells) for _ in COLUMNS[12:]],
            ]
        )
    return rows


def as_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def import_or_refuse(text: str, **options: object) -> None:
    try:
        result = import_redcap(text, **options)  # type: ignore[arg-type]
    except InterchangeError as refused:
        message = str(refused)
    else:
        assert result.definition.items
        return
    assert message.strip(), "a refusal must say what is wrong"


@FAST
@given(dictionary_rows(), st.sampled_from([None, "form_a", "form_b", "nope"]))
def test_any_dictionary_is_imported_or_refused(rows, form):
    import_or_refuse(as_csv(list(COLUMNS), rows), form=form)


@FAST
@given(
    st.lists(st.sampled_from(COLUMNS) | st.text(max_size=5), max_size=len(COLUMNS)),
    dictionary_rows(),
)
def test_a_damaged_header_is_refused_or_imported(header, rows):
    import_or_refuse(as_csv(header, rows))


@FAST
@given(st.text(max_size=200))
def test_arbitrary_text_is_imported_or_refused(text):
    import_or_refuse(text)
