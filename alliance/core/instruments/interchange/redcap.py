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

Both layouts REDCap writes are read: the 18-column data dictionary of the Designer and the
API's metadata export (``field_name,form_name,...``).

The first field of a whole REDCap project is its record id; when a dictionary holds several
forms (or its first field is named like a record id) and that field is a text field without
number validation it is listed as not imported. A form from the instrument library holds no
record id, so its first question is kept. Personal data is never an item: fields marked
``Identifier? = y``, fields validated as phone, e-mail, date, postal code or the like, and
fields named or labelled as a name, address, birth date, phone or e-mail are listed as not
imported. Choices labelled unknown, not applicable, refused, don't know or prefer not to say
(and any the caller adds) are missing-value codes: they are not scale points, so they are left
out of the item's range and listed in the notes. Labels lose their HTML.

A data dictionary does not say how a form is scored, so the definition gets a provisional
``total`` scale (mean of the numeric items) and a warning; replace it with the instrument's
real scales. :func:`export_redcap` writes a definition as a dictionary whose first field's
annotation carries the scoring (``@ALLIANCE-SCORING``), so it re-imports to the same
definition.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from alliance.core.instruments.definition import InstrumentDefinition, ResponseKind
from alliance.core.instruments.interchange.serialize import (
    ImportResult,
    InterchangeError,
    NotImported,
    definition_to_dict,
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
ANNOTATION = COLUMNS[17]
#: The same columns as the REDCap API's metadata export names them, in the same order.
API_COLUMNS = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
)

#: Choice labels that mean "no answer", whatever their code (compared lower-cased, without
#: punctuation): they become missing values, never points on the scale.
MISSING_LABELS = frozenset(
    {
        "unknown",
        "dont know",
        "do not know",
        "not applicable",
        "na",
        "n a",
        "refused",
        "declined",
        "prefer not to say",
        "prefer not to answer",
        "no answer",
        "missing",
    }
)

#: Validation types that hold personal data (REDCap's names).
_PERSONAL_VALIDATIONS = ("phone", "email", "zipcode", "postalcode", "ssn", "mrn", "vmrn")
#: Words in a field's name or label that mark personal data.
_PERSONAL_WORDS = re.compile(
    r"\b(first|last|middle|full|given|family|sur)?[ _]?name\b|\baddress|\bstreet\b|\bcity\b|"
    r"\bzip\b|\bpostal\b|\bdob\b|\bbirth|\bphone\b|\bmobile\b|\be-?mail\b|\bssn\b|"
    r"\bsocial security\b|\bmrn\b|\bmedical record\b",
    re.IGNORECASE,
)
_RECORD_ID_NAMES = re.compile(r"^(record|study|subject|participant|patient)?_?id$")
SCORING_TAG = "@ALLIANCE-SCORING="
REVERSE_TAG = "@ALLIANCE-REVERSE"
FILLER_TAG = "@ALLIANCE-FILLER"

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
    missing_labels: Iterable[str] = (),
) -> ImportResult:
    """Build an instrument definition from one form of a REDCap data dictionary.

    Parameters
    ----------
    text
        The data dictionary CSV as exported by REDCap (Designer or API metadata layout).
    form
        The form ("Form Name") to import; may be left out when the dictionary has one form.
    instrument_id
        Id for the definition; by default the form name.
    version
        Version of the new definition.
    missing_labels
        Choice labels that mean "no answer" besides :data:`MISSING_LABELS` (a program's own
        list, e.g. "skipped").

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
    missing_words = MISSING_LABELS | {_plain(label) for label in missing_labels}
    missing_codes: list[str] = []
    whole_project = len(forms) > 1
    scoring: dict[str, Any] | None = None
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
        annotation = row.get(ANNOTATION)
        if SCORING_TAG in annotation and scoring is None:
            scoring = _scoring_tag(row, annotation)
        if (
            index == 0
            and field_type == "text"
            and not _numeric_validation(row)
            and (whole_project or _RECORD_ID_NAMES.match(name) or scoring is not None)
        ):
            skipped.append(NotImported(name, where, "record id (the project's first field)"))
            continue
        personal = _personal_data(row, field_type)
        if personal:
            skipped.append(NotImported(name, where, f"personal data ({personal}), never an item"))
            continue
        try:
            response = _response(row, field_type, warnings, missing_words, missing_codes)
        except _Skip as skip:
            skipped.append(NotImported(name, where, skip.reason))
            continue
        branching += bool(row.get(BRANCHING))
        item: dict[str, Any] = {"id": name}
        label = _plain_label(row.get(LABEL))
        if label:
            item["text"] = label
        item["response"] = response
        if REVERSE_TAG in annotation:
            item["reverse"] = True
        if FILLER_TAG in annotation:
            item["filler"] = True
        items.append(item)
    if not items:
        raise InterchangeError(f"form {form!r}", "no field could be imported")
    if branching:
        warnings.append(
            f"branching logic on {branching} field(s) ignored: Alliance asks every item"
        )
    notes = f"Imported from a REDCap data dictionary (form {form!r})."
    if missing_codes:
        notes += " Missing-value codes (not scale points): " + "; ".join(missing_codes) + "."
        warnings.append(
            "choices that mean no answer are missing values, not scale points: "
            + "; ".join(missing_codes)
        )
    if scoring is not None:
        obj = {**scoring, "items": items}
        if instrument_id:
            obj["id"] = instrument_id
        return _finish(obj, form, warnings, skipped, items)
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
        "notes": notes,
        "items": items,
        "scales": [total],
    }
    return _finish(obj, form, warnings, skipped, items)


def _finish(
    obj: dict[str, Any],
    form: str,
    warnings: list[str],
    skipped: list[NotImported],
    items: list[dict[str, Any]],
) -> ImportResult:
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
        known.update(zip(API_COLUMNS, COLUMNS, strict=True))
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


def _response(
    row: _Row,
    field_type: str,
    warnings: list[str],
    missing_words: frozenset[str],
    missing_codes: list[str],
) -> dict[str, Any]:
    if field_type in _NOT_IMPORTED_TYPES:
        raise _Skip(_NOT_IMPORTED_TYPES[field_type])
    if field_type in ("radio", "dropdown"):
        return _choices(row, warnings, missing_words, missing_codes)
    if field_type in ("yesno", "truefalse"):
        return {"type": "yes_no"}
    if field_type == "notes":
        return {"type": "free_text"}
    if field_type == "text":
        return _text(row)
    if field_type == "slider":
        return _slider(row)
    raise InterchangeError(row.at(TYPE), f"unknown REDCap field type {field_type!r}")


def _choices(
    row: _Row, warnings: list[str], missing_words: frozenset[str], missing_codes: list[str]
) -> dict[str, Any]:
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
        codes[code] = _plain_label(label)
    missing = {code: label for code, label in codes.items() if _plain(label) in missing_words}
    if missing:
        missing_codes.append(
            f"{row.get(NAME)} " + ", ".join(f"{code} ({label})" for code, label in missing.items())
        )
        codes = {code: label for code, label in codes.items() if code not in missing}
        if not codes:
            raise _Skip("every choice means no answer")
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


def _plain(label: str) -> str:
    """A label compared as words: lower case, punctuation and spacing collapsed."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", label.lower().replace("'", "")).split())


