"""Reads for the early warning: the feature frames from the database, and what a user may see.

Each man is keyed by his *enrollment* id in the frames handed to ``alliance.core.engagement``
(a man enrolled twice is two histories).  Everything comes from a handful of ``values()``
queries, so building frames for 10,000 men is a few queries, not 10,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from alliance.connection.selectors import isolation_at_sessions
from alliance.core.engagement import HazardModel, Outlook, cold_start_model
from alliance.core.engagement.features import READINESS_REFERENCE
from alliance.core.engagement.outreach import OutreachStatus
from alliance.core.enrollment import EnrollmentStatus
from alliance.engagement.models import DropoutModel, OutreachAction, OutreachAlert
from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Score
from alliance.organizations.models import Membership, Organization
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants
from alliance.practice.models import Assignment, PracticeLog
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

    A man's sessions are the sessions he has a mark for (cancelled ones excluded), in date
    order.  The last one of an enrollment that ended as *dropped out* (or discharged)
    carries ``dropped_out_after = True``.  Two queries: enrollments with their intake
    measures, and marks with their check-outs and ratings.
    """
    return frames_for(
        list(with_intake_measures(enrollments).select_related("participant", "program")),
        today=today,
    )


def with_intake_measures(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Annotate each enrollment with his first score on each intake measure."""
    annotations = {
        column: Subquery(
            Score.objects.filter(
                enrollment_id=OuterRef("pk"),
                instrument_id=instrument,
                scale_id=scale,
                missing=False,
            )
            .order_by("administered_on", "id")
            .values("value")[:1]
        )
        for instrument, scale, column in INTAKE_MEASURES
    }
    return enrollments.annotate(**annotations)


def frames_for(
    enrollments: Sequence[Enrollment],
    *,
    today: dt.date,
    risk_population: pd.DataFrame | None = None,
) -> Frames:
    """Frames from enrollments already fetched with ``with_intake_measures`` (one query).

    ``risk_population`` (columns ``risk_tool``, ``risk_score``, one row per man) is the group
    among whom an external risk score is expressed in SDs of its tool; default: these men.
    """
    if not enrollments:
        empty = pd.DataFrame(columns=["participant_id"])
        return Frames(empty, empty, pd.DataFrame(columns=["id"]))
    meta = pd.DataFrame(
        [
            {
                "id": e.pk,
                "status": e.status,
                "started_on": e.started_on,
                "referral_source": e.referral_source,
                "required": e.program.min_attended_sessions or 20,
                "birth_year": e.participant.birth_year,
                "employment": e.participant.employment,
                "relationship_status": e.participant.relationship_status,
                "education": e.participant.education,
                "income_band": e.participant.income_band,
                "prior_offences": e.participant.prior_offences,
                "substance_use_concern": e.participant.substance_use_concern,
                "risk_tool": e.participant.risk_tool,
                "risk_score": e.participant.risk_score,
                **{c: getattr(e, c, None) for _, _, c in INTAKE_MEASURES},
            }
            for e in enrollments
        ]
    )
    ids = meta["id"].tolist()
    age = today.year - pd.to_numeric(meta["birth_year"], errors="coerce")
    risk = pd.to_numeric(meta["risk_score"], errors="coerce").astype(float)
    # External tools have their own scales: express each score in SDs of its own tool among
    # these men (a tool's published norms would be better; see docs/engagement.md).
    tool = meta["risk_tool"].fillna("")
    if risk_population is None:
        by_tool = risk.groupby(tool)
        spread = by_tool.transform("std").replace(0, np.nan)
        risk_z = (risk - by_tool.transform("mean")) / spread
    else:
        reference = (
            pd.to_numeric(risk_population["risk_score"], errors="coerce")
            .astype(float)
            .groupby(risk_population["risk_tool"].fillna(""))
            .agg(["mean", "std"])
        )
        spread = tool.map(reference["std"]).astype(float).replace(0, np.nan)
        risk_z = (risk - tool.map(reference["mean"]).astype(float)) / spread
    number = {
        c: pd.to_numeric(meta[c], errors="coerce").astype(float) for _, _, c in INTAKE_MEASURES
    }
    intake = pd.DataFrame(
        {
            "participant_id": meta["id"].astype(np.int64),
            "age": age.astype(float),
            "employment": meta["employment"],
            "relationship_status": meta["relationship_status"],
            "education": meta["education"],
            "income_band": meta["income_band"],
            "referral_source": meta["referral_source"],
            "prior_offences": pd.to_numeric(meta["prior_offences"], errors="coerce").astype(float),
            "substance_use_concern": meta["substance_use_concern"]
            .map({True: 1.0, False: 0.0})
            .astype(float),
            "risk_z": risk_z.astype(float),
            "readiness_z": (number["readiness_raw"] - READINESS_REFERENCE[0])
            / READINESS_REFERENCE[1],
            "ace_total": number["ace_total"],
            "loneliness_total": number["loneliness_total"],
        }
    )
    sessions = _session_rows(ids, dropped=set(meta.loc[_dropped(meta), "id"]))
    # Only sessions he came to count toward completion (a missed session is still owed).
    came = sessions[~sessions["mark"].isin(["excused", "unexcused"])] if len(sessions) else sessions
    attended = came.groupby("participant_id").size() if len(came) else pd.Series(dtype=float)
    left = (meta["required"] - meta["id"].map(attended).fillna(0)).clip(lower=1)
    info = pd.DataFrame(
        {
            "id": meta["id"],
            "status": meta["status"],
            "started_on": meta["started_on"],
            "age": age,
            "referral_source": meta["referral_source"],
            "sessions_left": left.astype(int),
            "required": meta["required"].astype(int),
            "ended": meta["status"].isin(
                [
                    EnrollmentStatus.COMPLETED,
                    EnrollmentStatus.DROPPED_OUT,
                    EnrollmentStatus.DISCHARGED,
                ]
            ),
        }
    )
    return Frames(intake=intake, sessions=sessions, enrollments=info)


def _dropped(meta: pd.DataFrame) -> pd.Series:
    return meta["status"].isin([EnrollmentStatus.DROPPED_OUT, EnrollmentStatus.DISCHARGED])


def _session_rows(ids: list[int], *, dropped: set[int]) -> pd.DataFrame:
    def session_score(instrument: str) -> Subquery:
        return Subquery(
            Score.objects.filter(
                enrollment_id=OuterRef("enrollment_id"),
                administration__session_id=OuterRef("session_id"),
                instrument_id=instrument,
                scale_id="total",
                missing=False,
            )
            .order_by("-scored_at")
            .values("value")[:1]
        )

    # Homework handed out at this session (to his group or to him), and how many of those
    # he logged as done by the due date: subqueries on the same query, not another query.
    homework_set = Coalesce(
        Subquery(
            Assignment.objects.filter(session_id=OuterRef("session_id"))
            .filter(
                Q(group_id=OuterRef("session__group_id"))
                | Q(enrollment_id=OuterRef("enrollment_id"))
            )
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )
    homework_done = Coalesce(
        Subquery(
            PracticeLog.objects.filter(
                enrollment_id=OuterRef("enrollment_id"),
                assignment__session_id=OuterRef("session_id"),
                done=True,
                logged_on__lte=F("assignment__due_on"),
            )
            .order_by()
            .values("enrollment_id")
            .annotate(n=Count("assignment_id", distinct=True))
            .values("n")[:1]
        ),
        0,
    )
    columns = [
        "participant_id",
        "session_number",
        "day",
        "mark",
        "minutes_late",
        "checkout",
        "rating",
        "homework_set",
        "homework_done",
        "isolation",
        "dropped_out_after",
    ]
    frame = pd.DataFrame(
        list(
            Attendance.objects.filter(enrollment_id__in=ids)
            .exclude(session__status=SessionStatus.CANCELLED)
            .annotate(
                checkout=session_score(CHECKOUT),
                rating=session_score(FACILITATOR_RATING),
                homework_set=homework_set,
                homework_done=homework_done,
            )
            .order_by("enrollment_id", "session__held_on", "session_id")
            .values_list(
                "enrollment_id",
                "session__held_on",
                "mark",
                "minutes_late",
                "checkout",
                "rating",
                "homework_set",
                "homework_done",
            )
        ),
        columns=[
            "participant_id",
            "held_on",
            "mark",
            "minutes_late",
            "checkout",
            "rating",
            "homework_set",
            "homework_done",
        ],
    )
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["session_number"] = frame.groupby("participant_id").cumcount() + 1
    # Days since 1970: only differences matter.
    frame["day"] = (
        pd.to_datetime(frame["held_on"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    )
    last = frame.groupby("participant_id")["session_number"].transform("max")
    frame["dropped_out_after"] = frame["participant_id"].isin(dropped) & (
        frame["session_number"] == last
    )
    for column in ("checkout", "rating", "homework_set", "homework_done"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    # His isolation at each session's date (UCLA-3 and supportive contacts; docs/connection.md).
    frame["isolation"] = isolation_at_sessions(frame[["participant_id", "held_on"]])
    return frame[columns]


def active_model(organization_id: int) -> tuple[HazardModel, DropoutModel | None]:
    """The model in use: the active stored version, or the literature cold start."""
    stored = DropoutModel.objects.filter(organization_id=organization_id, is_active=True).first()
    if stored is None:
        return cold_start_model(), None
    return HazardModel.from_dict(stored.parameters), stored


@dataclass(frozen=True)
class RiskRow:
    enrollment: Enrollment
    outlook: Outlook
    open_alert_id: int | None
    open_alert_status: str | None
    outreach_count: int


def risk_rows(
    enrollments: QuerySet[Enrollment], *, organization_id: int, today: dt.date
) -> list[RiskRow]:
    """Every active man among ``enrollments``, highest chance of leaving before completion first.

    A few queries whatever the number of men: enrollments (with intake measures, outreach
    counts and any unfinished alert), their stored outlooks, the active model. The model runs
    only for men without a stored outlook (``alliance.engagement.outlooks``).
    """
    unfinished = OutreachAlert.objects.filter(enrollment_id=OuterRef("pk")).exclude(
        status=OutreachStatus.CLOSED
    )
    actions = (
        OutreachAction.objects.filter(alert__enrollment_id=OuterRef("pk"))
        .values("alert__enrollment_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    active = list(
        with_intake_measures(enrollments.filter(status=EnrollmentStatus.ACTIVE))
        .select_related("participant", "program")
        .annotate(
            outreach=Subquery(actions),
            open_alert_id=Subquery(unfinished.values("pk")[:1]),
            open_alert_status=Subquery(unfinished.values("status")[:1]),
        )
    )
    from alliance.engagement.outlooks import current_outlooks  # it builds on this module

    found = current_outlooks(active, organization_id=organization_id, today=today)
    by_id = {e.pk: e for e in active}
    return [
        RiskRow(
            enrollment=by_id[o.participant_id],
            outlook=o,
            open_alert_id=getattr(by_id[o.participant_id], "open_alert_id", None),
            open_alert_status=getattr(by_id[o.participant_id], "open_alert_status", None),
            outreach_count=getattr(by_id[o.participant_id], "outreach", None) or 0,
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
