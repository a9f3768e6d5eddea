"""Instrument packs: item wording an agency loads for a bundled definition.

Bundled third-party definitions carry scoring facts only (docs/instruments.md, "Copyright
policy"). A pack supplies the wording, one language at a time, from a CSV (columns
``item_id``, ``text``, ``language``; other columns are ignored) or from a FHIR Questionnaire
whose ``linkId`` values are the item ids. A pack must give text for every item of the
instrument, once per language; reading is all-or-nothing and every problem is reported with
its CSV line (or Questionnaire item).

``apply_pack(definition, pack)`` returns a new definition whose items carry the pack's text;
keep one applied definition per language. Only item text is loaded: response-anchor labels
stay as the definition has them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from alliance.core.instruments.definition import InstrumentDefinition
from alliance.core.instruments.interchange.fhir import (
    alliance_instrument_id,
    iter_items,
    parse_questionnaire,
)
from alliance.core.instruments.interchange.serialize import (
    InterchangeError,
    definition_to_dict,
)
from alliance.core.instruments.loading import load_definition

CSV_COLUMNS = ("item_id", "text", "language")

# BCP 47 in the shape FHIR and browsers use: "en", "es-MX", "zh-Hant-TW".
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class ItemPack:
    """The wording of every item of one instrument in one language."""

    instrument_id: str
    language: str
    texts: Mapping[str, str]


def read_csv_packs(definition: InstrumentDefinition, text: str) -> dict[str, ItemPack]:
    """Read a CSV pack; one :class:`ItemPack` per language, keyed by language.

    Raises
    ------
    InterchangeError
        With every problem found, each named by CSV line (the header is line 1): a missing
        column, an unknown item id, an empty text, a missing or malformed language, a row
        that repeats an item and language, and items with no text in a language.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise InterchangeError(
            "line 1", "empty file; expected columns item_id, text, language"
        ) from None
    except csv.Error as exc:
        raise InterchangeError("line 1", f"not a CSV: {exc}") from None
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise InterchangeError("line 1", f"missing column(s) {', '.join(missing)}")
    col = {name: header.index(name) for name in CSV_COLUMNS}
    problems: list[tuple[str, str]] = []
    texts: dict[str, dict[str, str]] = {}
    first_line: dict[tuple[str, str], int] = {}
    next_start = reader.line_num + 1
    try:
        for row in reader:
            # A quoted field may span lines: report the line the record starts on.
            start, next_start = next_start, reader.line_num + 1
            where = f"line {start}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                problems.append((where, f"{len(row)} fields, expected {len(header)}"))
                continue
            item_id, item_text, language = (row[col[name]].strip() for name in CSV_COLUMNS)
            row_ok = _check_row(definition, item_id, item_text, language, where, problems)
            if not row_ok:
                continue
            key = (item_id, language)
            if key in first_line:
                problems.append(
                    (
                        f"{where}, column 'item_id'",
                        f"{item_id!r} in {language!r} again (first on line {first_line[key]})",
                    )
                )
                continue
            first_line[key] = start
            texts.setdefault(language, {})[item_id] = item_text
    except csv.Error as exc:
        raise InterchangeError(f"line {reader.line_num}", f"not a CSV: {exc}") from None
    if not texts and not problems:
        problems.append(("line 2", "no rows"))
    for language, by_item in texts.items():
        absent = [item.id for item in definition.items if item.id not in by_item]
        if absent:
            problems.append((f"language {language!r}", f"no text for {_some(absent)}"))
    if problems:
        raise InterchangeError.collected(problems)
    return {
        language: ItemPack(definition.id, language, MappingProxyType(dict(by_item)))
        for language, by_item in texts.items()
    }


def _check_row(
    definition: InstrumentDefinition,
    item_id: str,
    item_text: str,
    language: str,
    where: str,
    problems: list[tuple[str, str]],
) -> bool:
    before = len(problems)
    if not definition.has_item(item_id):
        problems.append(
            (f"{where}, column 'item_id'", f"unknown item {item_id!r} for {definition.id!r}")
        )
    if not item_text:
        problems.append((f"{where}, column 'text'", "empty text"))
    if not _LANGUAGE.match(language):
        problems.append(
            (f"{where}, column 'language'", f"{language!r} is not a language tag like 'en'")
        )
    return len(problems) == before


def read_fhir_pack(
    definition: InstrumentDefinition,
    questionnaire: str | bytes | Mapping[str, Any],
    *,
    language: str | None = None,
) -> ItemPack:
    """Read item wording from a FHIR Questionnaire whose linkIds are the item ids.

    Groups and display items are passed over. The language is ``language`` if given, else the
    Questionnaire's ``language``.

    Raises
    ------
    InterchangeError
        If the Questionnaire names another Alliance instrument, has no language, a question
        item is not an item of the definition, repeats one, has no text, or an item of the
        definition is absent.
    """
    parsed = parse_questionnaire(questionnaire)
    other = alliance_instrument_id(parsed)
    if other is not None and other != definition.id:
        raise InterchangeError(
            "identifier", f"Questionnaire is for {other!r}, not {definition.id!r}"
        )
    language = language or parsed.get("language")
    if not language or not _LANGUAGE.match(language):
        raise InterchangeError("language", f"no usable language ({language!r}); give one")
    problems: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    first: dict[str, str] = {}
    for where, item in iter_items(parsed.get("item", [])):
        if item["type"] in ("group", "display"):
            continue
        link_id = item["linkId"]
        label = f"{where} (linkId {link_id!r})"
        if not definition.has_item(link_id):
            problems.append((label, f"unknown item for {definition.id!r}"))
        elif link_id in first:
            problems.append((label, f"repeats {first[link_id]}"))
        elif not item.get("text", "").strip():
            problems.append((label, "empty text"))
        else:
            first[link_id] = where
            texts[link_id] = item["text"].strip()
    absent = [item.id for item in definition.items if item.id not in first]
    if absent:
        problems.append(("item", f"no text for {_some(absent)}"))
    if problems:
        raise InterchangeError.collected(problems)
    return ItemPack(definition.id, language, MappingProxyType(texts))


def apply_pack(definition: InstrumentDefinition, pack: ItemPack) -> InstrumentDefinition:
    """A copy of ``definition`` whose items carry the pack's text.

    Raises
    ------
    InterchangeError
        If the pack is for another instrument or does not cover exactly its items.
    """
    if pack.instrument_id != definition.id:
        raise InterchangeError("pack", f"is for {pack.instrument_id!r}, not {definition.id!r}")
    ids = [item.id for item in definition.items]
    if set(pack.texts) != set(ids):
        absent = [i for i in ids if i not in pack.texts]
        extra = sorted(set(pack.texts) - set(ids))
        raise InterchangeError(
            "pack", f"does not match the items (missing {_some(absent)}; unknown {_some(extra)})"
        )
    obj = definition_to_dict(definition)
    for raw in obj["items"]:
        raw["text"] = pack.texts[raw["id"]]
    return load_definition(obj)


def _some(ids: list[str], limit: int = 5) -> str:
    if not ids:
        return "none"
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"
