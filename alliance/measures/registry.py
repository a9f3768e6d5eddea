"""Which instrument definitions the web side can administer, and how items are labelled."""

from __future__ import annotations

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


def item_label(definition: InstrumentDefinition, item: Item) -> str:
    """The item's wording, or "Item N" when the definition ships without wording."""
    if item.text:
        return item.text
    return f"Item {definition.items.index(item) + 1}"


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
