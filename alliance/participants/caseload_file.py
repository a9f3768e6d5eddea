"""Reading and writing caseload spreadsheets: CSV (UTF-8) or Excel (.xlsx), one row per man.

Only the first worksheet of a workbook is read, as values (formulas give their last computed
value). Every cell becomes a string: Excel dates become ``YYYY-MM-DD``, whole numbers lose
their ``.0``. Limits keep a hostile file from costing more than a legitimate one: the upload
size (checked by the view), the unzipped size of a workbook (a zip bomb is refused before
openpyxl opens it), the number of rows and the length of a value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

#: Largest upload accepted (a caseload of thousands of men is well under 1 MB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Largest unzipped workbook (XML is verbose; 30 MB holds about 100,000 cells).
MAX_UNZIPPED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 5_000
#: A value longer than this is refused without being quoted (attendance lists are longest).
MAX_VALUE_CHARS = 2_000


class UnreadableFile(ValueError):
    """The file cannot be read as a table at all; the message says why (and the line)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str


@dataclass(frozen=True)
class Table:
    header: list[str]
    #: (line of the file, values by column); the header is line 1; blank rows are skipped.
    rows: list[tuple[int, dict[str, str]]]


def is_workbook(content: bytes, filename: str) -> bool:
    return content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def read_table(content: bytes, filename: str) -> Table:
    """The header and rows of a CSV or .xlsx file; ``UnreadableFile`` if it is neither."""
    if is_workbook(content, filename):
        return _table(_workbook_rows(content))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("the file is neither UTF-8 CSV text nor an Excel workbook") from exc
    if "\x00" in text:
        raise UnreadableFile("the file is neither UTF-8 CSV text nor an Excel workbook")
    return _table(_csv_rows(text))


def _csv_rows(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # Broken quoting or a value over the csv module's own limit: the rest of the
            # file cannot be read reliably.
            raise UnreadableFile(
                f"cannot be read as CSV ({exc}): fix or split the file", reader.line_num
            ) from exc
        yield row


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _workbook_rows(content: bytes) -> Iterator[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            unzipped = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile("the file is not a readable Excel workbook (.xlsx)") from exc
    if len(members) > 1_000 or unzipped > MAX_UNZIPPED_BYTES:
        raise UnreadableFile("the workbook is too large once unzipped: split it")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise UnreadableFile("the file is not a readable Excel workbook (.xlsx)") from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("the workbook's first sheet cannot be read") from exc
    finally:
        workbook.close()


def _table(source: Iterator[list[str]]) -> Table:
    header_row = next(source, None)
    if header_row is None:
        raise UnreadableFile("the file is empty: it needs a header row")
    header = [h.strip().lower() for h in header_row]
    while header and not header[-1]:
        header.pop()
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in enumerate(source, start=2):
        cleaned = [v.strip() for v in values]
        if not any(cleaned):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(f"more than {MAX_ROWS} rows: split the file", line)
        extra = [v for v in cleaned[len(header) :] if v]
        row = {name: (cleaned[i] if i < len(cleaned) else "") for i, name in enumerate(header)}
        if extra:
            row[""] = "more values than header columns"
        rows.append((line, row))
    return Table(header=header, rows=rows)


def template_csv(columns: tuple[Column, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    writer.writerow([c.example for c in columns])
    return out.getvalue().encode("utf-8")


def template_xlsx(columns: tuple[Column, ...]) -> bytes:
    """A workbook with the header and an example row, and a second sheet saying each column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Caseload"
    sheet.append([c.name for c in columns])
    sheet.append([c.example for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "required", "what it holds"])
    for column in columns:
        guide.append([column.name, "yes" if column.required else "", column.help])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
