"""What a follow-up record means: outcome kinds, their sources, and time at risk.

Two sources follow a man after the program, and they are censored differently:

* **Official records** (police, courts) are searched over a window (``window_start`` to
  ``window_end``); a man is observed from his exit to the end of the latest search.
* **Partner reports** come from interviews at fixed checkpoints (6 and 12 months after exit),
  each covering the months since the last; a man is observed to the end of his latest
  completed interview, and not at all if his partner was never reached.

A man with no follow-up from a source is left out of that source's analysis rather than
counted as event-free: an unsearched record is not a clean one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

#: Partner interviews are due this many months after exit.
PARTNER_CHECKPOINTS = (6, 12)
#: An event on the day of exit still counts; durations are floored at half a day so that
#: every man has positive time at risk.
MIN_DURATION_DAYS = 0.5
DAYS_PER_YEAR = 365.25


class Source(StrEnum):
    OFFICIAL_RECORD = "official_record"
    PARTNER_REPORT = "partner_report"


class OutcomeKind(StrEnum):
    IPV_POLICE_REPORT = "ipv_police_report"
    IPV_CHARGE = "ipv_charge"
    IPV_CONVICTION = "ipv_conviction"
    VIOLENT_OFFENCE = "violent_offence"
    ANY_OFFENCE = "any_offence"
    PARTNER_PHYSICAL_ABUSE = "partner_physical_abuse"
    PARTNER_PSYCHOLOGICAL_ABUSE = "partner_psychological_abuse"


SOURCE_OF_KIND: Mapping[OutcomeKind, Source] = {
    OutcomeKind.IPV_POLICE_REPORT: Source.OFFICIAL_RECORD,
    OutcomeKind.IPV_CHARGE: Source.OFFICIAL_RECORD,
    OutcomeKind.IPV_CONVICTION: Source.OFFICIAL_RECORD,
    OutcomeKind.VIOLENT_OFFENCE: Source.OFFICIAL_RECORD,
    OutcomeKind.ANY_OFFENCE: Source.OFFICIAL_RECORD,
    OutcomeKind.PARTNER_PHYSICAL_ABUSE: Source.PARTNER_REPORT,
    OutcomeKind.PARTNER_PSYCHOLOGICAL_ABUSE: Source.PARTNER_REPORT,
}


@dataclass(frozen=True)
class OutcomeDefinition:
    """An analysable outcome: the first event of any of ``kinds``, seen through ``source``."""

    key: str
    label: str
    source: Source
    kinds: frozenset[OutcomeKind]


_K = OutcomeKind
OUTCOMES: Mapping[str, OutcomeDefinition] = {
    d.key: d
    for d in (
        OutcomeDefinition(
            "ipv_official",
            "IPV police report, charge or conviction",
            Source.OFFICIAL_RECORD,
            frozenset({_K.IPV_POLICE_REPORT, _K.IPV_CHARGE, _K.IPV_CONVICTION}),
        ),
        OutcomeDefinition(
            "violent_official",
            "Any violent offence (official record)",
            Source.OFFICIAL_RECORD,
            frozenset({_K.VIOLENT_OFFENCE, _K.IPV_CHARGE, _K.IPV_CONVICTION}),
        ),
        OutcomeDefinition(
            "any_official",
            "Any offence (official record)",
            Source.OFFICIAL_RECORD,
            frozenset(k for k, s in SOURCE_OF_KIND.items() if s is Source.OFFICIAL_RECORD),
        ),
        OutcomeDefinition(
            "partner_physical",
            "Physical abuse (partner report)",
            Source.PARTNER_REPORT,
            frozenset({_K.PARTNER_PHYSICAL_ABUSE}),
        ),
        OutcomeDefinition(
            "partner_any",
            "Physical or psychological abuse (partner report)",
            Source.PARTNER_REPORT,
            frozenset({_K.PARTNER_PHYSICAL_ABUSE, _K.PARTNER_PSYCHOLOGICAL_ABUSE}),
        ),
    )
}


@dataclass(frozen=True)
class ManAtRisk:
    participant_id: int
    exit_on: dt.date


def time_to_first_event(
    men: Sequence[ManAtRisk],
    followups: Iterable[tuple[int, Source, dt.date]],
    events: Iterable[tuple[int, OutcomeKind, dt.date]],
    outcome: OutcomeDefinition,
) -> pd.DataFrame:
    """One row per man followed up by ``outcome.source``: ``duration_days`` and ``event``.

    ``followups`` are ``(participant_id, source, observed_until)``; ``events`` are
    ``(participant_id, kind, occurred_on)``. Events before exit (the index offence, offences
    during the program) are not outcomes; events after the last observed day are not seen
    (the man is censored there, as he would be if the event had not been recorded yet).
    """
    until: dict[int, dt.date] = {}
    for pid, source, end in followups:
        if source is outcome.source and (pid not in until or end > until[pid]):
            until[pid] = end
    exits = {m.participant_id: m.exit_on for m in men}
    first: dict[int, dt.date] = {}
    for pid, kind, day in events:
        if kind not in outcome.kinds or pid not in exits or pid not in until:
            continue
        if exits[pid] <= day <= until[pid] and (pid not in first or day < first[pid]):
            first[pid] = day
    rows = []
    for m in men:
        last_seen = until.get(m.participant_id)
        if last_seen is None or last_seen < m.exit_on:
            continue
        hit = first.get(m.participant_id)
        stop = hit if hit is not None else last_seen
        rows.append(
            (
                m.participant_id,
                max(float((stop - m.exit_on).days), MIN_DURATION_DAYS),
                int(hit is not None),
            )
        )
    frame = pd.DataFrame(rows, columns=["participant_id", "duration_days", "event"])
    frame["duration_days"] = frame["duration_days"].astype(np.float64)
    frame["event"] = frame["event"].astype(np.int64)
    return frame
