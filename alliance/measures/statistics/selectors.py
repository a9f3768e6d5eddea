"""Reads: scores as figures. Each man's first and last score, the SD and reliability behind
reliable change, his trajectories, the group heatmap, alpha and the change table.

Numbers are computed by :mod:`alliance.core.instruments` (reliable change, Cronbach's alpha)
from plain frames built here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from alliance.core.instruments import (
    CLASS_ORDER,
    Alpha,
    ChangeParameters,
    InstrumentDefinition,
    Scale,
    ScaleReliability,
    count_change_classes,
    cronbach_alpha,
    needs_local_reliability,
    needs_local_sd,
    scale_cutoff,
    scale_reliability,
)
from alliance.core.instruments import change_parameters as choose_change_parameters
from alliance.measures.models import CHECKOUT, PROJECT_AUTHORED, ItemResponse, Score, Status
from alliance.measures.registry import definition_for, scale_title
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Group, Program, Session, SessionStatus

#: The columns of :func:`first_and_last_scores`.
ENDS = ["first_score", "last_score", "first_on", "last_on"]
ENDS_INDEX = ["instrument", "scale", "enrollment"]


def first_and_last_scores(
    program: Program, *, instrument_id: str | None = None, scale_id: str | None = None
) -> pd.DataFrame:
    """Each man's first and last complete score on each scale in the program.

    The one pairing of first and last scores: the change table (and through its rows the
    evaluation's effect sizes) and the SD of first scores behind reliable change all take
    theirs from here. "First" and "last" follow the day it was given and, within a day, the
    order of entry; a man with one score has it as both, on the same day.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``instrument``, ``scale``, ``enrollment``), sorted, with the columns
        ``first_score``, ``last_score``, ``first_on`` and ``last_on``.
    """
    scores = Score.objects.filter(
        enrollment__program=program,
        value__isnull=False,
        administration__status=Status.COMPLETE,
    )
    if instrument_id is not None:
        scores = scores.filter(instrument_id=instrument_id)
    if scale_id is not None:
        scores = scores.filter(scale_id=scale_id)
    rows = scores.order_by("administered_on", "administration_id").values_list(
        "instrument_id", "scale_id", "enrollment_id", "administered_on", "value"
    )
    frame = pd.DataFrame(list(rows), columns=[*ENDS_INDEX, "day", "value"])
    if frame.empty:
        return pd.DataFrame(columns=ENDS, index=pd.MultiIndex.from_tuples([], names=ENDS_INDEX))
    return frame.groupby(ENDS_INDEX, sort=True).agg(
        first_score=("value", "first"),
        last_score=("value", "last"),
        first_on=("day", "first"),
        last_on=("day", "last"),
    )


def item_matrix(
    program: Program, definition: InstrumentDefinition, items: Iterable[str]
) -> np.ndarray:
    """Answers of complete administrations in the program: rows × ``items`` (NaN = missing)."""
    columns = list(items)
    rows = ItemResponse.objects.filter(
        administration__enrollment__program=program,
        administration__instrument_id=definition.id,
        administration__status=Status.COMPLETE,
        item_id__in=columns,
    ).values_list("administration_id", "item_id", "value")
    frame = pd.DataFrame(list(rows), columns=["administration", "item", "value"])
    if frame.empty:
        return np.empty((0, len(columns)))
    wide = frame.pivot_table(index="administration", columns="item", values="value")
    return wide.reindex(columns=columns).to_numpy(dtype=np.float64)


def scale_alpha(program: Program, definition: InstrumentDefinition, scale: Scale) -> Alpha:
    items = [i for i in scale.items if not definition.item(i).filler]
    return cronbach_alpha(item_matrix(program, definition, items))


def change_parameters(
    program: Program,
    definition: InstrumentDefinition,
    scale: Scale,
    *,
    ends: pd.DataFrame | None = None,
) -> ChangeParameters | None:
    """SD and reliability for reliable change on this scale in this program.

    The choice is :func:`alliance.core.instruments.change_parameters`; this reads only what it
    needs: the men's first scores when the norms give no SD (``ends``, this scale's rows of
    :func:`first_and_last_scores`, when the caller has them), the program's alpha when they
    give no reliability.
    """
    first: ArrayLike = ()
    if needs_local_sd(scale):
        if ends is None:
            ends = first_and_last_scores(program, instrument_id=definition.id, scale_id=scale.id)
        first = ends["first_score"].to_numpy(dtype=np.float64)
    alpha = scale_alpha(program, definition, scale) if needs_local_reliability(scale) else None
    return choose_change_parameters(scale, first_scores=first, alpha=alpha)


@dataclass
class Trajectory:
    """His scores on one scale in one enrollment, with what his reliable change needs."""

    definition: InstrumentDefinition
    scale: Scale
    program: Program
    days: list[dt.date]
    values: list[float]
    change: ChangeParameters | None

    @property
    def title(self) -> str:
        return scale_title(self.definition, self.scale)

    @property
    def points(self) -> list[tuple[dt.date, float]]:
        return list(zip(self.days, self.values, strict=True))


def trajectories(participant: Participant) -> list[Trajectory]:
    """One series per enrollment, instrument and scale with at least one score."""
    rows = (
        Score.objects.filter(
            enrollment__participant=participant,
            value__isnull=False,
            administration__status=Status.COMPLETE,
        )
        .select_related("enrollment__program__site")
        .order_by("administered_on", "administration_id")
    )
    series: dict[tuple[int, str, str], list[Score]] = defaultdict(list)
    programs: dict[int, Program] = {}
    for score in rows:
        series[(score.enrollment_id, score.instrument_id, score.scale_id)].append(score)
        programs[score.enrollment_id] = score.enrollment.program
    result = []
    for (enrollment_id, instrument_id, scale_id), scores in series.items():
        try:
            definition = definition_for(instrument_id)
        except LookupError:
            continue
        scale = definition.scale(scale_id)
        program = programs[enrollment_id]
        result.append(
            Trajectory(
                definition=definition,
                scale=scale,
                program=program,
                days=[s.administered_on for s in scores],
                values=[float(s.value) for s in scores if s.value is not None],
                change=change_parameters(program, definition, scale),
            )
        )
    result.sort(
        key=lambda t: (t.definition.id not in PROJECT_AUTHORED, t.definition.id, t.scale.id)
    )
    return result


# --- group heatmap -------------------------------------------------------------------------


@dataclass
class Heatmap:
    group: Group
    sessions: list[Session]
    codes: list[str]
    participant_ids: list[int]
    values: list[list[float | None]]


def checkout_heatmap(group: Group, *, today: dt.date, last: int = 16) -> Heatmap:
    """Check-out totals, men (by code) × the group's last ``last`` held sessions."""
    sessions = list(
        Session.objects.filter(group=group, held_on__lte=today, status=SessionStatus.HELD)
        .select_related("curriculum_session")
        .order_by("-held_on")[:last]
    )
    sessions.reverse()
    enrollments = list(
        Enrollment.objects.filter(assignments__group=group)
        .select_related("participant")
        .distinct()
        .order_by("participant__code")
    )
    found = {
        (e, s): v
        for e, s, v in Score.objects.filter(
            instrument_id=CHECKOUT,
            scale_id="total",
            administration__session__in=sessions,
            administration__status=Status.COMPLETE,
        ).values_list("enrollment_id", "administration__session_id", "value")
    }
    values = [[found.get((e.pk, s.pk)) for s in sessions] for e in enrollments]
    keep = [i for i, row in enumerate(values) if any(v is not None for v in row)]
    return Heatmap(
        group=group,
        sessions=sessions,
        codes=[enrollments[i].participant.code for i in keep],
        participant_ids=[enrollments[i].participant_id for i in keep],
        values=[values[i] for i in keep],
    )


