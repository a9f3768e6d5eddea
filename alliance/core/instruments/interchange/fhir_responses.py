"""Read answers from FHIR R4 QuestionnaireResponses (and a plain CSV) for import.

Takes what LHC-Forms or any SDC renderer writes: one QuestionnaireResponse, a Bundle of them
(other resources in the Bundle, e.g. the Observations Alliance itself exports, are skipped) or
NDJSON (one resource per line).  Items are read by ``linkId`` at any depth (groups, and items
nested under an answer); an answer is ``valueCoding`` (its ``code``, or an ``itemWeight`` /
``ordinalValue`` extension when the code is not a number), ``valueInteger``,
``valueDecimal``, ``valueString`` or ``valueBoolean`` (1/0).

Nothing here touches storage: the measures app matches each response to a man and an
administration and stores it through the same service as a form.  Every problem names the
resource (or CSV row) and the ``linkId``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from alliance.core.instruments.interchange.fhir import BASE

_WEIGHT_URLS = (
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
)
_QUESTIONNAIRE = re.compile(r"/Questionnaire/([A-Za-z0-9\-.]{1,64})(?:\|(.{1,32}))?$")
_SUBJECT = re.compile(r"^(?:.*/)?Patient/([0-9]{1,18})$")
#: Columns of the CSV format that are not items.
CSV_FIELDS = ("participant_id", "instrument_id", "administered_on", "identifier")
MAX_RESOURCES = 10_000


class ResponsesError(ValueError):
    """The file as a whole cannot be read (not JSON, no QuestionnaireResponse, ...)."""


@dataclass
class ParsedResponse:
    """One response as Alliance reads it, with the problems found (empty when usable)."""

    where: str  # "resource 3" or "row 4": how a refusal names it
    participant_id: int | None = None
    instrument_id: str | None = None
    version: str | None = None
    administered_on: dt.date | None = None
    identifier: str | None = None
    answers: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_responses(text: str) -> list[ParsedResponse]:
    """Parse a FHIR file (single resource, Bundle or NDJSON) into responses.

    Resources are numbered from 1 in file order (QuestionnaireResponses only).  Raises
    :class:`ResponsesError` when the file holds no QuestionnaireResponse at all.
    """
    resources = list(_resources(text))
    responses = [r for r in resources if r.get("resourceType") == "QuestionnaireResponse"]
    if not responses:
        raise ResponsesError("the file holds no QuestionnaireResponse")
    if len(responses) > MAX_RESOURCES:
        raise ResponsesError(f"more than {MAX_RESOURCES} responses in one file; split it")
    return [parse_response(r, index) for index, r in enumerate(responses, start=1)]


def parse_response(resource: Mapping[str, Any], index: int) -> ParsedResponse:
    where = f"resource {index}"
    out = ParsedResponse(where=where)
    problems = out.problems
    if resource.get("resourceType") != "QuestionnaireResponse":
        problems.append(f"{where}: not a QuestionnaireResponse")
        return out
    status = resource.get("status")
    if status not in ("completed", "amended"):
        problems.append(f"{where}, status: only a completed response is imported (got {status!r})")
    questionnaire = resource.get("questionnaire")
    match = _QUESTIONNAIRE.search(questionnaire) if isinstance(questionnaire, str) else None
    if match is None:
        problems.append(
            f"{where}, questionnaire: give the Questionnaire's canonical URL, as Alliance "
            f"exports it ({BASE}/Questionnaire/<id>) (got {questionnaire!r})"
        )
    else:
        out.instrument_id = match.group(1).replace("-", "_").lower()
        out.version = match.group(2)
    subject = resource.get("subject")
    reference = subject.get("reference") if isinstance(subject, Mapping) else None
    found = _SUBJECT.match(reference) if isinstance(reference, str) else None
    if found is None:
        problems.append(
            f"{where}, subject: give the man as Patient/<participant id> (got {reference!r})"
        )
    else:
        out.participant_id = int(found.group(1))
    authored = resource.get("authored")
    out.administered_on = _date(authored)
    if out.administered_on is None:
        problems.append(f"{where}, authored: give the date answered (got {authored!r})")
    identifier = resource.get("identifier")
    if isinstance(identifier, list):  # R5 allows several; R4 one
        identifier = identifier[0] if identifier else None
    if isinstance(identifier, Mapping) and isinstance(identifier.get("value"), str):
        system = identifier.get("system")
        out.identifier = f"{system or ''}|{identifier['value']}"
    items = resource.get("item", [])
    if not isinstance(items, list):
        problems.append(f"{where}, item: must be a list")
        return out
    for link_id, answers in _answered(items):
        label = f"{where}, linkId {link_id!r}"
        if link_id in out.answers:
            problems.append(f"{label}: answered twice")
            continue
        if len(answers) != 1:
            problems.append(f"{label}: give one answer (got {len(answers)})")
            continue
        value, why = _value(answers[0])
        if why:
            problems.append(f"{label}: {why}")
        elif value is not None:
            out.answers[link_id] = value
    return out


def read_csv_responses(text: str) -> list[ParsedResponse]:
    """The CSV format: ``participant_id,instrument_id,administered_on[,identifier]`` and one
    column per item id (blank = unanswered).  Rows are named as in a spreadsheet (header = 1).
    """
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise ResponsesError(f"not a readable CSV ({exc})") from None
    if not rows:
        raise ResponsesError("the CSV has no rows")
    header = [str(c).strip() for c in rows[0]]
    missing = [c for c in CSV_FIELDS[:3] if c not in header]
    if missing:
        raise ResponsesError(f"missing column(s) {', '.join(missing)}")
    if len(rows) > MAX_RESOURCES:
        raise ResponsesError(f"more than {MAX_RESOURCES} rows in one file; split it")
    parsed = []
    for number, row in enumerate(rows, start=2):
        cells = {str(k).strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            out = ParsedResponse(where=f"row {number}")
            out.problems.append(f"row {number}: more cells than columns")
            parsed.append(out)
            continue
        out = ParsedResponse(where=f"row {number}")
        pid = cells.get("participant_id", "")
        if pid.isdigit() and len(pid) <= 18:
            out.participant_id = int(pid)
        else:
            out.problems.append(f"row {number}, participant_id: give his id (got {pid!r})")
        out.instrument_id = cells.get("instrument_id") or None
        if out.instrument_id is None:
            out.problems.append(f"row {number}, instrument_id: is blank")
        out.administered_on = _date(cells.get("administered_on"))
        if out.administered_on is None:
            out.problems.append(
                f"row {number}, administered_on: give a date as YYYY-MM-DD "
                f"(got {cells.get('administered_on')!r})"
            )
        out.identifier = cells.get("identifier") or None
        out.answers = {k: v for k, v in cells.items() if k not in CSV_FIELDS and k and v}
        parsed.append(out)
    return parsed


def _resources(text: str) -> Iterator[dict[str, Any]]:
    text = text.strip()
    if not text:
        raise ResponsesError("the file is empty")
    try:
        documents = [json.loads(text)]
    except ValueError:
        documents = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                documents.append(json.loads(line))
            except ValueError:
                raise ResponsesError(
                    f"line {number}: not JSON (a single resource, a Bundle or NDJSON)"
                ) from None
    for document in documents:
        if not isinstance(document, dict):
            raise ResponsesError("a resource must be a JSON object")
        if document.get("resourceType") == "Bundle":
            entries = document.get("entry", [])
            if not isinstance(entries, list):
                raise ResponsesError("Bundle.entry must be a list")
            for entry in entries:
                resource = entry.get("resource") if isinstance(entry, dict) else None
                if isinstance(resource, dict):
                    yield resource
        else:
            yield document


def _answered(items: list[Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for item in items:
        if not isinstance(item, dict):
            continue
        link_id = item.get("linkId")
        answers = item.get("answer")
        if isinstance(answers, list) and answers and isinstance(link_id, str):
            yield link_id, [a for a in answers if isinstance(a, dict)]
            for answer in answers:
                if isinstance(answer, dict) and isinstance(answer.get("item"), list):
                    yield from _answered(answer["item"])
        if isinstance(item.get("item"), list):
            yield from _answered(item["item"])


def _value(answer: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(value as text, None)`` or ``(None, reason it cannot be read)``."""
    if "valueCoding" in answer:
        coding = answer["valueCoding"]
        if not isinstance(coding, Mapping):
            return None, "valueCoding must be an object"
        code = coding.get("code")
        if isinstance(code, str) and _finite(code):
            return code.strip(), None
        for ext in coding.get("extension", []) if isinstance(coding.get("extension"), list) else []:
            if isinstance(ext, Mapping) and ext.get("url") in _WEIGHT_URLS:
                weight = ext.get("valueDecimal", ext.get("valueInteger"))
                if (
                    isinstance(weight, int | float)
                    and not isinstance(weight, bool)
                    and math.isfinite(weight)
                ):
                    return _text(weight), None
        return None, f"the code {code!r} is not a number and carries no itemWeight"
    for key in ("valueInteger", "valueDecimal"):
        if key in answer:
            number = answer[key]
            if isinstance(number, bool) or not isinstance(number, int | float):
                return None, f"{key} must be a number (got {number!r})"
            if not math.isfinite(number):
                return None, f"{key} must be a finite number"
            return _text(number), None
    if "valueBoolean" in answer:
        flag = answer["valueBoolean"]
        if not isinstance(flag, bool):
            return None, f"valueBoolean must be true or false (got {flag!r})"
        return ("1" if flag else "0"), None
    if "valueString" in answer:
        text = answer["valueString"]
        if not isinstance(text, str):
            return None, "valueString must be text"
        return text, None
    kinds = [k for k in answer if k.startswith("value")]
    if kinds:
        return None, f"{kinds[0]} answers are not imported"
    return None, None  # an answer holding only nested items


def _finite(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
