"""The built-in practices in a man's language, with a visible fallback.

A built-in practice (no organization, a slug of :data:`alliance.practice.library.LIBRARY`)
has wording in English, Spanish and Canadian French (``library_es``, ``library_fr``). A
practice an agency wrote or edited is shown as the agency wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliance.practice.models import Practice


@dataclass(frozen=True)
class Wording:
    title: str
    purpose: str
    steps: tuple[str, ...]
    script: str


@dataclass(frozen=True)
class ShownPractice:
    """What his phone shows of a practice."""

    title: str
    purpose: str
    step_list: list[str]
    script: str
    minutes: int
    audio_url: str
    #: A built-in shown in English because it has no wording in his language yet.
    fallback: bool = False


def wording_in(language: str) -> dict[str, Wording]:
    from alliance.practice.library_es import SPANISH
    from alliance.practice.library_fr import FRENCH

    return {"es": SPANISH, "fr-ca": FRENCH}.get(language, {})


def _is_built_in_as_shipped(practice: Practice) -> bool:
    from alliance.practice.library import LIBRARY

    shipped = {p.slug: p for p in LIBRARY}.get(practice.slug)
    return (
        practice.organization_id is None
        and shipped is not None
        and practice.title == shipped.title
        and practice.purpose == shipped.purpose
    )


def practice_in(practice: Practice, language: str | None) -> ShownPractice:
    own = ShownPractice(
        title=practice.title,
        purpose=practice.purpose,
        step_list=practice.step_list,
        script=practice.script,
        minutes=practice.minutes,
        audio_url=practice.audio_url,
    )
    if not language or language == "en" or not _is_built_in_as_shipped(practice):
        return own
    wording = wording_in(language).get(practice.slug)
    if wording is None:
        return ShownPractice(**{**own.__dict__, "fallback": True})
    return ShownPractice(
        title=wording.title,
        purpose=wording.purpose,
        step_list=list(wording.steps),
        script=wording.script,
        minutes=practice.minutes,
        audio_url=practice.audio_url,
    )
