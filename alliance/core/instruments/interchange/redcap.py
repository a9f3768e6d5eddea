"""Import an instrument from a REDCap data dictionary (the standard 18-column CSV).

One REDCap form becomes one definition. Field types map as follows:

==========================  ===================================================================
REDCap                      Alliance
==========================  ===================================================================
radio, dropdown             likert from the smallest to the largest code; labels as anchors
                            (codes must be whole numbers, otherwise the field is not imported)
yesno, truefalse            yes_no (REDCap codes both 1/0, as Alliance does)
text, integer validation    number (integer) with Text Validation Min/Max
text, number validation     number with Text Validation Min/Max
text, date/time validation  not imported
text (other), notes         free_text
slider                      vas when its range is 0-10 (labels at 0, 5, 10), otherwise an
                            integer number over its range (REDCap's default 0-100)
calc                        not imported (listed): REDCap's formula is not Alliance scoring
checkbox, file, sql         not imported (listed)
descriptive                 skipped
==========================  ===================================================================

The first field of a REDCap project is its record id; when the dictionary's first field is a
text field without number validation it is taken to be the record id and listed as not
imported, as are fields marked ``Identifier? = y``. A data dictionary does not say how a form
is scored, so the definition gets a provisional ``total`` scale (mean of the numeric items) and
a warning; replace it with the instrument's real scales.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from alliance.core.instruments.interchange.serialize import (
    ImportResult,
    InterchangeError,
    NotImported,
    is_identifier,
    plain_number,
    provisional_total,
    to_identifier,
)
from alliance.core.instruments.loading import DefinitionError, load_definition

COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
NAME, FORM, _, TYPE, LABEL, CHOICES, _, VALIDATION, VMIN, VMAX, IDENTIFIER, BRANCHING = COLUMNS[:12]

_INTEGER_VALIDATIONS = {"integer", "int"}
_NOT_IMPORTED_TYPES = {
    "calc": "calculated field: REDCap computes it; Alliance scores with the definition's scales",
    "checkbox": "checkboxes allow several answers and cannot be scored as one item",
    "file": "file uploads are not instrument answers",
    "sql": "SQL fields are not instrument answers",
}


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def at(self, column: str) -> str:
        return f"line {self.line}, column {column!r}"


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def import_redcap(
    text: str,
    *,
    form: str | None = None,
    instrument_id: str | None = None,
    version: str = "1",
) -> ImportResult:
    """Build an instrument definition from one form of a REDCap data dictionary.

    Parameters
    ----------
    text
        The data dictionary CSV as exported by REDCap.
    form
        The form ("Form Name") to import; may be left out when the dictionary has one form.
    instrument_id
        Id for the definition; by default the form name.
    version
        Version of the new definition.

    Returns
    -------
    ImportResult
        The definition; warnings (the provisional scale, ignored branching logic, gaps in
        choice codes); and the fields not imported, each with its line and reason.

    Raises
    ------
    InterchangeError
        Naming the line and column: a missing column, a field name that is not a valid id or
        repeats, an unknown field type, malformed choices, a number bound that is not a
        number, an unknown form, or a form with no item that can be scored.
    """
    rows = _read(text)
    forms = list(dict.fromkeys(row.get(FORM) for row in rows))
    if form is None:
        if len(forms) != 1:
            raise InterchangeError(
                f"column {FORM!r}", f"the dictionary has forms {', '.join(forms)}; choose one"
            )
        form = forms[0]
    elif form not in forms:
        raise InterchangeError(f"column {FORM!r}", f"no form {form!r}; found {', '.join(forms)}")

    items: list[dict[str, Any]] = []
    skipped: list[NotImported] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    branching = 0
    for index, row in enumerate(rows):
        if row.get(FORM) != form:
            continue
        name = row.get(NAME)
        if not is_identifier(name):
            raise InterchangeError(
                row.at(NAME), f"{name!r} is not a valid item id (a-z, 0-9, _; at most 64)"
            )
        if name in seen:
            raise InterchangeError(row.at(NAME), f"{name!r} repeats line {seen[name]}")
        seen[name] = row.line
        field_type = row.get(TYPE).lower()
        if field_type == "descriptive":
            continue
        where = f"line {row.line}"
        if index == 0 and field_type == "text" and not _numeric_validation(row):
            skipped.append(NotImported(name, where, "record id (the project's first field)"))
            continue
        if row.get(IDENTIFIER).lower() == "y":
            skipped.append(NotImported(name, where, "marked as an identifier (personal data)"))
            continue
        try:
            response = _response(row, field_type, warnings)
        except _Skip as skip:
            skipped.append(NotImported(name, where, skip.reason))
            continue
        branching += bool(row.get(BRANCHING))
        item: dict[str, Any] = {"id": name}
        if row.get(LABEL):
            item["text"] = row.get(LABEL)
        item["response"] = response
        items.append(item)
    if not items:
        raise InterchangeError(f"form {form!r}", "no field could be imported")
    if branching:
        warnings.append(
            f"branching logic on {branching} field(s) ignored: Alliance asks every item"
        )
    total, warning = provisional_total(items)
    warnings.append(warning)
    warnings.append(
        "licence, respondent and target are not in a data dictionary: assumed "
        "permission_required, participant and 'self'; validated_externally false"
    )
    obj = {
        "id": instrument_id or to_identifier(form, prefix="form"),
        "version": version,
        "title": form.replace("_", " ").strip().capitalize() or form,
        "citation": f"Imported from a REDCap data dictionary, form {form!r}.",
        "licence": {
            "status": "permission_required",
            "note": "Licence not stated in the data dictionary; check before use.",
        },
        "items_bundled": all("text" in item for item in items),
        "respondent": "participant",
        "target": "self",
        "validated_externally": False,
        "notes": f"Imported from a REDCap data dictionary (form {form!r}).",
        "items": items,
        "scales": [total],
    }
    try:
        definition = load_definition(obj)
    except DefinitionError as exc:
        raise InterchangeError(
            f"form {form!r}", f"does not make a valid definition: {exc}"
        ) from None
    pairs = tuple((item["id"], item["id"]) for item in items)
    return ImportResult(definition, tuple(warnings), tuple(skipped), pairs)


def _read(text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
        known = {name.lower(): name for name in COLUMNS}
        columns = [known.get(name.lower(), name) for name in header]
        missing = [name for name in COLUMNS if name not in columns]
        if missing:
            shown = ", ".join(repr(m) for m in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            raise InterchangeError(
                "line 1", f"not a REDCap data dictionary: missing column(s) {shown}{more}"
            )
        rows: list[_Row] = []
        next_start = reader.line_num + 1
        for cells in reader:
            start, next_start = next_start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                raise InterchangeError(
                    f"line {start}", f"{len(cells)} fields but the header has {len(columns)}"
                )
            rows.append(_Row(start, dict(zip(columns, cells, strict=False))))
    except StopIteration:
        raise InterchangeError("line 1", "empty file") from None
    except csv.Error as exc:
        raise InterchangeError(f"line {reader.line_num}", f"not a CSV: {exc}") from None
    if not rows:
        raise InterchangeError("line 2", "no fields")
    return rows


def _response(row: _Row, field_type: str, warnings: list[str]) -> dict[str, Any]:
    if field_type in _NOT_IMPORTED_TYPES:
        raise _Skip(_NOT_IMPORTED_TYPES[field_type])
    if field_type in ("radio", "dropdown"):
        return _choices(row, warnings)
    if field_type in ("yesno", "truefalse"):
        return {"type": "yes_no"}
    if field_type == "notes":
        return {"type": "free_text"}
    if field_type == "text":
        return _text(row)
    if field_type == "slider":
        return _slider(row)
    raise InterchangeError(row.at(TYPE), f"unknown REDCap field type {field_type!r}")


def _choices(row: _Row, warnings: list[str]) -> dict[str, Any]:
    raw = row.get(CHOICES)
    if not raw:
        raise InterchangeError(row.at(CHOICES), "a radio or dropdown field needs choices")
    codes: dict[str, str] = {}
    for part in raw.split("|"):
        code, comma, label = part.strip().partition(",")
        code = code.strip()
        if not comma or not code:
            raise InterchangeError(
                row.at(CHOICES), f"choice {part.strip()!r} is not 'code, label' (e.g. '1, Never')"
            )
        if code in codes:
            raise InterchangeError(row.at(CHOICES), f"code {code!r} appears twice")
        codes[code] = label.strip()
    try:
        values = {int(code): label for code, label in codes.items()}
    except ValueError:
        raise _Skip(f"choice codes {', '.join(codes)} are not all whole numbers") from None
    low, high = min(values), max(values)
    if low == high:
        raise _Skip("a single choice cannot be scored")
    gaps = sorted(set(range(low, high + 1)) - set(values))
    if gaps:
        warnings.append(
            f"line {row.line}: {row.get(NAME)!r} has no code {', '.join(map(str, gaps))}; "
            f"the item accepts every whole number {low}..{high}"
        )
    response: dict[str, Any] = {"type": "likert", "min": low, "max": high}
    anchors = {str(value): label for value, label in sorted(values.items()) if label}
    if anchors:
        response["anchors"] = anchors
    return response


def _numeric_validation(row: _Row) -> bool:
    validation = row.get(VALIDATION).lower()
    return validation in _INTEGER_VALIDATIONS or validation.startswith("number")


def _text(row: _Row) -> dict[str, Any]:
    validation = row.get(VALIDATION).lower()
    if validation.startswith(("date", "time")):
        raise _Skip(f"{validation} values are not instrument answers")
    integer = validation in _INTEGER_VALIDATIONS
    if not (integer or validation.startswith("number")):
        return {"type": "free_text"}
    low, high = _bound(row, VMIN), _bound(row, VMAX)
    if low is None or high is None:
        raise _Skip("a number needs Text Validation Min and Max")
    if low >= high:
        raise InterchangeError(row.at(VMAX), f"max {high:g} is not above min {low:g}")
    if integer and not (low.is_integer() and high.is_integer()):
        raise InterchangeError(row.at(VMIN), "an integer field needs whole-number bounds")
    response: dict[str, Any] = {
        "type": "number",
        "min": plain_number(low),
        "max": plain_number(high),
    }
    if integer:
        response["integer"] = True
    return response


def _slider(row: _Row) -> dict[str, Any]:
    low = _bound(row, VMIN)
    high = _bound(row, VMAX)
    low = 0.0 if low is None else low
    high = 100.0 if high is None else high
    if low >= high:
        raise InterchangeError(row.at(VMAX), f"max {high:g} is not above min {low:g}")
    if (low, high) == (0.0, 10.0):
        labels = (
            [label.strip() for label in row.get(CHOICES).split("|")] if row.get(CHOICES) else []
        )
        positions = {1: ["0"], 2: ["0", "10"], 3: ["0", "5", "10"]}.get(len(labels), [])
        anchors = {pos: label for pos, label in zip(positions, labels, strict=False) if label}
        return {"type": "vas", "anchors": anchors} if anchors else {"type": "vas"}
    if not (low.is_integer() and high.is_integer()):
        raise InterchangeError(row.at(VMIN), "slider bounds must be whole numbers")
    return {"type": "number", "min": int(low), "max": int(high), "integer": True}


def _bound(row: _Row, column: str) -> float | None:
    text = row.get(column)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InterchangeError(row.at(column), f"{text!r} is not a number") from None