# --- program figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class ConsistencyRow:
    definition: InstrumentDefinition
    scale: Scale
    alpha: Alpha
    #: The evaluator's table (pairwise alpha, standardized alpha, omega total, item
    #: statistics), computed by the same code as ``alliance instruments reliability``.
    reliability: ScaleReliability


def internal_consistency(program: Program) -> list[ConsistencyRow]:
    """Alpha and omega of the project-authored measures from this program's own answers."""
    rows = []
    for instrument_id in PROJECT_AUTHORED:
        definition = definition_for(instrument_id)
        for scale in definition.scales:
            if scale.rule.uses_items and len(scale.items) > 1:
                items = [i for i in scale.items if not definition.item(i).filler]
                raw = item_matrix(program, definition, items)
                rows.append(
                    ConsistencyRow(
                        definition,
                        scale,
                        cronbach_alpha(raw),
                        scale_reliability(_keyed(definition, items, raw), items),
                    )
                )
    return rows


def _keyed(definition: InstrumentDefinition, items: list[str], raw: np.ndarray) -> np.ndarray:
    """Answers as the scales add them up (reverse-keyed items reversed)."""
    keyed = raw.copy()
    for j, item_id in enumerate(items):
        item = definition.item(item_id)
        if item.reverse and item.response.min is not None and item.response.max is not None:
            keyed[:, j] = item.response.min + item.response.max - keyed[:, j]
    return keyed


@dataclass
class ChangeRow:
    """One scale's Jacobson-Truax class counts, first against last score per man.

    ``pairs`` are the men counted, indexed by enrollment, with ``first_score`` and
    ``last_score`` (the evaluation computes its effect size on exactly these).
    """

    instrument_id: str
    scale_id: str
    title: str
    pairs: pd.DataFrame
    counts: dict[str, int]
    change: ChangeParameters | None
    recovered_possible: bool
    note: str = ""

    @property
    def n(self) -> int:
        return len(self.pairs)


def change_table(program: Program) -> list[ChangeRow]:
    """Counts of Jacobson-Truax classes per measure: each man's first against his last score,
    for the men with scores on two or more days.

    "Recovered" needs a clinical cutoff, which needs published clinical and functional norms;
    where none exist every reliable improvement counts as "reliably improved".
    """
    ends = first_and_last_scores(program)
    by_scale = {key: group for key, group in ends.groupby(level=["instrument", "scale"])}
    paired = ends[ends["last_on"] > ends["first_on"]]
    rows: list[ChangeRow] = []
    for (instrument_id, scale_id), group in paired.groupby(level=["instrument", "scale"]):
        try:
            definition = definition_for(str(instrument_id))
        except LookupError:
            continue
        scale = definition.scale(str(scale_id))
        pairs = group.droplevel(["instrument", "scale"])
        everyone = by_scale[(instrument_id, scale_id)].droplevel(["instrument", "scale"])
        change = change_parameters(program, definition, scale, ends=everyone)
        title = scale_title(definition, scale)
        if change is None:
            counts = {c.value: 0 for c in CLASS_ORDER}
            rows.append(
                ChangeRow(
                    str(instrument_id),
                    str(scale_id),
                    title,
                    pairs,
                    counts,
                    None,
                    False,
                    "no SD or reliability yet",
                )
            )
            continue
        counts = count_change_classes(
            pairs["first_score"].to_numpy(dtype=np.float64),
            pairs["last_score"].to_numpy(dtype=np.float64),
            scale=scale,
            parameters=change,
        )
        rows.append(
            ChangeRow(
                str(instrument_id),
                str(scale_id),
                title,
                pairs,
                counts,
                change,
                scale_cutoff(scale) is not None,
            )
        )
    return rows
