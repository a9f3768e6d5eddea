"""Text renderings of a research export: the codebook (CSV, Markdown), the CSV data files, and
a REDCap data dictionary with matching records.

REDCap's dictionary is its standard 18-column CSV (the columns are those
``alliance.core.instruments.interchange.redcap`` reads). Integers and numbers become ``text``
fields with ``integer`` / ``number`` validation, dates ``text`` with ``date_ymd``, coded values
``dropdown`` (``yesno`` for 0/1), the study id plain ``text``. REDCap needs one row per record,
so the records file's first column, ``record_id``, is the study id and the enrollment number
(``S012345_1``); the long file of scores is not offered in REDCap form (it would need
repeating instruments).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

from alliance.core.instruments.interchange.redcap import COLUMNS as REDCAP_COLUMNS
from alliance.core.outcomes.research import YES_NO, ResearchData, Table, Variable

CODEBOOK_COLUMNS = ("file", "variable", "label", "type", "values", "missing_codes", "note")
REDCAP_FORM = "enrollment"
BLANK_MEANS = "blank = not recorded or not applicable"


def _values(v: Variable) -> str:
    return "; ".join(f"{code} = {label}" for code, label in v.values)


def _missing(v: Variable) -> str:
    codes = "; ".join(f"{code} = {label}" for code, label in v.missing)
    return f"{codes}; {BLANK_MEANS}" if codes else BLANK_MEANS


def codebook_rows(data: ResearchData, file_suffix: str = "csv") -> list[dict[str, str]]:
    return [
        {
            "file": f"{table.name}.{file_suffix}",
            "variable": v.name,
            "label": v.label,
            "type": v.kind,
            "values": _values(v),
            "missing_codes": _missing(v),
            "note": v.note,
        }
        for table in data.tables
        for v in table.variables
    ]


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def codebook_csv(data: ResearchData, file_suffix: str = "csv") -> str:
    rows = codebook_rows(data, file_suffix)
    return _csv(CODEBOOK_COLUMNS, ([r[c] for c in CODEBOOK_COLUMNS] for r in rows))


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codebook_markdown(data: ResearchData, file_suffix: str = "csv") -> str:
    mode = (
        "Dates are shifted by a secret random number of days per man (the same for all his "
        "dates); intervals within a man are exact."
        if data.date_mode == "shift"
        else "Dates are reduced to intervals: days since referral, and days since exit for "
        "outcomes."
    )
    lines = [
        "# Codebook: de-identified research export",
        "",
        f"{data.men} men. Study ids are random and valid for this export only. {mode} "
        "Identifiers and free text are never exported.",
        "",
    ]
    for table in data.tables:
        lines += [
            f"## {table.name}.{file_suffix}: {table.title} ({len(table.frame)} rows)",
            "",
            "| Variable | Label | Type | Values | Missing codes | Note |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {v.name} | {_md(v.label)} | {v.kind} | {_md(_values(v))} | "
            f"{_md(_missing(v))} | {_md(v.note)} |"
            for v in table.variables
        ]
        lines.append("")
    return "\n".join(lines)


def _column_for_csv(column: pd.Series, kind: str) -> pd.Series:
    """Codes and whole numbers as integers, other numbers as floats, dates as datetimes."""
    if kind == "date":
        return pd.to_datetime(column)
    if kind == "integer":
        values = pd.to_numeric(column).astype("Float64")
        if not (values.dropna() % 1 == 0).all():
            raise ValueError(f"{column.name}: not a whole number")
        return values.astype("Int64")
    if kind == "number":
        return pd.to_numeric(column).astype("float64")
    return column.astype(object)


def table_csv(table: Table) -> str:
    """The table with codes (not labels), blank for missing, ISO dates (pandas' C writer)."""
    out = pd.DataFrame(
        {v.name: _column_for_csv(table.frame[v.name], v.kind) for v in table.variables},
        index=table.frame.index,
    )
    text = out.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d", na_rep="")
    return str(text)


def _redcap_field(v: Variable) -> dict[str, str]:
    field = {c: "" for c in REDCAP_COLUMNS}
    field["Variable / Field Name"] = v.name
    field["Form Name"] = REDCAP_FORM
    field["Field Label"] = v.label
    field["Field Note"] = v.note
    if v.values == YES_NO:
        field["Field Type"] = "yesno"
    elif v.values:
        field["Field Type"] = "dropdown"
        field["Choices, Calculations, OR Slider Labels"] = " | ".join(
            f"{code}, {label.replace('|', '/')}" for code, label in v.values
        )
    else:
        field["Field Type"] = "text"
        field["Text Validation Type OR Show Slider Number"] = {
            "integer": "integer",
            "number": "number",
            "date": "date_ymd",
        }.get(v.kind, "")
    return field


def redcap_dictionary_csv(table: Table) -> str:
    record = Variable("record_id", "Record id (study id and enrollment number)", "string")
    fields = [_redcap_field(record), *(_redcap_field(v) for v in table.variables)]
    return _csv(REDCAP_COLUMNS, ([f[c] for c in REDCAP_COLUMNS] for f in fields))


def redcap_records_csv(table: Table) -> str:
    frame = table.frame.copy()
    record_id = frame["study_id"].astype(str) + "_" + frame["enrollment_no"].astype(int).astype(str)
    frame.insert(0, "record_id", record_id)
    with_record = Table(
        table.name,
        table.title,
        frame,
        (Variable("record_id", "Record id", "string"), *table.variables),
    )
    return table_csv(with_record)
