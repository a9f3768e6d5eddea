"""Definitions back to JSON, and what the importers share.

:func:`definition_to_dict` is the inverse of :func:`load_definition`:
``load_definition(definition_to_dict(d)) == d`` for every valid definition. The importers build
a definition as a JSON object and pass it through :func:`load_definition`, so an imported
definition obeys exactly the rules a hand-written one does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from alliance.core.instruments.definition import (
    Band,
    InstrumentDefinition,
    Item,
    NormSet,
    ResponseKind,
    ResponseType,
    Scale,
)

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

PROVISIONAL_MIN_PROPORTION = 0.75
"""Missing rule of a provisional total: the project's 75 % convention (docs/instruments.md)."""


class InterchangeError(ValueError):
    """An import or pack failed; nothing was produced.

    ``where`` names the place (``"line 7, column 'Field Type'"``, ``"item[2].answerOption[0]"``)
    and ``problem`` what is wrong. ``problems`` holds every ``(where, problem)`` found when more
    than one was collected before giving up; the message shows the first.
    """

    def __init__(self, where: str, problem: str, *, more: tuple[tuple[str, str], ...] = ()) -> None:
        self.where = where
        self.problem = problem
        self.problems = ((where, problem), *more)
        extra = f" (and {len(more)} more)" if more else ""
        super().__init__(f"{where}: {problem}{extra}")

    @classmethod
    def collected(cls, problems: list[tuple[str, str]]) -> InterchangeError:
        first, *rest = problems
        return cls(first[0], first[1], more=tuple(rest))


@dataclass(frozen=True)
class NotImported:
    """A field of the source that has no place in the definition (a calculated field, ...)."""

    field: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field!r} not imported: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    """An imported definition with what the importer had to leave out or assume.

    ``item_ids`` maps each source field name (REDCap variable, FHIR linkId) to the item id it
    became; they differ only when the source name is not a valid Alliance identifier.
    """

    definition: InstrumentDefinition
    warnings: tuple[str, ...]
    not_imported: tuple[NotImported, ...]
    item_ids: tuple[tuple[str, str], ...] = ()


def definition_to_dict(definition: InstrumentDefinition) -> dict[str, Any]:
    """The JSON object that :func:`load_definition` turns back into ``definition``.

    Optional fields at their defaults (``reverse: false``, ``multiplier: 1``, empty ``notes``,
    null ``text``) are left out; whole-number floats are written as integers.
    """
    out: dict[str, Any] = {
        "id": definition.id,
        "version": definition.version,
        "title": definition.title,
        "citation": definition.citation,
        "licence": {"status": definition.licence.status.value, "note": definition.licence.note},
        "items_bundled": definition.items_bundled,
        "respondent": definition.respondent.value,
        "target": definition.target,
        "confidentiality": definition.confidentiality.value,
        "validated_externally": definition.validated_externally,
    }
    if definition.notes:
        out["notes"] = definition.notes
    out["items"] = [item_to_dict(item) for item in definition.items]
    out["scales"] = [_scale(scale) for scale in definition.scales]
    return out


def item_to_dict(item: Item) -> dict[str, Any]:
    """One item as its JSON object."""
    out: dict[str, Any] = {"id": item.id}
    if item.text is not None:
        out["text"] = item.text
    out["response"] = response_to_dict(item.response)
    if item.reverse:
        out["reverse"] = True
    if item.filler:
        out["filler"] = True
    return out


def response_to_dict(response: ResponseType) -> dict[str, Any]:
    """A response type as its JSON object (only the fields its kind allows)."""
    kind = response.kind
    out: dict[str, Any] = {"type": kind.value}
    if kind in (ResponseKind.LIKERT, ResponseKind.NUMBER):
        assert response.min is not None
        assert response.max is not None
        out["min"] = plain_number(response.min)
        out["max"] = plain_number(response.max)
    if kind is ResponseKind.NUMBER and response.step is not None:
        out["integer"] = True
    if kind in (ResponseKind.LIKERT, ResponseKind.VAS) and response.anchors:
        out["anchors"] = {str(value): label for value, label in response.anchors}
    return out


