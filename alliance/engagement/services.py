"""Writes for the early warning: fitting and storing models, and the outreach workflow."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alliance.core.engagement import fit_with_validation, person_session_frame
from alliance.core.engagement.backtest import BacktestError, backtest
from alliance.core.engagement.model import metrics_by_group
from alliance.core.engagement.outreach import (
    ActionKind,
    OutreachEvent,
    OutreachOutcome,
    OutreachStatus,
    next_status,
)
from alliance.engagement.models import DropoutModel, ModelSource, OutreachAction, OutreachAlert
from alliance.engagement.selectors import HISTORY_STATUSES, engagement_frames, risk_rows
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment

#: A refit needs at least this many men and dropouts before it is even tried.
MIN_MEN = 60
MIN_DROPOUTS = 15
AGE_BANDS = ([0, 25, 35, 45, 200], ["under 25", "25-34", "35-44", "45 and over"])


@dataclass(frozen=True)
class FitResult:
    stored: DropoutModel | None
    adopted: bool
    message: str


def fit_dropout_model(
    *, organization: Organization, today: dt.date, actor: User | None = None
) -> FitResult:
    """Refit the hazard on the organization's history and adopt it only if it beats the
    cold start (lower Brier *and* higher AUC) on forward-chaining held-out men.

    Every attempt with enough data is stored as a new version, adopted or not, so the model
    card can show what was tried.
    """
    enrollments = Enrollment.objects.filter(
        program__organization=organization, status__in=HISTORY_STATUSES
    )
    frames = engagement_frames(enrollments, today=today)
    if frames.sessions.empty:
        return FitResult(None, False, "No attendance history yet: the cold-start model stays.")
    frame = person_session_frame(frames.intake, frames.sessions)
    men = int(frame["participant_id"].nunique())
    dropouts = int(frame["dropped_out_after"].sum())
    if men < MIN_MEN or dropouts < MIN_DROPOUTS:
        return FitResult(
            None,
            False,
            f"Too little history ({men} men, {dropouts} dropouts; need {MIN_MEN} and "
            f"{MIN_DROPOUTS}): the cold-start model stays.",
        )
    starts = frames.enrollments.set_index("id")["started_on"]
    # Men who never started sort first; they have no rows, so they only pad a block.
    order = pd.Series(pd.to_datetime(starts).to_numpy().astype("int64"), index=starts.index)
    info = frames.enrollments.set_index("id")
    # The penalty is chosen on held-out men; the before-completion number is checked on the
    # held-out men whose enrollment is over (the model card's reliability table).
    model, cv = fit_with_validation(
        frame, order, penalty_c=None, completion=info[["required", "ended"]]
    )
    oof = cv.oof.assign(
        age_group=pd.cut(
            cv.oof["participant_id"].map(info["age"]).astype(float),
            bins=AGE_BANDS[0],
            labels=AGE_BANDS[1],
            right=False,
        ).astype(str),
        referral_source=cv.oof["participant_id"].map(info["referral_source"]),
    )
    metrics: dict[str, Any] = {
        **model.metrics,
        "backtest": _backtest_or_reason(frames, today=today),
        "by_age_group": metrics_by_group(oof, "age_group"),
        "by_referral_source": metrics_by_group(oof, "referral_source"),
        "coefficients": dict(zip(model.features, model.coef, strict=True)),
        "fitted_on": today.isoformat(),
    }
    adopted, decision = _adoption(cv)
    with transaction.atomic():
        version = (
            DropoutModel.objects.select_for_update()
            .filter(organization=organization)
            .aggregate(v=Max("version"))["v"]
            or 0
        ) + 1
        if adopted:
            DropoutModel.objects.filter(organization=organization, is_active=True).update(
                is_active=False
            )
        stored = DropoutModel.objects.create(
            organization=organization,
            version=version,
            source=ModelSource.REFIT,
            parameters=model.to_dict(),
            metrics=_plain(metrics),
            is_active=adopted,
            decision=decision,
            created_at=timezone.now(),
            created_by=actor,
        )
    return FitResult(stored, adopted, decision)


#: The before-completion number is checked on held-out men whose enrollment is over; a refit
#: is adopted only when at least this many of them finished and this many left.
MIN_CHECKED_OUTCOMES = 5


def _adoption(cv: Any) -> tuple[bool, str]:
    """Adopt a refit only if it beats the cold start on held-out men, on both the
    session-to-session hazard (lower Brier *and* higher AUC) and the number staff see, the
    chance of leaving before completion (lower Brier), checked on men whose end is known."""
    hazard = (
        f"session by session: Brier {cv.refit['brier']:.4f} vs {cv.cold_start['brier']:.4f}, "
        f"AUC {cv.refit['auc']:.3f} vs {cv.cold_start['auc']:.3f}"
    )
    if not cv.refit_is_better:
        return False, f"Kept the cold start: the refit was not better on held-out men ({hazard})."
    check = cv.completion or {}
    men, left = int(check.get("men") or 0), int(check.get("left") or 0)
    finished = men - left
    if finished < MIN_CHECKED_OUTCOMES or left < MIN_CHECKED_OUTCOMES:
        return False, (
            "Kept the cold start: its chance of leaving before completion cannot be checked "
            f"yet (held-out men with attendance whose enrollment is over: {finished} finished, "
            f"{left} left; need {MIN_CHECKED_OUTCOMES} of each). Session by session it looked "
            f"better ({hazard}), which a few dozen dropouts can show by chance."
        )
    refit_brier = check.get("brier")
    cold_brier = (check.get("cold_start") or {}).get("brier")
    completion = f"before completion: Brier {refit_brier:.4f} vs {cold_brier:.4f}"
    if refit_brier is None or cold_brier is None or refit_brier >= cold_brier:
        return False, (
            f"Kept the cold start: the refit was not better on held-out men ({completion})."
        )
    return True, f"Adopted: better than the cold start on held-out men ({hazard}; {completion})."


def backtest_organization(
    *, organization: Organization, today: dt.date, split: dt.date | None = None
) -> dict[str, Any]:
    """Out-of-time backtest on the organization's history: train on men who started before
    ``split`` (default: the 70th percentile of start dates), score the men who started after.

    Raises :class:`~alliance.core.engagement.backtest.BacktestError` when there is too little.
    """
    enrollments = Enrollment.objects.filter(
        program__organization=organization, status__in=HISTORY_STATUSES
    )
    frames = engagement_frames(enrollments, today=today)
    return _backtest(frames, today=today, split=split)


def _backtest(frames: Any, *, today: dt.date, split: dt.date | None) -> dict[str, Any]:
    if frames.sessions.empty:
        raise BacktestError("no attendance history yet")
    starts = frames.enrollments.set_index("id")["started_on"].dropna()
    result = backtest(frames.intake, frames.sessions, starts, split=split)
    return {**result, "evaluated_on": today.isoformat()}


def _backtest_or_reason(frames: Any, *, today: dt.date) -> dict[str, Any]:
    """What the model card shows: the stored backtest with its date, or why there is none."""
    try:
        return _backtest(frames, today=today, split=None)
    except BacktestError as exc:
        return {"evaluated_on": today.isoformat(), "error": str(exc)}


def _plain(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, NaN to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def raise_outreach_alerts(
    *, organization: Organization, today: dt.date, band: str = "high"
) -> list[OutreachAlert]:
    """An open alert for each active man in ``band`` (by default the top band) who has no
    unfinished alert yet. The band is of his chance of leaving before completion."""
    rows = risk_rows(
        Enrollment.objects.filter(program__organization=organization),
        organization_id=organization.pk,
        today=today,
    )
    now = timezone.now()
    created = []
    with transaction.atomic():
        for row in rows:
            if row.outlook.band != band or row.open_alert_id is not None:
                continue
            created.append(_new_alert(row.enrollment, row.outlook, now=now, actor=None))
    return created


def _new_alert(
    enrollment: Enrollment, outlook: Any, *, now: dt.datetime, actor: User | None
) -> OutreachAlert:
    from alliance.engagement.selectors import active_model

    _, stored = active_model(enrollment.program.organization_id)
    return OutreachAlert.objects.create(
        enrollment=enrollment,
        raised_at=now,
        raised_by=actor,
        next_two=outlook.next_two,
        before_completion=outlook.before_completion,
        band=outlook.band,
        factors=list(outlook.factors),
        model_version=stored.version if stored else None,
    )


def start_outreach(*, enrollment: Enrollment, actor: User, today: dt.date) -> OutreachAlert:
    """A facilitator starts outreach for a man from the list: alert raised and acknowledged.

    Returns his unfinished alert instead if he already has one.
    """
    with transaction.atomic():
        existing = (
            OutreachAlert.objects.select_for_update()
            .filter(enrollment=enrollment)
            .exclude(status=OutreachStatus.CLOSED)
            .first()
        )
        if existing is not None:
            return existing
        rows = risk_rows(
            Enrollment.objects.filter(pk=enrollment.pk),
            organization_id=enrollment.program.organization_id,
            today=today,
        )
        if not rows:
            raise ValueError("Outreach alerts are for active men only.")
        now = timezone.now()
        alert = _new_alert(enrollment, rows[0].outlook, now=now, actor=actor)
        return _acknowledge(alert, actor=actor, now=now)


def acknowledge_alert(*, alert: OutreachAlert, actor: User) -> OutreachAlert:
    with transaction.atomic():
        alert = OutreachAlert.objects.select_for_update().get(pk=alert.pk)
        return _acknowledge(alert, actor=actor, now=timezone.now())


def _acknowledge(alert: OutreachAlert, *, actor: User, now: dt.datetime) -> OutreachAlert:
    alert.status = next_status(alert.status, OutreachEvent.ACKNOWLEDGE)
    alert.acknowledged_by = actor
    alert.acknowledged_at = now
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return alert


#: An outreach note is a line or two ("left a message with his mother").
MAX_NOTE_CHARS = 500


def record_outreach_action(
    *,
    alert: OutreachAlert,
    actor: User,
    kind: str,
    done_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> OutreachAction:
    """Record what was done for him and on which day (``done_on``: not after ``today``, the
    program's date, default the organization's today, nor before he was referred)."""
    try:
        kind = ActionKind(kind)
    except ValueError:
        raise ValueError("choose what was done from the list") from None
    if today is None:
        zone = zoneinfo.ZoneInfo(alert.enrollment.program.organization.time_zone)
        today = timezone.localdate(timezone=zone)
    if done_on > today:
        raise ValueError(
            f"the date {done_on:%-d %b %Y} is in the future; record an action once it is done"
        )
    referred = alert.enrollment.referred_on
    if referred is not None and done_on < referred:
        raise ValueError(
            f"the date {done_on:%-d %b %Y} is before he was referred ({referred:%-d %b %Y})"
        )
    note = note.strip()
    if len(note) > MAX_NOTE_CHARS:
        # Refused, not cut: a silently shortened note loses what the worker meant to keep.
        raise ValueError(f"the note is longer than {MAX_NOTE_CHARS} characters")
    with transaction.atomic():
        alert = OutreachAlert.objects.select_for_update().get(pk=alert.pk)
        alert.status = next_status(alert.status, OutreachEvent.ACTION)
        alert.save(update_fields=["status"])
        return OutreachAction.objects.create(
            alert=alert,
            kind=kind,
            note=note,
            done_on=done_on,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )


def record_outreach_outcome(*, alert: OutreachAlert, actor: User, outcome: str) -> OutreachAlert:
    try:
        outcome = OutreachOutcome(outcome)
    except ValueError:
        raise ValueError("choose what happened from the list") from None
    with transaction.atomic():
        alert = OutreachAlert.objects.select_for_update().get(pk=alert.pk)
        alert.status = next_status(alert.status, OutreachEvent.OUTCOME)
        alert.outcome = outcome
        alert.outcome_by = actor
        alert.outcome_at = timezone.now()
        alert.save(update_fields=["status", "outcome", "outcome_by", "outcome_at"])
        return alert
