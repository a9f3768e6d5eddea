"""The definitions shipped with Alliance (scoring facts only; see docs/instruments.md).

They live as JSON files in ``alliance/core/instruments/definitions`` and are read through
:mod:`importlib.resources`, so they work from an installed wheel too.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

from alliance.core.instruments.definition import InstrumentDefinition
from alliance.core.instruments.loading import load_definition

_PACKAGE = "alliance.core.instruments.definitions"


@cache
def _all() -> dict[str, InstrumentDefinition]:
    found: dict[str, InstrumentDefinition] = {}
    for entry in sorted(resources.files(_PACKAGE).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        definition = load_definition(entry.read_text("utf-8"))
        if f"{definition.id}.json" != entry.name:
            raise RuntimeError(f"{entry.name} holds instrument {definition.id!r}")
        found[definition.id] = definition
    return found


def bundled_ids() -> tuple[str, ...]:
    """Ids of every bundled definition, sorted."""
    return tuple(_all())


def iter_bundled() -> Iterator[InstrumentDefinition]:
    """Every bundled definition, in id order."""
    yield from _all().values()


def get_bundled(instrument_id: str) -> InstrumentDefinition:
    """The bundled definition with this id.

    Raises
    ------
    KeyError
        Naming the id and the ids that exist.
    """
    try:
        return _all()[instrument_id]
    except KeyError:
        known = ", ".join(_all())
        raise KeyError(f"no bundled instrument {instrument_id!r}; known: {known}") from None
