"""Reads: alerts, the session's measures, trajectories, heatmaps and program figures.

Numbers are computed by ``alliance.core.instruments`` (reliable change) and
:mod:`alliance.core.instruments.reliability` (alpha) from plain frames built here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Q, QuerySet
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.core.instruments import (
    CLASS_ORDER,
    ChangeParameters,
    InstrumentDefinition,
    Scale,
    count_change_classes,
    needs_local_reliability,
    needs_local_sd,
    scale_cutoff,
)
from alliance.core.instruments import change_parameters as core_change_parameters
from alliance.core.instruments.reliability import Alpha, cronbach_alpha
from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    Administration,
    Alert,
    Confidentiality,
    ItemResponse,
    Kiosk,
    Release,
    Score,
    Status,
)
from alliance.measures.registry import definition_for, item_label
from alliance.organizations.models import Membership
from alliance.participants.models import Enrollment, Participant
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Group, Program, Session, SessionStatus
from alliance.programs.selectors import session_rows

PROJECT_AUTHORED = (CHECKOUT, FACILITATOR_RATING)


# --- alerts --------------------------------------------------------------------------------


def open_alerts(membership: Membership, *, limit: int = 50) -> list[Alert]:
    """Unacknowledged alerts about men the user may see (a facilitator: his groups' men)."""
    return list(
        Alert.objects.filter(
            acknowledged_at__isnull=True,
            enrollment__participant__in=visible_participants(membership),
        )
        .select_related("enrollment__participant", "enrollment__program", "session__group")
        .order_by("-created_at", "-id")[:limit]
    )


def participant_alerts(participant: Participant) -> list[Alert]:
    alerts = Alert.objects.filter(enrollment__participant=participant).select_related(
        "session__group", "acknowledged_by", "enrollment__program"
    )
    return sorted(alerts, key=lambda a: (a.acknowledged_at is not None, -a.created_at.timestamp()))


# --- the session page ----------------------------------------------------------------------


@dataclass
class SessionMeasureRow:
    enrollment: Enrollment
    attended: bool
    checkout: float | None = None
    checkout_status: str = ""
    rating: dict[str, float] = field(default_factory=dict)
    rating_total: float | None = None


def session_measure_rows(session: Session) -> list[SessionMeasureRow]:
    """Each man on the session's list with his check-out and the facilitator's rating."""
    rows = []
    for row in session_rows(session):
        attended = row.attendance is not None and row.attendance.mark in IN_THE_ROOM
        rows.append(SessionMeasureRow(row.enrollment, attended))
    by_enrollment = {r.enrollment.pk: r for r in rows}
    administrations = Administration.objects.filter(
        session=session, instrument_id__in=PROJECT_AUTHORED
    ).prefetch_related("scores", "responses")
    for administration in administrations:
        target = by_enrollment.get(administration.enrollment_id)
        if target is None:
            continue
        total = next((s.value for s in administration.scores.all() if s.scale_id == "total"), None)
        if administration.instrument_id == CHECKOUT:
            target.checkout = total
            target.checkout_status = administration.status
        else:
            target.rating_total = total
            target.rating = {
                r.item_id: r.value for r in administration.responses.all() if r.value is not None
            }
    return rows


def open_kiosks(session: Session, *, now: dt.datetime | None = None) -> list[Kiosk]:
    now = now or timezone.now()
    return list(Kiosk.objects.filter(session=session, closed_at__isnull=True, expires_at__gt=now))


def kiosk_roster(session: Session) -> list[tuple[int, str]]:
    """(enrollment id, initials) for each man expected at the session: nothing more."""
    return [
        (row.enrollment.pk, (row.enrollment.participant.initials or "?").upper())
        for row in session_rows(session)
        if row.enrollment.status == "active"
    ]


# --- reliable change -----------------------------------------------------------------------


def _baseline_scores(program: Program, instrument_id: str, scale_id: str) -> pd.Series:
    """Each man's first score on the scale in this program."""
    rows = (
        Score.objects.filter(
            enrollment__program=program,
            instrument_id=instrument_id,
            scale_id=scale_id,
            value__isnull=False,
            administration__status=Status.COMPLETE,
        )
        .order_by("enrollment_id", "administered_on", "administration_id")
        .values_list("enrollment_id", "value")
    )
    frame = pd.DataFrame(list(rows), columns=["enrollment", "value"])
    return frame.groupby("enrollment")["value"].first()


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
    program: Program, definition: InstrumentDefinition, scale: Scale
) -> ChangeParameters | None:
    """SD and reliability for reliable change on this scale in this program.

    The choice is :func:`alliance.core.instruments.change_parameters`; this reads only what
    it needs: the program's first scores when the norms give no SD, its alpha when they give
    no reliability.
    """
    first = _baseline_scores(program, definition.id, scale.id) if needs_local_sd(scale) else ()
    alpha = scale_alpha(program, definition, scale) if needs_local_reliability(scale) else None
    return core_change_parameters(scale, first_scores=first, alpha=alpha)


# --- a man's trajectories ------------------------------------------------------------------


@dataclass
class Trajectory:
    definition: InstrumentDefinition
    scale: Scale
    program: Program
    days: list[dt.date]
    values: list[float]
    change: ChangeParameters | None

    @property
    def title(self) -> str:
        if len(self.definition.scales) == 1:
            return self.definition.title
        return f"{self.definition.title}: {self.scale.title}"


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


