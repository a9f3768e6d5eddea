"""Which instrument definitions the web side can administer, and how items are labelled."""

from __future__ import annotations

from dataclasses import dataclass

from alliance.core.instruments import (
    Confidentiality,
    InstrumentDefinition,
    Item,
    Scale,
    get_bundled,
    iter_bundled,
)


def definition_for(instrument_id: str, version: str | None = None) -> InstrumentDefinition:
    """The bundled definition ``instrument_id``; with ``version``, refuse any other version.

    Raises
    ------
    LookupError
        Naming the id (and version) that is not available.
    """
    try:
        definition = get_bundled(instrument_id)
    except KeyError as exc:
        raise LookupError(str(exc.args[0])) from None
    if version is not None and definition.version != version:
        raise LookupError(
            f"{instrument_id} version {version} is not installed (installed: {definition.version})"
        )
    return definition


def administrable() -> list[InstrumentDefinition]:
    """Definitions a man or a facilitator can fill in here (participant or facilitator forms)."""
    return [d for d in iter_bundled() if d.respondent.value in ("participant", "facilitator")]


def has_wording(definition: InstrumentDefinition, language: str) -> bool:
    """Whether a man can be asked ``definition`` in ``language`` on his phone or the kiosk: its
    items have bundled wording, in his language or as a translation. Without it his page
    would read "Item 1 … Item N" (usability finding D2): such an instrument is entered from a
    paper form only."""
    if not definition.items_bundled or not all(item.text for item in definition.items):
        return False
    return language == DEFINITION_LANGUAGE or language in definition.translations


def item_label(definition: InstrumentDefinition, item: Item) -> str:
    """The item's wording, or "Item N" when the definition ships without wording."""
    if item.text:
        return item.text
    return f"Item {definition.items.index(item) + 1}"


#: The language bundled and imported definitions are written in.
DEFINITION_LANGUAGE = "en"


@dataclass(frozen=True)
class Wording:
    text: str
    anchors: dict[int, str]
    #: True when the item is shown in the definition's own language because it has no
    #: wording in the one asked for (pages say so: never a silent fallback).
    fallback: bool


def item_wording(definition: InstrumentDefinition, item: Item, language: str) -> Wording:
    """The item's text and anchors in ``language``, or its own with ``fallback`` set."""
    own = Wording(item_label(definition, item), dict(item.response.anchors), False)
    if language == DEFINITION_LANGUAGE:
        return own
    translation = definition.translations.get(language)
    wording = translation.items.get(item.id) if translation is not None else None
    if wording is None:
        return Wording(own.text, own.anchors, fallback=bool(item.text))
    return Wording(wording.text, dict(wording.anchors) or own.anchors, False)


def title_in(definition: InstrumentDefinition, language: str) -> str:
    translation = definition.translations.get(language)
    return translation.title if translation is not None else definition.title


def scale_title(definition: InstrumentDefinition, scale: Scale) -> str:
    """The instrument's title, with the scale's when the instrument has several."""
    if len(definition.scales) == 1:
        return definition.title
    return f"{definition.title}: {scale.title}"


def therapeutic_titles() -> list[tuple[str, str]]:
    """(id, title) of every bundled therapeutic instrument."""
    return [
        (d.id, d.title) for d in iter_bundled() if d.confidentiality is Confidentiality.THERAPEUTIC
    ]
