"""The partner report and the partner–self-report discrepancy signal.

The **partner report** is a brief measure the Alliance project wrote for the partner-safety
worker to ask a partner who consented, at her pace and on her channel: four items, each 0–4
with anchors. It is **not externally validated**: no study has tested its reliability or
validity; it records what she says in a consistent form, nothing more.

The **discrepancy signal** compares two trends over the same window: the man's own session
check-outs (his self-report) and her reports. It is raised when his check-outs rise by at least
:data:`HIS_IMPROVEMENT` points while her score does not rise by :data:`HER_IMPROVEMENT` (flat or
worse). Both thresholds are assumptions of this project, not validated cut-offs (see
``docs/partner-safety.md``).

Why it matters: batterer programs look effective on official records but not on partner
reports (Feder & Wilson 2005, d ≈ .26 against d ≈ .01), and about one man in five keeps
re-assaulting through follow-up (Gondolf 2004): his self-reports can improve while the abuse
continues (``bip_standards.md`` §4 idea 5).

References
----------
Feder, L., & Wilson, D. B. (2005). A meta-analytic review of court-mandated batterer
intervention programs. *Journal of Experimental Criminology*, 1(2), 239–262.
Gondolf, E. W. (2004). Evaluating batterer counseling programs: A difficult task showing some
effects and implications. *Aggression and Violent Behavior*, 9(6), 605–631.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


@dataclass(frozen=True)
class ReportItem:
    id: str
    text: str
    #: Anchor for each value 0..4.
    anchors: tuple[str, str, str, str, str]
    #: True when a higher answer means less safety (the score reverses it: 4 - value).
    reverse: bool = False


@dataclass(frozen=True)
class ReportDefinition:
    id: str
    version: str
    title: str
    citation: str
    validated_externally: bool
    items: tuple[ReportItem, ...]
    #: The fewest answered items for a score (she may skip any question).
    min_answered: int
    minimum: int = 0
    maximum: int = 4


PARTNER_REPORT = ReportDefinition(
    id="alliance_partner_report",
    version="1.0.0",
    title="Partner report",
    citation=(
        "Alliance project. Partner report, version 1. Written for the Alliance software; "
        "NOT externally validated: no study has tested its reliability or validity."
    ),
    validated_externally=False,
    items=(
        ReportItem(
            "felt_safety",
            "Since we last spoke, how safe have you felt with him?",
            ("Not at all safe", "A little safe", "Somewhat safe", "Mostly safe", "Completely safe"),
        ),
        ReportItem(
            "controlling",
            "Since we last spoke, how often have you noticed controlling behaviour from him "
            "(checking on you, limiting who you see or what you spend, threats, pressure)?",
            ("Never", "Once or twice", "Sometimes", "Often", "Very often"),
            reverse=True,
        ),
        ReportItem(
            "respectful",
            "Since we last spoke, how often has he spoken to you respectfully, even when you "
            "disagreed?",
            ("Never", "Rarely", "Sometimes", "Mostly", "Always"),
        ),
        ReportItem(
            "change",
            "How much change for the better have you noticed in how he treats you?",
            ("None", "A little", "Some", "A lot", "A great deal"),
        ),
    ),
    min_answered=3,
)

ITEM_IDS = tuple(item.id for item in PARTNER_REPORT.items)

#: His check-out mean (0–10) must rise by at least this much: an assumption, half the
#: check-out's default single-session drop alert (2 points, ``docs/measures.md``), because a
#: mean of several sessions moves less than one session does.
HIS_IMPROVEMENT = 1.0
#: Her score (0–4) counts as improved from this rise: an assumption, one step on two of the
#: four items. Less than this is "flat or worse".
HER_IMPROVEMENT = 0.5
#: Her first and latest report must be at least this far apart (shorter is noise).
MIN_SPAN = dt.timedelta(days=28)
#: His baseline is his check-outs in the four weeks up to her first report; his recent level
#: those in the four weeks up to her latest.
HIS_WINDOW = dt.timedelta(days=28)
#: At least this many of his check-outs in each of the two windows.
MIN_CHECKOUTS = 2
#: Only her reports of the last six months count.
LOOKBACK = dt.timedelta(days=182)


class ReportError(ValueError):
    """An answer the measure cannot take; the message starts with the item it concerns."""


def validate_answers(answers: Mapping[str, int | None]) -> dict[str, int | None]:
    """Each item's answer (None when she did not answer it), checked against the definition."""
    unknown = sorted(set(answers) - set(ITEM_IDS))
    if unknown:
        raise ReportError(f"{unknown[0]}: not an item of the partner report.")
    clean: dict[str, int | None] = {}
    for item in PARTNER_REPORT.items:
        value = answers.get(item.id)
        if value is not None and not (PARTNER_REPORT.minimum <= value <= PARTNER_REPORT.maximum):
            raise ReportError(
                f"{item.id}: the answer must be from {PARTNER_REPORT.minimum} to "
                f"{PARTNER_REPORT.maximum}."
            )
        clean[item.id] = value
    return clean


