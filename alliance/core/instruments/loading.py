"""Load and check instrument definitions.

:func:`load_definition` is the only way in: it validates the JSON against
``instrument-definition.schema.json`` (bundled with this package; the same file as
``docs/instrument-definition.schema.json``), then makes the checks a schema cannot express, and
only then builds the frozen :class:`InstrumentDefinition`. Every failure is a
:class:`DefinitionError` whose message starts with the JSON path of the offending field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from alliance.core.instruments.definition import (
    Band,
    Confidentiality,
    Direction,
    InstrumentDefinition,
    Item,
    ItemWording,
    Licence,
    LicenceStatus,
    MissingRule,
    NormKind,
    NormSet,
    ReliableChangeSpec,
    Respondent,
    ResponseKind,
    ResponseType,
    Rule,
    Scale,
    Translation,
)

SCHEMA_FILE = "instrument-definition.schema.json"

# Scores and band edges are compared after rounding away float noise below this size.
_TOLERANCE = 1e-9


class DefinitionError(ValueError):
    """A definition failed the schema or a semantic check.

    ``path`` is the JSON path of the field (``"scales[2].bands"``), ``problem`` what is wrong.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path or "(root)"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema for instrument definitions (draft 2020-12), as a dict."""
    text = resources.files("alliance.core.instruments").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def format_path(parts: Sequence[str | int]) -> str:
    """Render ``["scales", 2, "bands"]`` as ``"scales[2].bands"``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def load_definition(source: str | bytes | Mapping[str, Any]) -> InstrumentDefinition:
    """Validate a definition and build it.

    Parameters
    ----------
    source
        JSON text, or an already-parsed JSON object.

    Returns
    -------
    InstrumentDefinition

    Raises
    ------
    DefinitionError
        If the text is not JSON, fails the schema, or fails a semantic check (unknown or
        duplicate ids, reverse keys on free-text items, bands with a gap or overlap or not
        covering the reachable range, a declared range that differs from the reachable one,
        reliable-change parameters naming a missing norm set, ...).
    """
    if isinstance(source, str | bytes):
        try:
            obj: Any = json.loads(source)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            # Bytes that are not UTF-8/16/32 fail before JSON parsing starts.
            raise DefinitionError("", f"not valid JSON: {exc}") from None
    else:
        obj = source
    error = best_match(_validator().iter_errors(obj))
    if error is not None:
        raise DefinitionError(format_path(list(error.absolute_path)), error.message)
    return _build(obj)


def _build(obj: Mapping[str, Any]) -> InstrumentDefinition:
    items = tuple(_build_item(raw, i) for i, raw in enumerate(obj["items"]))
    _check_unique([item.id for item in items], "items", "item")
    by_id = {item.id: item for item in items}
    raw_scales: list[Mapping[str, Any]] = obj["scales"]
    _check_unique([raw["id"] for raw in raw_scales], "scales", "scale")
    item_rule = {raw["id"]: Rule(raw["rule"]).uses_items for raw in raw_scales}
    scales = tuple(_build_scale(raw, i, by_id, item_rule) for i, raw in enumerate(raw_scales))
    by_scale = {scale.id: scale for scale in scales}
    for i, scale in enumerate(scales):
        low, high = _reachable(scale, by_id, by_scale)
        if not (_close(low, scale.range_min) and _close(high, scale.range_max)):
            raise DefinitionError(
                f"scales[{i}].range",
                f"declared [{_num(scale.range_min)}, {_num(scale.range_max)}] but the reachable "
                f"range is [{_num(low)}, {_num(high)}]",
            )
        _check_bands(scale, f"scales[{i}].bands")
    return InstrumentDefinition(
        id=obj["id"],
        version=obj["version"],
        title=obj["title"],
        citation=obj["citation"],
        licence=Licence(LicenceStatus(obj["licence"]["status"]), obj["licence"]["note"]),
        items_bundled=obj["items_bundled"],
        respondent=Respondent(obj["respondent"]),
        target=obj["target"],
        validated_externally=obj["validated_externally"],
        items=items,
        scales=scales,
        confidentiality=Confidentiality(obj.get("confidentiality", "therapeutic")),
        notes=obj.get("notes", ""),
        translations=_build_translations(obj.get("translations", {}), by_id),
    )