def internal_consistency(program: Program) -> list[ConsistencyRow]:
    """Cronbach's alpha of the project-authored measures from this program's own answers."""
    rows = []
    for instrument_id in PROJECT_AUTHORED:
        definition = definition_for(instrument_id)
        for scale in definition.scales:
            if scale.rule.uses_items and len(scale.items) > 1:
                rows.append(
                    ConsistencyRow(definition, scale, scale_alpha(program, definition, scale))
                )
    return rows


@dataclass
class ChangeRow:
    title: str
    n: int
    counts: dict[str, int]
    change: ChangeParameters | None
    recovered_possible: bool
    note: str = ""


def change_table(program: Program) -> list[ChangeRow]:
    """Counts of Jacobson-Truax classes per measure: each man's first against his last score.

    "Recovered" needs a clinical cutoff, which needs published clinical and functional norms;
    where none exist every reliable improvement counts as "reliably improved".
    """
    scores = pd.DataFrame(
        list(
            Score.objects.filter(
                enrollment__program=program,
                value__isnull=False,
                administration__status=Status.COMPLETE,
            )
            .order_by("administered_on", "administration_id")
            .values_list("enrollment_id", "instrument_id", "scale_id", "administered_on", "value")
        ),
        columns=["enrollment", "instrument", "scale", "day", "value"],
    )
    rows: list[ChangeRow] = []
    if scores.empty:
        return rows
    grouped = scores.groupby(["instrument", "scale", "enrollment"], sort=True)
    ends = grouped.agg(
        pre=("value", "first"), post=("value", "last"), first=("day", "first"), last=("day", "last")
    ).reset_index()
    ends = ends[ends["last"] > ends["first"]]
    for (instrument_id, scale_id), pairs in ends.groupby(["instrument", "scale"], sort=True):
        try:
            definition = definition_for(str(instrument_id))
        except LookupError:
            continue
        scale = definition.scale(str(scale_id))
        change = change_parameters(program, definition, scale)
        title = (
            definition.title
            if len(definition.scales) == 1
            else f"{definition.title}: {scale.title}"
        )
        if change is None:
            counts = {c.value: 0 for c in CLASS_ORDER}
            rows.append(
                ChangeRow(title, len(pairs), counts, None, False, "no SD or reliability yet")
            )
            continue
        counts = count_change_classes(
            pairs["pre"].to_numpy(), pairs["post"].to_numpy(), scale=scale, parameters=change
        )
        rows.append(ChangeRow(title, len(pairs), counts, change, scale_cutoff(scale) is not None))
    return rows


# --- outside-facing reports ----------------------------------------------------------------


def reportable_scores(
    enrollment_qs: QuerySet[Enrollment],
    *,
    releases: Iterable[Release],
    today: dt.date | None = None,
) -> QuerySet[Score]:
    """The scores an outside-facing report or export about these enrollments may contain.

    Every court, probation or funder report and every export **must** build its measures from
    this selector. Reportable measures always pass; a therapeutic measure passes only for an
    enrollment with a release, among ``releases``, that is signed, not revoked, not expired on
    ``today`` and covers that instrument (or all therapeutic measures). Only scores of complete
    administrations are returned.
    """
    today = today or timezone.localdate()
    allowed = Q(confidentiality=Confidentiality.REPORTABLE)
    for release in releases:
        if not release.is_valid_on(today):
            continue
        scope = Q(enrollment_id=release.enrollment_id)
        if not release.all_therapeutic:
            scope &= Q(instrument_id__in=list(release.instrument_ids))
        allowed |= scope
    return Score.objects.filter(
        allowed,
        enrollment__in=enrollment_qs,
        administration__status=Status.COMPLETE,
    )


def item_rows(definition: InstrumentDefinition) -> list[tuple[str, str]]:
    """(item id, label) for a form."""
    return [(item.id, item_label(definition, item)) for item in definition.items]


@dataclass(frozen=True)
class FormItem:
    id: str
    label: str
    kind: str  # "choice" (radio buttons), "number", "text"
    choices: tuple[tuple[str, str], ...]
    min: float | None
    max: float | None
    step: float | None
    value: str
    low_anchor: str = ""
    high_anchor: str = ""


def _plain_number(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_items(
    definition: InstrumentDefinition,
    saved: dict[str, object],
    posted: dict[str, str],
) -> list[FormItem]:
    """What a form shows for each item: what he just posted, else what is saved."""
    items = []
    for item in definition.items:
        response = item.response
        current = posted.get(item.id) or _plain_number(saved.get(item.id))
        anchors = dict(response.anchors)
        choices: tuple[tuple[str, str], ...]
        if response.kind.value == "free_text":
            kind, choices = "text", ()
        elif response.kind.value == "yes_no":
            kind, choices = "choice", (("1", "Yes"), ("0", "No"))
        elif (
            response.step == 1
            and response.min is not None
            and response.max is not None
            and response.max - response.min <= 10
        ):
            kind = "choice"
            choices = tuple(
                (str(v), str(v)) for v in range(int(response.min), int(response.max) + 1)
            )
        else:
            kind, choices = "number", ()
        low = int(response.min) if response.min is not None else None
        high = int(response.max) if response.max is not None else None
        items.append(
            FormItem(
                id=item.id,
                label=item_label(definition, item),
                kind=kind,
                choices=choices,
                min=response.min,
                max=response.max,
                step=response.step,
                value=str(current),
                low_anchor=anchors.get(low, "") if low is not None else "",
                high_anchor=anchors.get(high, "") if high is not None else "",
            )
        )
    return items