def score_report(answers: Mapping[str, int | None]) -> float | None:
    """The mean of the answered items on 0–4, higher meaning safer (reverse items reversed);
    None with fewer than :attr:`ReportDefinition.min_answered` answers.

    Worked example: felt safety 3, controlling 1 (reversed: 3), respectful 2, change 2 →
    (3 + 3 + 2 + 2) / 4 = 2.5.
    """
    clean = validate_answers(answers)
    values = [
        (PARTNER_REPORT.maximum - value if item.reverse else value)
        for item in PARTNER_REPORT.items
        if (value := clean[item.id]) is not None
    ]
    if len(values) < PARTNER_REPORT.min_answered:
        return None
    return sum(values) / len(values)


class Signal(StrEnum):
    DISCREPANCY = "discrepancy"
    NONE = "none"
    NOT_ENOUGH = "not_enough"


@dataclass(frozen=True)
class DatedScore:
    on: dt.date
    value: float


@dataclass(frozen=True)
class Discrepancy:
    signal: Signal
    #: Why, in plain words (never her answers).
    reason: str
    her_first: DatedScore | None = None
    her_latest: DatedScore | None = None
    his_baseline: float | None = None
    his_recent: float | None = None
    his_baseline_count: int = 0
    his_recent_count: int = 0

    @property
    def her_change(self) -> float | None:
        if self.her_first is None or self.her_latest is None:
            return None
        return self.her_latest.value - self.her_first.value

    @property
    def his_change(self) -> float | None:
        if self.his_baseline is None or self.his_recent is None:
            return None
        return self.his_recent - self.his_baseline

    @property
    def flagged(self) -> bool:
        return self.signal == Signal.DISCREPANCY


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def discrepancy(
    her_reports: Sequence[DatedScore], his_checkouts: Sequence[DatedScore], *, today: dt.date
) -> Discrepancy:
    """Whether his check-outs improved while her reports did not, over the same window.

    Her window: her first and latest scored reports within :data:`LOOKBACK` of ``today``, at
    least :data:`MIN_SPAN` apart. His baseline: the mean of his check-out totals in the
    :data:`HIS_WINDOW` ending on her first report's day (inclusive); his recent level: the
    mean in the :data:`HIS_WINDOW` ending on her latest report's day (inclusive), each needing
    :data:`MIN_CHECKOUTS`. Raised when his change ≥ :data:`HIS_IMPROVEMENT` and hers <
    :data:`HER_IMPROVEMENT`.
    """
    start = today - LOOKBACK
    hers = sorted((r for r in her_reports if start <= r.on <= today), key=lambda r: r.on)
    if len(hers) < 2:
        return Discrepancy(
            Signal.NOT_ENOUGH, "Fewer than two scored partner reports in the last six months."
        )
    first, latest = hers[0], hers[-1]
    if latest.on - first.on < MIN_SPAN:
        return Discrepancy(
            Signal.NOT_ENOUGH,
            "Her first and latest reports are less than four weeks apart.",
            her_first=first,
            her_latest=latest,
        )
    baseline = [c.value for c in his_checkouts if first.on - HIS_WINDOW < c.on <= first.on]
    recent = [c.value for c in his_checkouts if latest.on - HIS_WINDOW < c.on <= latest.on]
    found = Discrepancy(
        Signal.NOT_ENOUGH,
        "Fewer than two of his check-outs in the four weeks before her first or her latest report.",
        her_first=first,
        her_latest=latest,
        his_baseline=_mean(baseline) if baseline else None,
        his_recent=_mean(recent) if recent else None,
        his_baseline_count=len(baseline),
        his_recent_count=len(recent),
    )
    his, her = found.his_change, found.her_change
    if len(baseline) < MIN_CHECKOUTS or len(recent) < MIN_CHECKOUTS or his is None or her is None:
        return found
    if his >= HIS_IMPROVEMENT and her < HER_IMPROVEMENT:
        reason = (
            f"His check-outs rose {his:+.1f} points (0–10) while her reports changed "
            f"{her:+.1f} (0–4): his self-report improved, hers did not."
        )
        return replace(found, signal=Signal.DISCREPANCY, reason=reason)
    if his < HIS_IMPROVEMENT:
        reason = f"His check-outs changed {his:+.1f} points: not the rise the signal looks for."
    else:
        reason = f"Both improved: his check-outs {his:+.1f}, her reports {her:+.1f}."
    return replace(found, signal=Signal.NONE, reason=reason)