def _build_translations(
    raw: Mapping[str, Any], items: Mapping[str, Item]
) -> dict[str, Translation]:
    out = {}
    for language, wording in raw.items():
        for item_id in wording["items"]:
            if item_id not in items:
                raise DefinitionError(
                    f"translations.{language}.items.{item_id}", "no item has this id"
                )
        out[language] = Translation(
            title=wording["title"],
            items={
                item_id: ItemWording(
                    text=w["text"],
                    anchors=tuple(sorted((int(k), v) for k, v in w.get("anchors", {}).items())),
                )
                for item_id, w in wording["items"].items()
            },
        )
    return out


def _build_item(raw: Mapping[str, Any], index: int) -> Item:
    path = f"items[{index}]"
    response = _build_response(raw["response"], f"{path}.response")
    reverse = bool(raw.get("reverse", False))
    filler = bool(raw.get("filler", False))
    if reverse and not response.numeric:
        raise DefinitionError(f"{path}.reverse", "reverse key on a free_text item")
    if reverse and filler:
        raise DefinitionError(f"{path}.reverse", "filler items are not scored; drop the key")
    return Item(raw["id"], raw.get("text"), response, reverse, filler)


def _build_response(raw: Mapping[str, Any], path: str) -> ResponseType:
    kind = ResponseKind(raw["type"])
    if kind is ResponseKind.FREE_TEXT:
        return ResponseType(kind, None, None, None)
    if kind is ResponseKind.YES_NO:
        return ResponseType(kind, 0.0, 1.0, 1.0)
    if kind is ResponseKind.VAS:
        low, high = 0.0, 10.0
        step: float | None = 0.1
    else:
        low, high = float(raw["min"]), float(raw["max"])
        integer = kind is ResponseKind.LIKERT or bool(raw.get("integer", False))
        step = 1.0 if integer else None
        if kind is ResponseKind.NUMBER and integer and not (low.is_integer() and high.is_integer()):
            raise DefinitionError(path, "an integer number item needs integer min and max")
    if not low < high:
        raise DefinitionError(f"{path}.max", f"max {_num(high)} is not above min {_num(low)}")
    anchors: list[tuple[int, str]] = []
    for key, label in raw.get("anchors", {}).items():
        value = int(key)
        if not low <= value <= high:
            raise DefinitionError(
                f"{path}.anchors.{key}", f"anchor outside the range {_num(low)}..{_num(high)}"
            )
        anchors.append((value, label))
    return ResponseType(kind, low, high, step, tuple(sorted(anchors)))


