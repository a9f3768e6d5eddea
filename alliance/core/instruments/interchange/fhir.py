"""FHIR R4 Questionnaires: import an instrument, export a definition.

Resources are checked with the ``fhir.resources`` models of FHIR 4.3.0 (R4B): the package ships
R5 at its root and R4B and STU3 below it, and Questionnaire, QuestionnaireResponse and
Observation are the same in R4 (4.0.1) and R4B for every element used here.

Mapping (both directions):

=====================  ==========================================================
Alliance response      FHIR item
=====================  ==========================================================
likert min..max        ``choice``; one ``answerOption.valueCoding`` per value, code =
                       the value, display = its anchor; ``itemWeight`` = keyed value
yes_no                 ``boolean`` (true = 1, false = 0)
vas                    ``decimal`` with ``minValue`` 0, ``maxValue`` 10,
                       ``maxDecimalPlaces`` 1 and ``itemControl`` slider
number                 ``integer`` or ``decimal`` with ``minValue``/``maxValue``
free_text              ``text`` (``string`` is read as free text too)
=====================  ==========================================================

On import the numeric value of an answer option is its ``itemWeight`` (on the option or its
coding), else its ``ordinalValue``, else an integer ``valueInteger``/code. Reverse keys, fillers
and everything that is not an item (scales, rules, norms, bands, licence, respondent) travel in
Alliance extensions; a Questionnaire without them imports with a provisional total scale (see
docs/instruments.md, "Interchange and the command line"). Administrations are exported by
:mod:`alliance.core.instruments.interchange.fhir_administration`.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from alliance.core.instruments.definition import InstrumentDefinition, Item, ResponseKind
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

BASE = "https://alliance.example/fhir"
INSTRUMENT_ID_SYSTEM = f"{BASE}/instrument-id"
EXT_SCORING = f"{BASE}/StructureDefinition/instrument-scoring"
EXT_REVERSE = f"{BASE}/StructureDefinition/reverse-keyed"
EXT_FILLER = f"{BASE}/StructureDefinition/filler-item"
EXT_ANCHORS = f"{BASE}/StructureDefinition/slider-anchors"

EXT_ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
EXT_ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
#: The STU3 name of ``ordinalValue``, still written by some form builders.
EXT_ORDINAL_VALUE_STU3 = "http://hl7.org/fhir/StructureDefinition/valueset-ordinalValue"
EXT_CALCULATED = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
_WEIGHT_URLS = (EXT_ITEM_WEIGHT, EXT_ORDINAL_VALUE, EXT_ORDINAL_VALUE_STU3)
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_MAX_DECIMALS = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"

_UNSUPPORTED_TYPES = {
    "date": "dates are not instrument answers",
    "dateTime": "dates are not instrument answers",
    "time": "times are not instrument answers",
    "url": "links are not instrument answers",
    "attachment": "attachments are not instrument answers",
    "reference": "references are not instrument answers",
    "quantity": "quantities with units are not supported",
    "open-choice": "a choice with a free-text alternative cannot be scored",
}


def parse_questionnaire(source: str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    """Check a Questionnaire against the FHIR R4B model and return it as plain JSON.

    Raises
    ------
    InterchangeError
        If the text is not JSON, not a Questionnaire, or not valid FHIR (naming the element).
    """
    obj = _json(source)
    if not isinstance(obj, Mapping):
        raise InterchangeError("(root)", "not a JSON object")
    kind = obj.get("resourceType")
    if kind != "Questionnaire":
        raise InterchangeError("resourceType", f"expected 'Questionnaire', got {kind!r}")
    from fhir.resources.R4B.questionnaire import Questionnaire

    try:
        model = Questionnaire.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise InterchangeError(where, f"not valid FHIR R4: {first['msg']}") from None
    parsed: dict[str, Any] = json.loads(model.model_dump_json(exclude_none=True))
    return parsed


def _json(source: str | bytes | Mapping[str, Any]) -> Any:
    if isinstance(source, str | bytes):
        try:
            return json.loads(source)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InterchangeError("(root)", f"not valid JSON: {exc}") from None
    return source


def iter_items(items: list[dict[str, Any]], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every item in document order, groups and nested items flattened, with its path."""
    for i, item in enumerate(items):
        where = f"{path}item[{i}]"
        yield where, item
        yield from iter_items(item.get("item", []), f"{where}.")