def _plain_label(label: str) -> str:
    """A REDCap label without its HTML (rich-text labels are stored as HTML)."""
    text = re.sub(r"<\s*br\s*/?>|</p>|</div>", " ", label, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]*>", "", text)
    return " ".join(html.unescape(text).split())


def _personal_data(row: _Row, field_type: str) -> str:
    """Why a field holds personal data, or ``""`` (then it may be an item)."""
    if row.get(IDENTIFIER).lower() == "y":
        return "marked as an identifier"
    validation = row.get(VALIDATION).lower()
    if field_type == "text" and validation.startswith(_PERSONAL_VALIDATIONS):
        return f"validated as {validation}"
    if field_type in ("text", "notes"):
        for text in (row.get(NAME).replace("_", " "), _plain_label(row.get(LABEL))):
            found = _PERSONAL_WORDS.search(text)
            if found:
                return f"looks like {found.group(0).strip().lower()!r}"
    return ""


def _scoring_tag(row: _Row, annotation: str) -> dict[str, Any]:
    raw = annotation.split(SCORING_TAG, 1)[1].strip()
    try:
        obj, _ = json.JSONDecoder().raw_decode(raw)
    except json.JSONDecodeError as exc:
        raise InterchangeError(row.at(ANNOTATION), f"{SCORING_TAG} is not JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise InterchangeError(row.at(ANNOTATION), f"{SCORING_TAG} is not a JSON object")
    return obj


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


def export_redcap(definition: InstrumentDefinition, *, form: str | None = None) -> str:
    """The definition as a REDCap data dictionary (Designer layout) that imports back equal.

    Likert items become radio fields with every code labelled (an anchor, else the code),
    yes/no ``yesno``, visual-analogue ``slider`` 0-10, numbers ``text`` with integer or number
    validation and bounds, free text ``notes``. REDCap has no place for scales, norms or bands,
    so the definition without its items rides in the first field's Field Annotation
    (``@ALLIANCE-SCORING={...}``; REDCap keeps unknown action tags as text), reverse keys and
    fillers as ``@ALLIANCE-REVERSE`` / ``@ALLIANCE-FILLER``. A record id field comes first,
    as REDCap requires of a project.
    """
    name = form or definition.id
    scoring = definition_to_dict(definition)
    del scoring["items"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    record = [""] * len(COLUMNS)
    record[0], record[1], record[3], record[4] = "record_id", name, "text", "Record ID"
    record[17] = SCORING_TAG + json.dumps(scoring, ensure_ascii=False, separators=(",", ":"))
    writer.writerow(record)
    for item in definition.items:
        row = [""] * len(COLUMNS)
        row[0], row[1], row[4] = item.id, name, item.text or ""
        response = item.response
        kind = response.kind
        if kind is ResponseKind.LIKERT:
            assert response.min is not None
            assert response.max is not None
            anchors = dict(response.anchors)
            row[3] = "radio"
            row[5] = " | ".join(
                f"{value}, {anchors.get(value, '')}".rstrip()
                for value in range(int(response.min), int(response.max) + 1)
            )
        elif kind is ResponseKind.YES_NO:
            row[3] = "yesno"
        elif kind is ResponseKind.VAS:
            row[3], row[8], row[9] = "slider", "0", "10"
            labels = dict(response.anchors)
            if labels:
                row[5] = " | ".join(labels.get(p, "") for p in (0, 5, 10))
            row[7] = "number"
        elif kind is ResponseKind.NUMBER:
            assert response.min is not None
            assert response.max is not None
            row[3] = "text"
            row[7] = "integer" if response.step is not None else "number"
            row[8], row[9] = str(plain_number(response.min)), str(plain_number(response.max))
        else:
            row[3] = "notes"
        tags = [tag for tag, on in ((REVERSE_TAG, item.reverse), (FILLER_TAG, item.filler)) if on]
        row[17] = " ".join(tags)
        writer.writerow(row)
    return out.getvalue()
