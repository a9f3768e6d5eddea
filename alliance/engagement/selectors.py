"""Reads for the early warning: the feature frames from the database, and what a user may see.

Each man is keyed by his *enrollment* id in the frames handed to ``alliance.core.engagement``
(a man enrolled twice is two histories).  Everything comes from a handful of ``values()``
queries, so building frames for 10,000 men is a few queries, not 10,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Count, Q, QuerySet

from alliance.core.engagement import HazardModel, Outlook, cold_start_model, outlooks
from alliance.core.engagement.features import READINESS_REFERENCE, person_session_frame
from alliance.core.engagement.outreach import OutreachStatus
from alliance.core.enrollment import EnrollmentStatus
from alliance.engagement.models import DropoutModel, OutreachAction, OutreachAlert
from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Score
from alliance.organizations.models import Membership, Organization
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Attendance, Group, SessionStatus

#: Intake measures read from the measures app (instrument, scale, frame column).
INTAKE_MEASURES = (
    ("urica_dv", "readiness", "readiness_raw"),
    ("ace10", "total", "ace_total"),
    ("ucla3", "total", "loneliness_total"),
)
#: Enrollments whose history a refit learns from: started, and either finished or still in.
HISTORY_STATUSES = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.DROPPED_OUT,
    EnrollmentStatus.DISCHARGED,
)


@dataclass(frozen=True)
class Frames:
    intake: pd.DataFrame
    sessions: pd.DataFrame
    enrollments: pd.DataFrame  # enrollment id -> started_on, status, age, referral, left


def engagement_frames(enrollments: QuerySet[Enrollment], *, today: dt.date) -> Frames:
    """The intake and session frames for these enrollments, labelled where the end is known.

    A man's sessions are the held sessions he has a mark for, in date order.  The last one
    of an enrollment that ended as *dropped out* (or discharged for non-attendance) carries
    ``dropped_out_after = True``.
    """
    rows = list(
        enrollments.values(
            "id",
            "status",
            "started_on",
            "referral_source",
            "program__min_attended_sessions",
            "attended_count",
            "participant__birth_year",
            "participant__employment",
            "participant__relationship_status",
            "participant__education",
            "participant__income_band",
            "participant__prior_offences",
            "participant__substance_use_concern",
            "participant__risk_tool",
            "participant__risk_score",
        )
    )
    meta = pd.DataFrame(rows)
    if meta.empty:
        empty = pd.DataFrame(columns=["participant_id"])
        return Frames(empty, empty, pd.DataFrame(columns=["id"]))
    ids = meta["id"].tolist()
    birth = pd.to_numeric(meta["participant__birth_year"], errors="coerce")
    age = today.year - birth
    risk = pd.to_numeric(meta["participant__risk_score"], errors="coerce").astype(float)
    # External tools have their own scales: express each score in SDs of its own tool among
    # these men (a tool's published norms would be better; see docs/engagement.md).
    by_tool = risk.groupby(meta["participant__risk_tool"].fillna(""))
    spread = by_tool.transform("std").replace(0, np.nan)
    risk_z = (risk - by_tool.transform("mean")) / spread
    measures = _intake_measures(ids)
    intake = pd.DataFrame(
        {
            "participant_id": meta["id"].astype(np.int64),
            "age": age.astype(float),
            "employment": meta["participant__employment"],
            "relationship_status": meta["participant__relationship_status"],
            "education": meta["participant__education"],
            "income_band": meta["participant__income_band"],
            "referral_source": meta["referral_source"],
            "prior_offences": pd.to_numeric(
                meta["participant__prior_offences"], errors="coerce"
            ).astype(float),
            "substance_use_concern": meta["participant__substance_use_concern"]
            .map({True: 1.0, False: 0.0})
            .astype(float),
            "risk_z": risk_z.astype(float),
        }
    ).merge(measures, on="participant_id", how="left")
    intake["readiness_z"] = (intake["readiness_raw"] - READINESS_REFERENCE[0]) / (
        READINESS_REFERENCE[1]
    )
    sessions = _session_rows(ids, dropped=set(meta.loc[_dropped(meta), "id"]))
    attended = sessions.groupby("participant_id").size() if len(sessions) else pd.Series()
    required = meta["program__min_attended_sessions"].replace(0, 20)
    left = (required - meta["id"].map(attended).fillna(0)).clip(lower=1)
    info = pd.DataFrame(
        {
            "id": meta["id"],
            "status": meta["status"],
            "started_on": meta["started_on"],
            "age": age,
            "referral_source": meta["referral_source"],
            "sessions_left": left.astype(int),
        }
    )
    return Frames(intake=intake, sessions=sessions, enrollments=info)


def _dropped(meta: pd.DataFrame) -> pd.Series:
    return meta["status"].isin([EnrollmentStatus.DROPPED_OUT, EnrollmentStatus.DISCHARGED])


def _intake_measures(ids: list[int]) -> pd.DataFrame:
    wanted = Q()
    for instrument, scale, _ in INTAKE_MEASURES:
        wanted |= Q(instrument_id=instrument, scale_id=scale)
    scores = pd.DataFrame(
        list(
            Score.objects.filter(wanted, enrollment_id__in=ids, missing=False)
            .order_by("administered_on", "id")
            .values_list("enrollment_id", "instrument_id", "value")
        ),
        columns=["participant_id", "instrument_id", "value"],
    )
    out = pd.DataFrame({"participant_id": pd.Series(ids, dtype=np.int64)})
    for instrument, _, column in INTAKE_MEASURES:
        first = scores[scores["instrument_id"] == instrument].drop_duplicates("participant_id")
        out = out.merge(
            first[["participant_id", "value"]].rename(columns={"value": column}),
            on="participant_id",
            how="left",
        )
        out[column] = out[column].astype(float)
    return out


def _session_rows(ids: list[int], *, dropped: set[int]) -> pd.DataFrame:
    marks = pd.DataFrame(
        list(
            Attendance.objects.filter(enrollment_id__in=ids)
            .exclude(session__status=SessionStatus.CANCELLED)
            .order_by("enrollment_id", "session__held_on", "session_id")
            .values_list("enrollment_id", "session_id", "session__held_on", "mark", "minutes_late")
        ),
        columns=["participant_id", "session_id", "held_on", "mark", "minutes_late"],
    )
    columns = [
        "participant_id",
        "session_number",
        "day",
        "mark",
        "minutes_late",
        "checkout",
        "rating",
        "dropped_out_after",
    ]
    if marks.empty:
        return pd.DataFrame(columns=columns)
    ratings = pd.DataFrame(
        list(
            Score.objects.filter(
                Q(instrument_id=CHECKOUT) | Q(instrument_id=FACILITATOR_RATING),
                scale_id="total",
                enrollment_id__in=ids,
                missing=False,
                administration__session__isnull=False,
            ).values_list("enrollment_id", "administration__session_id", "instrument_id", "value")
        ),
        columns=["participant_id", "session_id", "instrument_id", "value"],
    )
    wide = (
        ratings.pivot_table(
            index=["participant_id", "session_id"],
            columns="instrument_id",
            values="value",
            aggfunc="last",
        )
        .reindex(columns=[CHECKOUT, FACILITATOR_RATING])
        .rename(columns={CHECKOUT: "checkout", FACILITATOR_RATING: "rating"})
        .reset_index()
        if len(ratings)
        else pd.DataFrame(columns=["participant_id", "session_id", "checkout", "rating"])
    )
    frame = marks.merge(wide, on=["participant_id", "session_id"], how="left")
    frame["session_number"] = frame.groupby("participant_id").cumcount() + 1
    frame["day"] = pd.to_datetime(frame["held_on"]).map(pd.Timestamp.toordinal)
    last = frame.groupby("participant_id")["session_number"].transform("max")
    frame["dropped_out_after"] = frame["participant_id"].isin(dropped) & (
        frame["session_number"] == last
    )
    for column in ("checkout", "rating"):
        frame[column] = frame[column].astype(float)
    return frame[columns]


def active_model(organization: Organization) -> tuple[HazardModel, DropoutModel | None]:
    """The model in use: the active stored version, or the literature cold start."""
    stored = DropoutModel.objects.filter(organization=organization, is_active=True).first()
    if stored is None:
        return cold_start_model(), None
    return HazardModel.from_dict(stored.parameters), stored


@dataclass(frozen=True)
class RiskRow:
    enrollment: Enrollment
    outlook: Outlook
    open_alert: OutreachAlert | None
    outreach_count: int


def risk_rows(
    enrollments: QuerySet[Enrollment], *, organization: Organization, today: dt.date
) -> list[RiskRow]:
    """Every active man among ``enrollments``, highest two-session risk first."""
    active = enrollments.filter(status=EnrollmentStatus.ACTIVE)
    frames = engagement_frames(active, today=today)
    if frames.intake.empty:
        return []
    model, _ = active_model(organization)
    frame = person_session_frame(frames.intake, frames.sessions)
    left = frames.enrollments.set_index("id")["sessions_left"]
    found = outlooks(model, frame, sessions_left=left)
    by_id = {
        e.pk: e
        for e in Enrollment.objects.filter(pk__in=[o.participant_id for o in found])
        .select_related("participant", "program")
        .annotate(outreach=Count("outreach_alerts__actions"))
    }
    alerts = {
        a.enrollment_id: a
        for a in OutreachAlert.objects.filter(enrollment_id__in=list(by_id)).exclude(
            status=OutreachStatus.CLOSED
        )
    }
    return [
        RiskRow(
            enrollment=by_id[o.participant_id],
            outlook=o,
            open_alert=alerts.get(o.participant_id),
            outreach_count=getattr(by_id[o.participant_id], "outreach", 0),
        )
        for o in found
    ]


def visible_enrollments(membership: Membership, group: Group | None = None) -> QuerySet[Enrollment]:
    enrollments = Enrollment.objects.filter(participant__in=visible_participants(membership))
    if group is not None:
        enrollments = enrollments.filter(
            assignments__group=group, assignments__ends_on__isnull=True
        ).distinct()
    return enrollments


def outreach_by_facilitator(organization: Organization) -> list[dict[str, Any]]:
    """Actions recorded per staff member, with how many alerts they closed and how."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in OutreachAction.objects.filter(
            alert__enrollment__program__organization=organization
        )
        .values("recorded_by__username")
        .annotate(actions=Count("id"), alerts=Count("alert", distinct=True))
        .order_by("-actions")
    ]
    return rows


def outreach_outcomes(organization: Organization) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in OutreachAlert.objects.filter(
            enrollment__program__organization=organization, status=OutreachStatus.CLOSED
        )
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by("outcome")
    ]
    return rows