def alliance_instrument_id(questionnaire: Mapping[str, Any]) -> str | None:
    """The Alliance instrument id recorded in the Questionnaire's identifiers, if any."""
    for identifier in questionnaire.get("identifier", []):
        if identifier.get("system") == INSTRUMENT_ID_SYSTEM:
            value: str | None = identifier.get("value")
            return value
    return None


def import_questionnaire(
    source: str | bytes | Mapping[str, Any],
    *,
    instrument_id: str | None = None,
    direction: str | None = None,
) -> ImportResult:
    """Build an instrument definition from a FHIR R4 (SDC) Questionnaire.

    Parameters
    ----------
    source
        The Questionnaire as JSON text or a parsed object.
    instrument_id
        Id for the definition; by default the Alliance identifier, else the Questionnaire's
        ``name``, the last part of its ``url``, its ``id`` or its ``title`` made into a valid
        identifier (an import never falls back to one shared id).
    direction
        ``"higher_is_better"`` or ``"higher_is_worse"`` for totals read from a
        ``calculatedExpression``; FHIR has no element for it, so without this the import
        assumes higher is worse (a sum of symptom weights) and says so in the warnings.

    Returns
    -------
    ImportResult
        The definition, warnings (defaults assumed, ignored ``enableWhen``, renamed linkIds)
        and the items that were not imported (dates, attachments, repeating or open choices,
        choices without numeric values, numbers without bounds) with the reason.

    Raises
    ------
    InterchangeError
        If the resource is not a valid Questionnaire, two items map to the same id, no item
        can be imported (``problems`` then lists every item with its reason), no item can be
        scored and no scoring extension is present, or the Alliance scoring extension does not
        fit the items.
    """
    questionnaire = parse_questionnaire(source)
    value_sets = _contained_value_sets(questionnaire)
    warnings: list[str] = []
    skipped: list[NotImported] = []
    items: list[dict[str, Any]] = []
    pairs: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    calculated: list[tuple[str, str, dict[str, Any]]] = []
    conditional = 0
    for where, raw in iter_items(questionnaire.get("item", [])):
        link_id = raw["linkId"]
        conditional += bool(raw.get("enableWhen"))
        item_type = raw["type"]
        if item_type in ("group", "display"):
            continue
        expression = _extension(raw, EXT_CALCULATED)
        if expression is not None:
            calculated.append((link_id, where, expression.get("valueExpression", {})))
            continue
        try:
            item = _import_item(raw, where, value_sets)
        except _Skip as skip:
            skipped.append(NotImported(link_id, where, skip.reason))
            continue
        item_id = link_id if is_identifier(link_id) else to_identifier(link_id)
        if item_id in seen:
            raise InterchangeError(
                where, f"linkId {link_id!r} gives item id {item_id!r}, as {seen[item_id]} does"
            )
        seen[item_id] = f"{where} (linkId {link_id!r})"
        pairs.append((link_id, item_id))
        items.append({"id": item_id, **item})
    if not items:
        if not skipped:
            raise InterchangeError("item", "the Questionnaire has no question items")
        # Every item's reason, so whoever wrote the file can see what to change.
        raise InterchangeError.collected(
            [(f"{n.where} (linkId {n.field!r})", n.reason) for n in skipped]
        )
    renamed = ", ".join(f"{a!r} -> {b!r}" for a, b in pairs if a != b)
    if renamed:
        warnings.append(f"linkIds that are not valid item ids were renamed: {renamed}")
    if conditional:
        warnings.append(f"enableWhen on {conditional} item(s) ignored: Alliance asks every item")

    scoring = _extension(questionnaire, EXT_SCORING)
    if scoring is not None:
        obj = _from_scoring_extension(scoring, items)
    else:
        totals = _calculated_totals(calculated, items, pairs, skipped, warnings, direction)
        obj = _from_plain_questionnaire(questionnaire, items, warnings, totals, instrument_id)
    language = questionnaire.get("language")
    if language:
        note = f"Source language: {language}."
        obj["notes"] = f"{obj.get('notes', '')} {note}".strip()
    if instrument_id is not None:
        obj["id"] = instrument_id
    try:
        definition = load_definition(obj)
    except DefinitionError as exc:
        where = "extension instrument-scoring" if scoring is not None else "Questionnaire"
        raise InterchangeError(where, f"does not make a valid definition: {exc}") from None
    return ImportResult(definition, tuple(warnings), tuple(skipped), tuple(pairs))


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _import_item(
    raw: Mapping[str, Any], where: str, value_sets: Mapping[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """An item's JSON (without its id) or :class:`_Skip` with the reason it has no place."""
    item_type = raw["type"]
    if item_type in _UNSUPPORTED_TYPES:
        raise _Skip(f"type {item_type!r}: {_UNSUPPORTED_TYPES[item_type]}")
    if raw.get("repeats"):
        raise _Skip("repeating items (several answers) cannot be scored")
    out: dict[str, Any] = {}
    if raw.get("text"):
        out["text"] = raw["text"]
    if item_type in ("string", "text"):
        out["response"] = {"type": "free_text"}
    elif item_type == "boolean":
        out["response"] = {"type": "yes_no"}
    elif item_type in ("integer", "decimal"):
        out["response"] = _number_response(raw, integer=item_type == "integer")
    elif item_type == "choice":
        out["response"] = _choice_response(raw, where, value_sets)
    else:
        raise _Skip(f"type {item_type!r} is not supported")
    if _flag(raw, EXT_REVERSE):
        out["reverse"] = True
    if _flag(raw, EXT_FILLER):
        out["filler"] = True
    return out


def _number_response(raw: Mapping[str, Any], *, integer: bool) -> dict[str, Any]:
    low = _extension_number(raw, EXT_MIN_VALUE)
    high = _extension_number(raw, EXT_MAX_VALUE)
    if low is None or high is None:
        raise _Skip("a number needs both minValue and maxValue extensions")
    if low >= high:
        raise _Skip(f"minValue {low:g} is not below maxValue {high:g}")
    decimals = _extension_number(raw, EXT_MAX_DECIMALS)
    if not integer and (low, high, decimals) == (0, 10, 1):
        anchors = _extension(raw, EXT_ANCHORS)
        if anchors is None:
            return {"type": "vas"}
        try:
            labels = json.loads(anchors.get("valueString", ""))
        except json.JSONDecodeError:
            raise _Skip("the slider-anchors extension is not JSON") from None
        return {"type": "vas", "anchors": labels}
    if integer:
        return {
            "type": "number",
            "min": plain_number(low),
            "max": plain_number(high),
            "integer": True,
        }
    return {"type": "number", "min": plain_number(low), "max": plain_number(high)}


def _choice_response(
    raw: Mapping[str, Any], where: str, value_sets: Mapping[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """The response of a choice item (reading codes as raw answers if it is reverse-keyed).

    Options come from ``answerOption`` or from an ``answerValueSet`` that points to a ValueSet
    contained in the Questionnaire (``#id``); a ValueSet held elsewhere cannot be read offline.
    """
    reference = raw.get("answerValueSet")
    if reference:
        if not reference.startswith("#"):
            raise _Skip(
                f"answers come from the ValueSet {reference!r}, which is not contained in the "
                "file; contain it (or list answerOption) to import this item"
            )
        if reference[1:] not in value_sets:
            raise _Skip(f"answerValueSet {reference!r} names no contained ValueSet")
        options = value_sets[reference[1:]]
        if not options:
            raise _Skip(f"the contained ValueSet {reference!r} lists no concept")
    else:
        options = raw.get("answerOption", [])
    if not options:
        raise _Skip("a choice without answerOption or answerValueSet")
    reverse = _flag(raw, EXT_REVERSE)
    values: list[float] = []
    anchors: dict[str, str] = {}
    for j, option in enumerate(options):
        weight, code, display = _option_value(option)
        value = code if reverse else weight if weight is not None else code
        if value is None:
            raise _Skip(
                f"answerOption[{j}] has no itemWeight or ordinalValue and its value is not a number"
            )
        values.append(value)
        if display and float(value).is_integer():
            anchors.setdefault(str(int(value)), display)
    low, high = min(values), max(values)
    if low == high:
        raise _Skip("every answer option has the same value")
    if reverse:
        # Alliance exports the keyed value as the weight; the code is the raw answer.
        for j, option in enumerate(options):
            weight, code, _ = _option_value(option)
            if weight is not None and code is not None and weight != low + high - code:
                raise InterchangeError(
                    f"{where}.answerOption[{j}]",
                    f"reverse-keyed, but itemWeight {weight:g} is not {low + high - code:g}",
                )
    if all(float(v).is_integer() for v in values):
        response: dict[str, Any] = {"type": "likert", "min": int(low), "max": int(high)}
        if anchors:
            response["anchors"] = anchors
        return response
    return {"type": "number", "min": plain_number(low), "max": plain_number(high)}


def _option_value(option: Mapping[str, Any]) -> tuple[float | None, float | None, str | None]:
    """``(weight, numeric code or value, display)`` of one answer option."""
    coding = option.get("valueCoding")
    weight = _extension_number(option, EXT_ITEM_WEIGHT)
    for holder, url in (
        (coding, EXT_ITEM_WEIGHT),
        (coding, EXT_ORDINAL_VALUE),
        (coding, EXT_ORDINAL_VALUE_STU3),
        (option, EXT_ORDINAL_VALUE),
        (option, EXT_ORDINAL_VALUE_STU3),
    ):
        if weight is None and holder is not None:
            weight = _extension_number(holder, url)
    if coding is not None:
        return weight, _number_or_none(coding.get("code")), coding.get("display")
    if "valueInteger" in option:
        return weight, float(option["valueInteger"]), None
    if "valueString" in option:
        return weight, _number_or_none(option["valueString"]), option["valueString"]
    return weight, None, None


def _contained_value_sets(questionnaire: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each contained ValueSet's concepts as answer options (``valueCoding`` + weight).

    Concepts are read from ``expansion.contains`` (nested ones flattened) or, when there is no
    expansion, from ``compose.include[].concept``; a weight on a concept (``itemWeight`` or
    ``ordinalValue``) is kept as the option's own.
    """
    found: dict[str, list[dict[str, Any]]] = {}
    for resource in questionnaire.get("contained", []):
        if resource.get("resourceType") != "ValueSet" or not resource.get("id"):
            continue
        options: list[dict[str, Any]] = []
        expansion = resource.get("expansion", {}).get("contains", [])
        if expansion:
            for concept in _flatten_contains(expansion):
                options.append(_concept_option(concept, concept.get("system")))
        else:
            for include in resource.get("compose", {}).get("include", []):
                for concept in include.get("concept", []):
                    options.append(_concept_option(concept, include.get("system")))
        found[resource["id"]] = options
    return found


def _flatten_contains(contains: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for concept in contains:
        if "code" in concept:
            yield concept
        yield from _flatten_contains(concept.get("contains", []))


def _concept_option(concept: Mapping[str, Any], system: str | None) -> dict[str, Any]:
    coding: dict[str, Any] = {"code": concept.get("code")}
    if system:
        coding["system"] = system
    if concept.get("display"):
        coding["display"] = concept["display"]
    weights = [
        ext
        for ext in concept.get("extension", [])
        if ext.get("url") in _WEIGHT_URLS and ("valueDecimal" in ext or "valueInteger" in ext)
    ]
    option: dict[str, Any] = {"valueCoding": coding}
    if weights:
        value = weights[0].get("valueDecimal", weights[0].get("valueInteger"))
        option["extension"] = [{"url": EXT_ITEM_WEIGHT, "valueDecimal": value}]
    return option


# A calculatedExpression Alliance can read as a scale: the sum of the answers' weights, in
# FHIRPath (``...answer.value.weight().sum()``, ``ordinal()`` in older forms) with at most the
# items it excludes or includes by linkId. Anything else is reported, not guessed.
_SUM_OF_WEIGHTS = re.compile(r"answer\s*\.\s*value\s*\.\s*(weight|ordinal)\(\)\s*\.\s*sum\(\)")
_LINK_IDS = re.compile(r"linkId\s*(!=|=)\s*'([^']*)'")
_BAND = re.compile(r"(\d+(?:\.\d+)?)\s*[-\u2013]\s*(\d+(?:\.\d+)?)\s*:\s*([^;)]+)")


def _calculated_totals(
    calculated: list[tuple[str, str, dict[str, Any]]],
    items: list[dict[str, Any]],
    pairs: list[tuple[str, str]],
    skipped: list[NotImported],
    warnings: list[str],
    direction: str | None,
) -> list[dict[str, Any]]:
    """Scales for the ``calculatedExpression`` totals that sum item weights.

    A total that is something else (an average, a conditional, a BMI) is listed as not
    imported with its expression, so the evaluator can write the scale by hand.
    """
    to_item = dict(pairs)
    choices = [
        item["id"]
        for item in items
        if item["response"]["type"] in ("likert", "number", "yes_no") and not item.get("filler")
    ]
    scales: list[dict[str, Any]] = []
    for link_id, where, expression in calculated:
        text = str(expression.get("expression", ""))
        if not _SUM_OF_WEIGHTS.search(text):
            skipped.append(
                NotImported(
                    link_id,
                    where,
                    f"calculatedExpression {text!r} is not a sum of answer weights; "
                    "write its scale by hand",
                )
            )
            continue
        included = [to_item.get(v, "") for op, v in _LINK_IDS.findall(text) if op == "="]
        excluded = {to_item.get(v, v) for op, v in _LINK_IDS.findall(text) if op == "!="}
        scored = [i for i in choices if (i in included if included else i not in excluded)]
        if not scored:
            skipped.append(NotImported(link_id, where, "the total sums no imported item"))
            continue
        scale_id = to_identifier(expression.get("name") or link_id)
        if scale_id in {s["id"] for s in scales} or scale_id in to_item.values():
            scale_id = to_identifier(f"{scale_id}_total")
        low, high = _sum_bounds(scored, items)
        chosen = direction or "higher_is_worse"
        scale: dict[str, Any] = {
            "id": scale_id,
            "title": expression.get("name") or f"Total ({link_id})",
            "rule": "sum",
            "items": scored,
            "missing": {"max_missing": 0},
            "direction": chosen,
            "range": [plain_number(low), plain_number(high)],
        }
        bands = _bands_from(str(expression.get("description", "")), low, high)
        if bands:
            scale["bands"] = bands
        elif expression.get("description"):
            warnings.append(
                f"{where}: the score bands in the expression's description do not cover "
                f"{plain_number(low)}-{plain_number(high)} without gaps; none were kept"
            )
        scales.append(scale)
        warnings.append(
            f"{where}: calculatedExpression read as scale {scale_id!r}, the sum of "
            f"{len(scored)} items' weights, scored only when every item is answered; "
            + (
                f"direction {chosen} as given"
                if direction
                else "FHIR does not say which way is better: higher is worse assumed "
                "(a sum of symptom weights); pass the direction if it is the other way"
            )
        )
    return scales


def _sum_bounds(scored: list[str], items: list[dict[str, Any]]) -> tuple[float, float]:
    by_id = {item["id"]: item["response"] for item in items}
    low = high = 0.0
    for item_id in scored:
        response = by_id[item_id]
        if response["type"] == "yes_no":
            high += 1
        else:
            low += float(response["min"])
            high += float(response["max"])
    return low, high


def _bands_from(description: str, low: float, high: float) -> list[dict[str, Any]]:
    """Bands written in a description (``0-4: Minimal; 5-9: Mild``) if they tile the range.

    Whole-number ranges as a form writes them (``0-4``, ``5-9``) become Alliance's half-open
    bands (``[0, 5)``, ``[5, 10)``, the last closed), with the source's text kept as the
    published range.
    """
    found = [(float(a), float(b), label.strip()) for a, b, label in _BAND.findall(description)]
    if not found or any(a > b for a, b, _ in found):
        return []
    found.sort()
    if found[0][0] != low or found[-1][1] != high:
        return []
    if any(nxt[0] != prev[1] + 1 for prev, nxt in itertools.pairwise(found)):
        return []
    if len({label for _, _, label in found}) != len(found):
        return []
    bands = []
    for j, (a, b, label) in enumerate(found):
        upper = found[j + 1][0] if j + 1 < len(found) else b
        bands.append(
            {
                "label": label,
                "min": plain_number(a),
                "max": plain_number(upper),
                "published": f"{plain_number(a)}-{plain_number(b)}",
            }
        )
    if any(band["min"] >= band["max"] for band in bands):
        return []
    return bands


def _number_or_none(text: object) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _extension(holder: Mapping[str, Any], url: str) -> dict[str, Any] | None:
    for ext in holder.get("extension", []):
        if ext.get("url") == url:
            found: dict[str, Any] = ext
            return found
    return None


def _extension_number(holder: Mapping[str, Any], url: str) -> float | None:
    ext = _extension(holder, url)
    if ext is None:
        return None
    for key in ("valueDecimal", "valueInteger"):
        if key in ext:
            return float(ext[key])
    return None


def _flag(holder: Mapping[str, Any], url: str) -> bool:
    ext = _extension(holder, url)
    return bool(ext is not None and ext.get("valueBoolean"))


def _from_scoring_extension(ext: Mapping[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    try:
        rest = json.loads(ext.get("valueString", ""))
    except json.JSONDecodeError as exc:
        raise InterchangeError("extension instrument-scoring", f"not valid JSON: {exc}") from None
    if not isinstance(rest, dict):
        raise InterchangeError("extension instrument-scoring", "not a JSON object")
    return {**rest, "items": items}


def _from_plain_questionnaire(
    questionnaire: Mapping[str, Any],
    items: list[dict[str, Any]],
    warnings: list[str],
    totals: list[dict[str, Any]],
    given_id: str | None,
) -> dict[str, Any]:
    name = questionnaire.get("name") or questionnaire.get("id") or ""
    instrument_id = given_id or alliance_instrument_id(questionnaire) or _derived_id(questionnaire)
    source = questionnaire.get("url") or questionnaire.get("id") or "(no url)"
    version = questionnaire.get("version")
    if totals:
        scales = totals
    else:
        total, warning = provisional_total(items)
        warnings.append(warning)
        scales = [total]
    warnings.append(
        "licence, respondent and target are not in a Questionnaire: assumed "
        "permission_required, participant and 'self'; validated_externally false"
    )
    if version is None:
        warnings.append("no version: '1' assumed")
    return {
        "id": instrument_id,
        "version": version or "1",
        "title": questionnaire.get("title") or name or instrument_id,
        "citation": questionnaire.get("description")
        or f"Imported from FHIR Questionnaire {source}",
        "licence": {
            "status": "permission_required",
            "note": questionnaire.get("copyright")
            or "Licence not stated in the source Questionnaire; check before use.",
        },
        "items_bundled": all("text" in item for item in items),
        "respondent": "participant",
        "target": "self",
        "validated_externally": False,
        "notes": f"Imported from FHIR Questionnaire {source}.",
        "items": items,
        "scales": scales,
    }


def _derived_id(questionnaire: Mapping[str, Any]) -> str:
    """An instrument id from the source's own name, url, id or title, in that order."""
    url = str(questionnaire.get("url") or "").rstrip("/")
    for candidate in (
        questionnaire.get("name"),
        url.rsplit("/", 1)[-1] if url else None,
        questionnaire.get("id"),
        questionnaire.get("title"),
    ):
        if candidate and re.search(r"[A-Za-z0-9]", str(candidate)):
            return to_identifier(str(candidate))
    raise InterchangeError(
        "name",
        "the Questionnaire has no name, url, id or title to make an instrument id from; "
        "give one with --id",
    )


def fhir_id(instrument_id: str) -> str:
    """A FHIR resource id for an Alliance id (FHIR ids allow ``-`` but not ``_``)."""
    return instrument_id.replace("_", "-")


def questionnaire_url(definition: InstrumentDefinition) -> str:
    return f"{BASE}/Questionnaire/{fhir_id(definition.id)}"


def export_questionnaire(definition: InstrumentDefinition) -> dict[str, Any]:
    """The definition as a FHIR R4 Questionnaire (JSON object).

    Item text appears only where the definition has it (bundled wording or a loaded pack).
    The scoring facts that FHIR has no element for travel in the ``instrument-scoring``
    extension as the definition's JSON without its items, so :func:`import_questionnaire`
    gives back an equal definition.
    """
    rest = definition_to_dict(definition)
    del rest["items"]
    name = "".join(part.capitalize() for part in definition.id.split("_"))
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": fhir_id(definition.id),
        "extension": [{"url": EXT_SCORING, "valueString": json.dumps(rest, ensure_ascii=False)}],
        "url": questionnaire_url(definition),
        "identifier": [{"system": INSTRUMENT_ID_SYSTEM, "value": definition.id}],
        "version": definition.version,
        "name": name,
        "title": definition.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": definition.citation,
        "copyright": definition.licence.note,
        "item": [_export_item(item) for item in definition.items],
    }
    return validated_resource("Questionnaire", resource)


def _export_item(item: Item) -> dict[str, Any]:
    response = item.response
    out: dict[str, Any] = {"linkId": item.id}
    if item.text is not None:
        out["text"] = item.text
    extensions: list[dict[str, Any]] = []
    kind = response.kind
    if kind is ResponseKind.FREE_TEXT:
        out["type"] = "text"
    elif kind is ResponseKind.YES_NO:
        out["type"] = "boolean"
    elif kind is ResponseKind.LIKERT:
        out["type"] = "choice"
        out["answerOption"] = _likert_options(item)
    else:
        assert response.min is not None
        assert response.max is not None
        integer = kind is ResponseKind.NUMBER and response.step is not None
        out["type"] = "integer" if integer else "decimal"
        key = "valueInteger" if integer else "valueDecimal"
        extensions += [
            {"url": EXT_MIN_VALUE, key: plain_number(response.min)},
            {"url": EXT_MAX_VALUE, key: plain_number(response.max)},
        ]
        if kind is ResponseKind.VAS and response.anchors:
            labels = {str(value): label for value, label in response.anchors}
            extensions.append({"url": EXT_ANCHORS, "valueString": json.dumps(labels)})
        if kind is ResponseKind.VAS:
            extensions += [
                {"url": EXT_MAX_DECIMALS, "valueInteger": 1},
                {
                    "url": EXT_ITEM_CONTROL,
                    "valueCodeableConcept": {
                        "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "slider"}]
                    },
                },
            ]
    if item.reverse:
        extensions.append({"url": EXT_REVERSE, "valueBoolean": True})
    if item.filler:
        extensions.append({"url": EXT_FILLER, "valueBoolean": True})
    if extensions:
        out["extension"] = extensions
    return out


def _likert_options(item: Item) -> list[dict[str, Any]]:
    response = item.response
    assert response.min is not None
    assert response.max is not None
    low, high = int(response.min), int(response.max)
    anchors = dict(response.anchors)
    options = []
    for value in range(low, high + 1):
        coding: dict[str, Any] = {"code": str(value)}
        if value in anchors:
            coding["display"] = anchors[value]
        keyed = low + high - value if item.reverse else value
        options.append(
            {"extension": [{"url": EXT_ITEM_WEIGHT, "valueDecimal": keyed}], "valueCoding": coding}
        )
    return options


def validated_resource(resource_type: str, resource: dict[str, Any]) -> dict[str, Any]:
    """Check a resource we built against the R4B model; return it as plain JSON."""
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(resource_type).model_validate(resource)
    out: dict[str, Any] = json.loads(model.model_dump_json(exclude_none=True))
    return out
