"""Bands on the chance of leaving before completion, and which bands prompt outreach.

The cut points are fixed and documented (docs/engagement.md, the model card) so a band means
the same thing on every page and in every program; whether the model's numbers can be trusted
inside each band is checked on held-out men (the reliability table,
:func:`alliance.core.engagement.model.reliability_table`).

Chosen from the domain science (research/domain_science.md §6): about 38% of men who start a
program leave before completing it, and the chance falls as sessions pass (half of all
dropouts by session 4).  So a man still active mid-program is typically well under the 38%
intake base rate:

* **low** (under 15%): below half the base rate; nothing to do beyond the usual.
* **moderate** (15% to under 30%): around the rate of a typical man mid-program; watch.
* **elevated** (30% to under 50%): around or above the base rate at intake for a man who is
  already under way; worth a conversation.
* **high** (50% or more): more likely to leave than to finish; reach out this week.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    name: str
    lower: float  # inclusive
    upper: float  # exclusive (1.0 for the top band includes 1.0)
    label: str
    advice: str
    prompts_outreach: bool


BANDS: tuple[Band, ...] = (
    Band("low", 0.0, 0.15, "Low", "Nothing beyond the usual.", False),
    Band("moderate", 0.15, 0.30, "Moderate", "Keep an eye on him.", False),
    Band("elevated", 0.30, 0.50, "Elevated", "Worth a conversation soon.", True),
    Band("high", 0.50, 1.0, "High", "Reach out this week.", True),
)
BAND_NAMES: tuple[str, ...] = tuple(b.name for b in BANDS)
#: Bands whose men get a "Reach out" button on the list and a weekly alert.
OUTREACH_BANDS: frozenset[str] = frozenset(b.name for b in BANDS if b.prompts_outreach)


def band_for(probability: float) -> str:
    """The band of a chance of leaving before completion (0..1)."""
    for band in reversed(BANDS):
        if probability >= band.lower:
            return band.name
    return BANDS[0].name


def band_of(name: str) -> Band | None:
    return next((b for b in BANDS if b.name == name), None)
