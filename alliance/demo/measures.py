"""Synthetic check-outs, facilitator ratings and SCS-SF forms for the demo organization.

Called by the demo builder after attendance is written::

    from alliance.demo.measures import add_measures
    add_measures(seed, today)

Every man who attended a held session gets a facilitator rating and, most weeks, a check-out;
each man has a latent engagement that drifts over his sessions (mandated men often start
guarded and warm up; some cool off before dropping out), and the answers scatter around it.
Men who started have an SCS-SF at intake; completers one at exit too. Everything is generated
with numpy and written through
:func:`alliance.measures.administration.bulk.record_administrations_bulk`
(validated and scored in one engine call per instrument, a history row per administration),
then the programs' alert rules run over the whole frame at once through
:func:`alliance.measures.alerts.bulk.raise_alerts_bulk`: thousands of administrations take a
few seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.core.instruments import InstrumentDefinition
from alliance.core.zones import CHALLENGE_ITEM
from alliance.demo.frames import frame_rows
from alliance.measures.administration.bulk import Form, record_administrations_bulk
from alliance.measures.alerts.bulk import Missed, Scored, raise_alerts_bulk
from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    Administration,
    Alert,
    Channel,
    Occasion,
    Respondent,
)
from alliance.measures.registry import definition_for
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, SessionStatus

#: Share of attended sessions with no check-out (the kiosk was busy, he left early).
MISSED_SHARE = 0.07
#: Alerts older than this are shown as already acknowledged by the facilitator.
RECENT_DAYS = 14
SCS_SF = "scs_sf"


@dataclass(frozen=True)
class DemoMeasures:
    checkouts: int
    ratings: int
    questionnaires: int
    alerts: int


def _answers(
    rng: np.random.Generator, latent: np.ndarray, n_items: int, low: int, high: int, noise: float
) -> np.ndarray:
    raw = latent[:, None] + rng.normal(0.0, noise, size=(len(latent), n_items))
    return np.clip(np.rint(raw), low, high)


def _rating_answers(
    seed: int,
    rng: np.random.Generator,
    definition: InstrumentDefinition,
    attended: pd.DataFrame,
    latent: np.ndarray,
) -> np.ndarray:
    """The facilitator's ratings: the engagement items from ``rng`` as before, and his rating
    of each man's accountability work from a generator of its own (so adding the item moved no
    other demo number). Each man has his own level of accountability work, independent of his
    engagement, so the demo's zone map shows every zone (docs/pillars.md)."""
    ids = [item.id for item in definition.items]
    engagement = _answers(rng, latent - 0.4, len(ids) - 1, 0, 10, 0.9)
    own = np.random.default_rng([seed, 19])
    men = np.sort(attended["enrollment"].unique())
    level = dict(zip(men, own.normal(5.0, 2.2, len(men)), strict=True))
    work = attended["enrollment"].map(level).to_numpy() + own.normal(0.0, 1.3, len(attended))
    column = np.clip(np.rint(work), 0, 10)
    at = ids.index(CHALLENGE_ITEM)
    return np.insert(engagement, at, column, axis=1)


def _write(
    definition: InstrumentDefinition,
    frame: pd.DataFrame,
    answers: np.ndarray,
    *,
    respondent: Respondent,
    channel: Channel,
    occasion: Occasion,
    now: dt.datetime,
    users: Mapping[int, User],
) -> tuple[list[Administration], pd.DataFrame]:
    """Write ``frame``'s forms (one row each) through the measures' bulk path."""
    records = frame_rows(frame)
    forms = [
        Form(
            enrollment_id=row["enrollment"],
            administered_on=row["day"],
            key=f"demo-{definition.id}-{occasion}-{row['enrollment']}-{row['day']:%Y%m%d}",
            session_id=row.get("session"),
            created_by=users.get(row.get("rater") or 0),
        )
        for row in records
    ]
    administrations, result = record_administrations_bulk(
        actor=None,
        definition=definition,
        forms=forms,
        answers=pd.DataFrame(answers, columns=[item.id for item in definition.items]),
        respondent=respondent,
        channel=channel,
        occasion=occasion,
        now=now,
    )
    scored = frame.assign(
        administration=[a.pk for a in administrations],
        total=result["total_score"].to_numpy(),
    )
    return administrations, scored


def _alerts(
    checkouts: pd.DataFrame,
    ratings: pd.DataFrame,
    missed: pd.DataFrame,
    today: dt.date,
    now: dt.datetime,
) -> list[Alert]:
    """The programs' alert rules over the whole demo, through the alerts' bulk path; alerts
    older than ``RECENT_DAYS`` are shown as acknowledged two days after they were raised."""
    tz = timezone.get_current_timezone()

    def when(day: dt.date) -> tuple[dt.datetime, dt.datetime | None]:
        raised = dt.datetime.combine(day, dt.time(21), tzinfo=tz)
        old = (today - day).days > RECENT_DAYS
        return min(raised, now), raised + dt.timedelta(days=2) if old else None

    scored = []
    for instrument, frame in ((CHECKOUT, checkouts), (FACILITATOR_RATING, ratings)):
        for row in frame_rows(frame):
            raised, seen = when(row["day"])
            scored.append(
                Scored(
                    administration_id=row["administration"],
                    enrollment_id=row["enrollment"],
                    session_id=row["session"],
                    instrument_id=instrument,
                    administered_on=row["day"],
                    total=None if np.isnan(row["total"]) else float(row["total"]),
                    raised_at=raised,
                    acknowledged_at=seen,
                )
            )
    gaps = []
    for row in frame_rows(missed):
        raised, seen = when(row["day"])
        gaps.append(
            Missed(
                enrollment_id=row["enrollment"],
                session_id=row["session"],
                held_on=row["day"],
                raised_at=raised,
                acknowledged_at=seen,
            )
        )
    return raise_alerts_bulk(scored=scored, missed=gaps)


