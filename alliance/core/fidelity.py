"""The project-authored fidelity checklist for observing a group, and how it is scored.

**Project-authored, not externally validated.** The items describe compassion-informed
facilitation as Alliance's design states it (``DESIGN.md``: connection against isolation,
accountability from a context that is safe but not too safe, never from shame, facilitators who
practise what they teach) and the evidence summarised in ``shared/research/bip_standards.md``
§3 gap 10 and §4: confrontational tactics hinder the alliance (Taft & Murphy 2007);
motivational interviewing raises constructive in-session behaviour (Musser et al. 2008).
No reliability or validity has been established; a score is a conversation starter for
supervision, never a performance rating.

Each item is scored 0, 1 or 2 against its anchors. The summary is the sum and the share of the
maximum over the items scored (an item may be left unscored when the session gave no occasion
for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SCORES = (0, 1, 2)


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    #: What 0, 1 and 2 look like.
    anchors: tuple[str, str, str]


@dataclass(frozen=True)
class Checklist:
    key: str
    version: str
    title: str
    note: str
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


DEFAULT = Checklist(
    key="alliance_facilitation",
    version="1.0.0",
    title="Compassion-informed facilitation",
    note="Project-authored, not externally validated. For reflective supervision only.",
    items=(
        Item(
            "welcome",
            "Welcomed each man by name and noticed who was missing, without blame.",
            (
                "Started without greeting; absences met with blame or not noticed.",
                "Greeted the group; some men or absences not acknowledged.",
                "Each man welcomed; absences named with care and followed up.",
            ),
        ),
        Item(
            "accountability_without_shaming",
            "Invited accountability without shaming.",
            (
                "Labelled, lectured or mocked a man, or let the group do so.",
                "Asked for accountability, at times with a sharp or cold edge.",
                "Invited him to name his own behaviour with warmth and firmness.",
            ),
        ),
        Item(
            "safe_not_too_safe",
            "Kept the room safe but not too safe: challenged minimising and blaming.",
            (
                "Minimising, denial or blaming went unchallenged, or challenge felt threatening.",
                "Some challenge, unevenly, or only of some men.",
                "Named minimising and blaming gently and stayed with the discomfort.",
            ),
        ),
        Item(
            "curiosity",
            "Asked open questions and reflected before advising (motivational stance).",
            (
                "Mostly told, argued or advised.",
                "A mix of open questions and telling.",
                "Open questions and reflections led; advice only when asked or needed.",
            ),
        ),
        Item(
            "compassion_modelled",
            "Modelled compassion, for the men and for himself (tone, pace, repair after a "
            "rupture).",
            (
                "Dismissive or irritated; no repair after a rupture.",
                "Mostly warm; a rupture left unrepaired.",
                "Warm and steady; ruptures noticed and repaired.",
            ),
        ),
        Item(
            "practice_taught",
            "Taught or practised a skill in the room (breathing space, time-out, perspective "
            "taking).",
            (
                "No skill taught or practised.",
                "A skill named or explained but not practised.",
                "A skill practised together, with homework linked to it.",
            ),
        ),
        Item(
            "connection",
            "Built connection between men (invited peer support, not only facilitator talk).",
            (
                "Men spoke only to the facilitator, or peers were shut down.",
                "Some peer exchange, mostly facilitator-led.",
                "Men supported and challenged each other respectfully.",
            ),
        ),
        Item(
            "safety_attention",
            "Stayed alert to partner safety: followed up risk signs, and kept partner "
            "information out of the room.",
            (
                "A risk sign passed without follow-up, or partner information was disclosed.",
                "Risk signs noted, follow-up unclear.",
                "Risk signs followed up through the safety procedure; nothing of hers shared.",
            ),
        ),
    ),
)

CHECKLISTS: dict[str, Checklist] = {DEFAULT.key: DEFAULT}


@dataclass(frozen=True)
class Summary:
    total: int
    maximum: int
    scored: int

    @property
    def share(self) -> float | None:
        return None if self.maximum == 0 else self.total / self.maximum


def validate_scores(checklist: Checklist, scores: Mapping[str, int | None]) -> dict[str, int]:
    """The scored items only, checked: every key an item, every score 0, 1 or 2."""
    clean: dict[str, int] = {}
    known = {item.id for item in checklist.items}
    for key, value in scores.items():
        if key not in known:
            raise ValueError(f"{key!r} is not an item of {checklist.title!r}")
        if value is None:
            continue
        if value not in SCORES:
            raise ValueError(f"{checklist.item(key).text!r}: score must be 0, 1 or 2")
        clean[key] = int(value)
    return clean


def summarise(checklist: Checklist, scores: Mapping[str, int]) -> Summary:
    clean = validate_scores(checklist, scores)
    return Summary(total=sum(clean.values()), maximum=2 * len(clean), scored=len(clean))