def _scale(scale: Scale) -> dict[str, Any]:
    out: dict[str, Any] = {"id": scale.id, "title": scale.title, "rule": scale.rule.value}
    if scale.items:
        out["items"] = list(scale.items)
    if scale.subscales:
        out["subscales"] = list(scale.subscales)
    if scale.weights:
        out["weights"] = [plain_number(w) for w in scale.weights]
    if scale.multiplier != 1.0:
        out["multiplier"] = plain_number(scale.multiplier)
    if scale.missing is not None:
        if scale.missing.max_missing is not None:
            out["missing"] = {"max_missing": scale.missing.max_missing}
        else:
            out["missing"] = {"min_proportion_answered": scale.missing.min_proportion_answered}
    out["direction"] = scale.direction.value
    out["range"] = [plain_number(scale.range_min), plain_number(scale.range_max)]
    if scale.norms:
        out["norms"] = [_norm(norm) for norm in scale.norms]
    if scale.bands:
        out["bands"] = [_band(band) for band in scale.bands]
    spec = scale.reliable_change
    if spec is not None:
        reliable: dict[str, Any] = {"norm_set": spec.norm_set, "criterion": spec.criterion}
        if spec.clinical_norm_set is not None:
            reliable["clinical_norm_set"] = spec.clinical_norm_set
        if spec.functional_norm_set is not None:
            reliable["functional_norm_set"] = spec.functional_norm_set
        out["reliable_change"] = reliable
    return out


def _norm(norm: NormSet) -> dict[str, Any]:
    return {
        "name": norm.name,
        "kind": norm.kind.value,
        "mean": norm.mean,
        "sd": norm.sd,
        "reliability": norm.reliability,
        "n": norm.n,
        "source": norm.source,
    }


def _band(band: Band) -> dict[str, Any]:
    out: dict[str, Any] = {
        "label": band.label,
        "min": plain_number(band.min),
        "max": plain_number(band.max),
    }
    if band.published is not None:
        out["published"] = band.published
    return out


def plain_number(value: float) -> int | float:
    """``3.0`` as ``3`` (so JSON reads naturally and integer-only fields accept it)."""
    return int(value) if float(value).is_integer() else float(value)


def is_identifier(text: str) -> bool:
    """Whether ``text`` is a valid item, scale or instrument id (``^[a-z][a-z0-9_]{0,63}$``)."""
    return bool(_IDENTIFIER.match(text))


def to_identifier(text: str, *, prefix: str = "q") -> str:
    """A valid identifier made from ``text``: lower case, other characters as ``_``.

    ``"1.2"`` becomes ``"q1_2"``, ``"Mood-Score"`` ``"mood_score"``. Callers must check the
    results for collisions.
    """
    out = re.sub(r"[^a-z0-9_]+", "_", text.strip().lower()).strip("_")
    if not out or not out[0].isalpha():
        out = prefix + out
    return out[:64]


def provisional_total(items: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """A stand-in ``total`` scale (mean of the numeric, non-filler items) and a warning.

    Data dictionaries and plain questionnaires record the items but not how the form is
    scored, so the importers add this scale to make the definition loadable and say so.

    Raises
    ------
    InterchangeError
        If no item can be scored (a definition needs at least one scale).
    """
    scored = [
        item
        for item in items
        if item["response"]["type"] != ResponseKind.FREE_TEXT.value and not item.get("filler")
    ]
    if not scored:
        raise InterchangeError("items", "no numeric item to score; a definition needs a scale")
    lows, highs = [], []
    for item in scored:
        low, high = _bounds(item["response"])
        lows.append(low)
        highs.append(high)
    k = len(scored)
    # The loader checks the declared range against sum(min_i / k); compute it the same way.
    low_total = round(sum(low / k for low in lows), 9)
    high_total = round(sum(high / k for high in highs), 9)
    scale = {
        "id": "total",
        "title": "Total (provisional: mean of the scored items)",
        "rule": "mean",
        "items": [item["id"] for item in scored],
        "missing": {"min_proportion_answered": PROVISIONAL_MIN_PROPORTION},
        "direction": "higher_is_better",
        "range": [plain_number(low_total), plain_number(high_total)],
    }
    warning = (
        f"scales: the source does not say how it is scored; a provisional 'total' (mean of "
        f"the {k} numeric items, 75% answered, higher is better, no reverse keys) was added: "
        f"replace it with the instrument's own scales before relying on scores"
    )
    if len({(low, high) for low, high in zip(lows, highs, strict=True)}) > 1:
        warning += "; note that the items do not share one response range"
    return scale, warning


def _bounds(response: dict[str, Any]) -> tuple[float, float]:
    kind = ResponseKind(response["type"])
    if kind is ResponseKind.YES_NO:
        return 0.0, 1.0
    if kind is ResponseKind.VAS:
        return 0.0, 10.0
    return float(response["min"]), float(response["max"])