@transaction.atomic
def add_measures(seed: int, today: dt.date) -> DemoMeasures:
    """Add check-outs, facilitator ratings, SCS-SF forms and their alerts to the demo.

    Deterministic for a given database and ``seed``. Refuses to run twice (the demo builder
    starts from an empty database).
    """
    if Administration.objects.filter(idempotency_key__startswith="demo-").exists():
        raise RuntimeError("The demo already has measures.")
    rng = np.random.default_rng(seed)
    now = timezone.now()
    attended = pd.DataFrame(
        list(
            Attendance.objects.filter(
                session__status=SessionStatus.HELD,
                session__held_on__lte=today,
                mark__in=IN_THE_ROOM,
            )
            .order_by("enrollment_id", "session__held_on")
            .values_list("enrollment_id", "session_id", "session__held_on", "recorded_by_id")
        ),
        columns=["enrollment", "session", "day", "rater"],
    )
    users = {
        u.pk: u for u in get_user_model().objects.filter(pk__in=set(attended["rater"].dropna()))
    }
    men = np.sort(attended["enrollment"].unique())
    base = dict(zip(men, rng.normal(7.3, 1.2, len(men)), strict=True))
    slope = dict(zip(men, rng.normal(0.05, 0.08, len(men)), strict=True))
    attended["n"] = attended.groupby("enrollment").cumcount()
    latent = (
        attended["enrollment"].map(base)
        + attended["enrollment"].map(slope) * attended["n"]
        + rng.normal(0.0, 0.7, len(attended))
    ).to_numpy()

    took = rng.random(len(attended)) >= MISSED_SHARE
    checkout_rows = attended[took].reset_index(drop=True)
    missed_rows = attended[~took].reset_index(drop=True)
    checkout_def = definition_for(CHECKOUT)
    _, checkouts = _write(
        checkout_def,
        checkout_rows.drop(columns=["rater"]),
        _answers(rng, latent[took], len(checkout_def.items), 0, 10, 1.0),
        respondent=Respondent.PARTICIPANT,
        channel=Channel.KIOSK,
        occasion=Occasion.SESSION,
        now=now,
        users=users,
    )
    rating_def = definition_for(FACILITATOR_RATING)
    _, ratings = _write(
        rating_def,
        attended,
        _rating_answers(seed, rng, rating_def, attended, latent),
        respondent=Respondent.FACILITATOR,
        channel=Channel.STAFF,
        occasion=Occasion.SESSION,
        now=now,
        users=users,
    )

    started = pd.DataFrame(
        list(
            Enrollment.objects.filter(started_on__isnull=False, started_on__lte=today)
            .order_by("pk")
            .values_list("pk", "started_on", "ended_on", "status")
        ),
        columns=["enrollment", "day", "ended_on", "status"],
    )
    scs = definition_for(SCS_SF)
    intake_level = rng.normal(2.7, 0.55, len(started))
    _, intake = _write(
        scs,
        started[["enrollment", "day"]],
        _scs_answers(rng, scs, intake_level),
        respondent=Respondent.PAPER,
        channel=Channel.STAFF,
        occasion=Occasion.INTAKE,
        now=now,
        users=users,
    )
    done = (started["status"] == "completed").to_numpy()
    completers = started[done].assign(day=started.loc[done, "ended_on"])[["enrollment", "day"]]
    gain = rng.normal(0.45, 0.35, int(done.sum()))
    _write(
        scs,
        completers,
        _scs_answers(rng, scs, intake_level[done] + gain),
        respondent=Respondent.PAPER,
        channel=Channel.STAFF,
        occasion=Occasion.EXIT,
        now=now,
        users=users,
    )
    alerts = _alerts(checkouts, ratings, missed_rows, today, now)
    return DemoMeasures(
        checkouts=len(checkouts),
        ratings=len(ratings),
        questionnaires=len(intake) + len(completers),
        alerts=len(alerts),
    )


def _scs_answers(
    rng: np.random.Generator, definition: InstrumentDefinition, level: np.ndarray
) -> np.ndarray:
    """SCS-SF answers whose keyed mean sits near ``level`` (reverse items are un-keyed)."""
    keyed = _answers(rng, level, len(definition.items), 1, 5, 0.8)
    reverse = np.array([item.reverse for item in definition.items])
    keyed[:, reverse] = 6 - keyed[:, reverse]
    return keyed