def _build_scale(
    raw: Mapping[str, Any],
    index: int,
    items: Mapping[str, Item],
    item_rule: Mapping[str, bool],
) -> Scale:
    path = f"scales[{index}]"
    rule = Rule(raw["rule"])
    scale_items: list[str] = raw.get("items", [])
    subscales: list[str] = raw.get("subscales", [])
    weights: list[float] = raw.get("weights", [])
    missing: MissingRule | None = None
    if rule.uses_items:
        for key in ("subscales", "weights"):
            if key in raw:
                raise DefinitionError(f"{path}.{key}", f"rule {rule.value!r} scores items")
        if not scale_items:
            raise DefinitionError(f"{path}.items", f"rule {rule.value!r} needs at least one item")
        _check_scale_items(scale_items, items, f"{path}.items")
        if "missing" not in raw:
            raise DefinitionError(f"{path}.missing", f"rule {rule.value!r} needs a missing rule")
        missing = MissingRule(
            raw["missing"].get("min_proportion_answered"), raw["missing"].get("max_missing")
        )
        if rule is Rule.SUM and missing.allows_missing(len(scale_items)):
            raise DefinitionError(
                f"{path}.missing",
                "a plain sum cannot allow missing items; use prorated_sum or mean",
            )
    else:
        for key in ("items", "missing"):
            if key in raw:
                raise DefinitionError(
                    f"{path}.{key}",
                    f"rule {rule.value!r} combines subscales; it has no {key} of its own",
                )
        _check_components(raw["id"], subscales, item_rule, f"{path}.subscales")
        if rule is Rule.WEIGHTED_SUM_OF_SUBSCALES and len(weights) != len(subscales):
            raise DefinitionError(
                f"{path}.weights", f"needs one weight per subscale ({len(subscales)})"
            )
        if rule is Rule.MEAN_OF_SUBSCALE_MEANS and weights:
            raise DefinitionError(f"{path}.weights", "a mean of subscale means takes no weights")
    norms = tuple(
        NormSet(
            name=n["name"],
            kind=NormKind(n["kind"]),
            mean=n["mean"],
            sd=n["sd"],
            reliability=n["reliability"],
            n=n["n"],
            source=n["source"],
        )
        for n in raw.get("norms", [])
    )
    _check_unique([n.name for n in norms], f"{path}.norms", "norm set")
    bands = tuple(
        Band(b["label"], float(b["min"]), float(b["max"]), b.get("published"))
        for b in raw.get("bands", [])
    )
    _check_unique([b.label for b in bands], f"{path}.bands", "band label")
    reliable = _build_reliable_change(raw.get("reliable_change"), norms, f"{path}.reliable_change")
    return Scale(
        id=raw["id"],
        title=raw["title"],
        rule=rule,
        direction=Direction(raw["direction"]),
        range_min=float(raw["range"][0]),
        range_max=float(raw["range"][1]),
        items=tuple(scale_items),
        subscales=tuple(subscales),
        weights=tuple(float(w) for w in weights),
        multiplier=float(raw.get("multiplier", 1.0)),
        missing=missing,
        norms=norms,
        bands=bands,
        reliable_change=reliable,
    )


def _check_scale_items(scale_items: Sequence[str], items: Mapping[str, Item], path: str) -> None:
    seen: set[str] = set()
    for j, item_id in enumerate(scale_items):
        where = f"{path}[{j}]"
        if item_id not in items:
            raise DefinitionError(where, f"unknown item {item_id!r}")
        if item_id in seen:
            raise DefinitionError(where, f"item {item_id!r} is listed twice")
        seen.add(item_id)
        item = items[item_id]
        if item.filler:
            raise DefinitionError(where, f"item {item_id!r} is a filler and is not scored")
        if not item.response.numeric:
            raise DefinitionError(where, f"item {item_id!r} is free_text and cannot be scored")


def _check_components(
    scale_id: str, subscales: Sequence[str], item_rule: Mapping[str, bool], path: str
) -> None:
    if not subscales:
        raise DefinitionError(path, "needs at least one subscale")
    if len(set(subscales)) != len(subscales):
        raise DefinitionError(path, "a subscale is listed twice")
    for j, sub in enumerate(subscales):
        if sub not in item_rule:
            raise DefinitionError(f"{path}[{j}]", f"unknown scale {sub!r}")
        if sub == scale_id or not item_rule[sub]:
            raise DefinitionError(
                f"{path}[{j}]", f"scale {sub!r} is not scored from items; only one level is allowed"
            )


def _build_reliable_change(
    raw: Mapping[str, Any] | None, norms: Sequence[NormSet], path: str
) -> ReliableChangeSpec | None:
    if raw is None:
        return None
    by_name = {n.name: n for n in norms}
    spec = ReliableChangeSpec(
        raw["norm_set"],
        float(raw.get("criterion", 1.96)),
        raw.get("clinical_norm_set"),
        raw.get("functional_norm_set"),
    )
    if spec.norm_set not in by_name:
        raise DefinitionError(f"{path}.norm_set", f"no norm set named {spec.norm_set!r}")
    if by_name[spec.norm_set].reliability is None:
        raise DefinitionError(f"{path}.norm_set", f"norm set {spec.norm_set!r} has no reliability")
    for key, name, kind in (
        ("clinical_norm_set", spec.clinical_norm_set, NormKind.CLINICAL),
        ("functional_norm_set", spec.functional_norm_set, NormKind.FUNCTIONAL),
    ):
        if name is None:
            continue
        norm = by_name.get(name)
        if norm is None:
            raise DefinitionError(f"{path}.{key}", f"no norm set named {name!r}")
        if norm.kind is not kind or norm.mean is None or norm.sd is None:
            raise DefinitionError(
                f"{path}.{key}", f"norm set {name!r} must be {kind.value} with a mean and SD"
            )
    return spec


def _check_unique(values: Sequence[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            suffix = ".id" if what in ("item", "scale") else ""
            raise DefinitionError(f"{path}[{i}]{suffix}", f"duplicate {what} {value!r}")
        seen.add(value)


def _check_bands(scale: Scale, path: str) -> None:
    bands = scale.bands
    if not bands:
        return
    for j, band in enumerate(bands):
        if not band.min < band.max:
            raise DefinitionError(
                f"{path}[{j}]", f"band {band.label!r} has min {_num(band.min)} >= max"
            )
    if not _close(bands[0].min, scale.range_min):
        raise DefinitionError(
            path,
            f"bands start at {_num(bands[0].min)}, not at the scale minimum "
            f"{_num(scale.range_min)}",
        )
    if not _close(bands[-1].max, scale.range_max):
        raise DefinitionError(
            path,
            f"bands end at {_num(bands[-1].max)}, not at the scale maximum {_num(scale.range_max)}",
        )
    for prev, nxt in pairwise(bands):
        if _close(prev.max, nxt.min):
            continue
        kind = "gap" if prev.max < nxt.min else "overlap"
        raise DefinitionError(path, f"{kind} between {_num(prev.max)} and {_num(nxt.min)}")


def linear_weights(
    scale: Scale, items: Mapping[str, Item], scales: Mapping[str, Scale]
) -> dict[str, float]:
    """The weight of each item's keyed answer in a fully answered scale score.

    Every rule is linear once all items are answered: ``sum`` gives each item weight
    ``m`` (the multiplier), ``mean`` gives ``m / k`` for a ``k``-item scale, a mean of
    subscale means gives ``m / (J k_j)`` and a weighted sum ``m w_j / k_j`` (mean
    components) or ``m w_j`` (sum components), times each component's own multiplier.
    """
    if scale.rule.uses_items:
        per = scale.multiplier / (len(scale.items) if scale.rule is Rule.MEAN else 1)
        return {item_id: per for item_id in scale.items}
    if scale.rule is Rule.MEAN_OF_SUBSCALE_MEANS:
        factors = [1.0 / len(scale.subscales)] * len(scale.subscales)
    else:
        factors = list(scale.weights)
    out: dict[str, float] = {}
    for sub_id, factor in zip(scale.subscales, factors, strict=True):
        for item_id, w in linear_weights(scales[sub_id], items, scales).items():
            out[item_id] = out.get(item_id, 0.0) + scale.multiplier * factor * w
    return out


def _reachable(
    scale: Scale, items: Mapping[str, Item], scales: Mapping[str, Scale]
) -> tuple[float, float]:
    low = high = 0.0
    for item_id, w in linear_weights(scale, items, scales).items():
        response = items[item_id].response
        assert response.min is not None
        assert response.max is not None
        ends = (w * response.min, w * response.max)
        low += min(ends)
        high += max(ends)
    return round(low, 9), round(high, 9)


def reachable_range(definition: InstrumentDefinition, scale_id: str) -> tuple[float, float]:
    """The lowest and highest score a scale can take (equals its declared range)."""
    scale = definition.scale(scale_id)
    items = {item.id: item for item in definition.items}
    scales = {s.id: s for s in definition.scales}
    return _reachable(scale, items, scales)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.0, abs_tol=_TOLERANCE)


def _num(value: float) -> str:
    return f"{value:g}"
