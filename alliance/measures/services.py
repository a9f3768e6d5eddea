"""Writes: administrations, answers, scores and alerts.

Every function runs in one transaction. Answers are upserted one row per item, so a partial
form keeps what was answered and a retried request changes nothing it has already written.
Every write to an administration or an answer leaves a django-simple-history row naming the
user (``None`` for a man answering through a link or the kiosk).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.core.instruments import ENGINE_VERSION, InstrumentDefinition, score
from alliance.measures.models import (
    CHECKOUT,
    FACILITATOR_RATING,
    Administration,
    Alert,
    AlertKind,
    Channel,
    ItemResponse,
    MeasureSchedule,
    MeasureSettings,
    Occasion,
    Respondent,
    Score,
    Status,
    When,
)
from alliance.measures.registry import definition_for, item_label
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, Program, Session, SessionStatus

Answers = Mapping[str, object]


class MeasureError(ValueError):
    """Input that cannot be recorded; the message names the field or item and the problem."""


class AlreadyComplete(MeasureError):
    """A man's own form was already submitted (and this is not a retry of that submission)."""


def new_key() -> str:
    """A fresh idempotency key for a form."""
    return uuid.uuid4().hex


# --- settings and schedule -----------------------------------------------------------------


def settings_for(program: Program) -> MeasureSettings:
    """The program's thresholds, or the defaults (unsaved) when none were set."""
    found = MeasureSettings.objects.filter(program=program).first()
    return found or MeasureSettings(program=program)


DEFAULT_SCHEDULE = (
    (CHECKOUT, When.EVERY_SESSION, None),
    (FACILITATOR_RATING, When.EVERY_SESSION, None),
    ("scs_sf", When.INTAKE, None),
    ("scs_sf", When.EXIT, None),
)


def schedule_for(program: Program) -> list[MeasureSchedule]:
    """The program's measure schedule; until a manager sets one, the default above."""
    rows = list(MeasureSchedule.objects.filter(program=program))
    if rows:
        return rows
    return [
        MeasureSchedule(program=program, instrument_id=i, when=w, session_number=n)
        for i, w, n in DEFAULT_SCHEDULE
    ]


@transaction.atomic
def update_measure_settings(
    *, program: Program, checkout_cutoff: float, drop_points: float, low_rating_cutoff: float
) -> MeasureSettings:
    found, _ = MeasureSettings.objects.update_or_create(
        program=program,
        defaults={
            "checkout_cutoff": checkout_cutoff,
            "drop_points": drop_points,
            "low_rating_cutoff": low_rating_cutoff,
        },
    )
    return found


@transaction.atomic
def add_to_schedule(
    *, program: Program, instrument_id: str, when: When, session_number: int | None
) -> MeasureSchedule:
    try:
        definition_for(instrument_id)
    except LookupError as exc:
        raise MeasureError(f"instrument: {exc}") from None
    if (when is When.SESSION_NUMBER) != (session_number is not None):
        raise MeasureError("session_number: give a session number with 'at session number N' only.")
    if not MeasureSchedule.objects.filter(program=program).exists():
        # The first change turns the implicit default into explicit rows, so it is kept.
        for entry in schedule_for(program):
            entry.save()
    entry, _ = MeasureSchedule.objects.get_or_create(
        program=program, instrument_id=instrument_id, when=when, session_number=session_number
    )
    return entry


@transaction.atomic
def remove_from_schedule(*, program: Program, entry_id: int) -> None:
    MeasureSchedule.objects.filter(program=program, pk=entry_id).delete()


# --- administrations and answers -----------------------------------------------------------


@transaction.atomic
def start_administration(
    *,
    actor: User | None,
    enrollment: Enrollment,
    definition: InstrumentDefinition,
    respondent: Respondent,
    channel: Channel,
    administered_on: dt.date,
    idempotency_key: str,
    session: Session | None = None,
    occasion: Occasion = Occasion.OTHER,
) -> Administration:
    """Open an administration, or return the one this key (or this man, session and
    instrument) already opened: a retried request never creates a second one."""
    check_key(idempotency_key)
    existing = Administration.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None and session is not None:
        existing = Administration.objects.filter(
            enrollment=enrollment, session=session, instrument_id=definition.id
        ).first()
    if existing is not None:
        if existing.enrollment_id != enrollment.pk or existing.instrument_id != definition.id:
            raise MeasureError("key: this form was already used for another man or measure.")
        return existing
    administration = Administration(
        enrollment=enrollment,
        instrument_id=definition.id,
        instrument_version=definition.version,
        confidentiality=definition.confidentiality.value,
        session=session,
        occasion=occasion,
        respondent=respondent,
        channel=channel,
        administered_on=administered_on,
        idempotency_key=idempotency_key,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    administration._history_user = _user(actor)  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            administration.save()
    except IntegrityError:
        # Two requests raced on the same key or session: the other one won; use its row.
        return (
            Administration.objects.get(
                enrollment=enrollment, instrument_id=definition.id, session=session
            )
            if session is not None
            else Administration.objects.get(idempotency_key=idempotency_key)
        )
    return administration


def check_key(key: str) -> None:
    """A form's idempotency key: present and no longer than the column."""
    if not key or len(key) > 64:
        raise MeasureError("key: the form's idempotency key is missing; reload the page.")


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def clean_answers(definition: InstrumentDefinition, answers: Answers) -> dict[str, float | str]:
    """Parse and check answers; blank answers are dropped (they never erase a saved one).

    The engine does the range and step checks, so the web side and the CLI refuse exactly the
    same values. Raises :class:`MeasureError` naming every bad item.
    """
    cleaned: dict[str, float | str] = {}
    problems: list[str] = []
    for item_id, raw in answers.items():
        if not definition.has_item(item_id):
            problems.append(f"{item_id}: not a question of {definition.title}")
            continue
        item = definition.item(item_id)
        label = item_label(definition, item)
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if not item.response.numeric:
            cleaned[item_id] = text[:2000]
            continue
        try:
            value = float(text)
        except ValueError:
            problems.append(f"{label}: give a number (got {text!r})")
            continue
        if not math.isfinite(value):
            problems.append(f"{label}: give a number (got {text!r})")
            continue
        cleaned[item_id] = value
    numeric = {k: v for k, v in cleaned.items() if isinstance(v, float)}
    if numeric:
        result = score(definition, pd.DataFrame([numeric]))
        for error in result.errors:
            label = item_label(definition, definition.item(error.item))
            problems.append(f"{label}: {error.problem} (got {error.value:g})")
    if problems:
        raise MeasureError("; ".join(problems))
    return cleaned


def _upsert_answers(
    administration: Administration,
    cleaned: Mapping[str, float | str],
    *,
    actor: User | None,
    now: dt.datetime,
) -> int:
    existing = {r.item_id: r for r in administration.responses.all()}
    changed = 0
    for item_id, answer in cleaned.items():
        value = answer if isinstance(answer, float) else None
        text = answer if isinstance(answer, str) else ""
        row = existing.get(item_id)
        if row is not None and row.value == value and row.text == text:
            continue
        if row is None:
            row = ItemResponse(administration=administration, item_id=item_id)
        row.value, row.text, row.answered_at = value, text, now
        row._history_user = _user(actor)  # type: ignore[attr-defined]
        row.save()
        changed += 1
    return changed


@transaction.atomic
def save_answers(
    *,
    actor: User | None,
    administration: Administration,
    answers: Answers,
    now: dt.datetime | None = None,
) -> int:
    """Keep the answers given so far (a partial form); returns how many rows changed.

    A man's own form, once submitted, takes no more answers; staff may correct theirs.
    """
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    if locked.is_complete and locked.channel != Channel.STAFF:
        raise AlreadyComplete("This form has already been sent. Thank you.")
    definition = definition_for(locked.instrument_id, locked.instrument_version)
    cleaned = clean_answers(definition, answers)
    return _upsert_answers(locked, cleaned, actor=actor, now=now or timezone.now())


@dataclass(frozen=True)
class Submission:
    administration: Administration
    scores: dict[str, float | None]
    replay: bool
    alerts: list[Alert]


@transaction.atomic
def submit_administration(
    *,
    actor: User | None,
    administration: Administration,
    answers: Answers,
    submission_key: str,
    now: dt.datetime | None = None,
) -> Submission:
    """Complete an administration: keep the answers, score it, raise alerts.

    A retry of the same submission (same ``submission_key``) returns the stored result and
    writes nothing. Staff may resubmit their own forms to correct them (re-scored, with
    history); a man's own form accepts one submission.
    """
    now = now or timezone.now()
    locked = Administration.objects.select_for_update().get(pk=administration.pk)
    if locked.is_complete and submission_key and locked.submission_key == submission_key:
        stored = {s.scale_id: s.value for s in locked.scores.all()}
        return Submission(locked, stored, replay=True, alerts=[])
    if locked.is_complete and locked.channel != Channel.STAFF:
        raise AlreadyComplete("This form has already been sent. Thank you.")
    check_key(submission_key)
    definition = definition_for(locked.instrument_id, locked.instrument_version)
    cleaned = clean_answers(definition, answers)
    _upsert_answers(locked, cleaned, actor=actor, now=now)
    if not locked.responses.exists():
        raise MeasureError("Answer at least one question before sending.")
    locked.status = Status.COMPLETE
    locked.submitted_at = now
    locked.submission_key = submission_key
    locked._history_user = _user(actor)  # type: ignore[attr-defined]
    locked.save()
    scores = store_scores(locked, definition, now=now)
    alerts = raise_alerts(locked, scores, now=now)
    return Submission(locked, scores, replay=False, alerts=alerts)


def store_scores(
    administration: Administration, definition: InstrumentDefinition, *, now: dt.datetime
) -> dict[str, float | None]:
    """Score the stored answers with the engine and replace the stored scores."""
    answers = {
        r.item_id: r.value
        for r in administration.responses.all()
        if r.value is not None and definition.item(r.item_id).response.numeric
    }
    result = score(definition, pd.DataFrame([answers], dtype="float64"))
    if not result.ok:  # answers were checked on the way in; this is a bug, not bad input
        raise MeasureError("; ".join(str(e) for e in result.errors))
    administration.scores.all().delete()
    rows = score_rows([administration], definition, result.frame, now=now)
    Score.objects.bulk_create(rows)
    return {row.scale_id: row.value for row in rows}


def score_rows(
    administrations: Sequence[Administration],
    definition: InstrumentDefinition,
    frame: pd.DataFrame,
    *,
    now: dt.datetime,
) -> list[Score]:
    """Unsaved scores of every scale for each administration; ``frame`` is the engine's result,
    one row per administration in the same order. Shared by the single and the bulk path."""
    rows = []
    for scale in definition.scales:
        values = frame[f"{scale.id}_score"].to_numpy(dtype=float)
        bands = frame[f"{scale.id}_band"].astype(object).to_numpy()
        missing = frame[f"{scale.id}_missing"].to_numpy(dtype=bool)
        answered = frame[f"{scale.id}_answered"].to_numpy(dtype=int)
        for i, administration in enumerate(administrations):
            rows.append(
                Score(
                    administration=administration,
                    enrollment_id=administration.enrollment_id,
                    instrument_id=definition.id,
                    instrument_version=definition.version,
                    engine_version=ENGINE_VERSION,
                    confidentiality=administration.confidentiality,
                    scale_id=scale.id,
                    value=None if np.isnan(values[i]) else float(values[i]),
                    band="" if pd.isna(bands[i]) else str(bands[i]),
                    missing=bool(missing[i]),
                    answered=int(answered[i]),
                    administered_on=administration.administered_on,
                    scored_at=now,
                )
            )
    return rows


# --- alerts --------------------------------------------------------------------------------


def _previous_checkout(administration: Administration) -> float | None:
    earlier = (
        Score.objects.filter(
            enrollment_id=administration.enrollment_id,
            instrument_id=CHECKOUT,
            scale_id="total",
            value__isnull=False,
            administration__status=Status.COMPLETE,
        )
        .exclude(administration=administration)
        .filter(administered_on__lte=administration.administered_on)
        .exclude(
            administered_on=administration.administered_on,
            administration_id__gt=administration.pk,
        )
        .order_by("-administered_on", "-administration_id")
        .values_list("value", flat=True)
        .first()
    )
    return earlier


def alert_findings(
    administration: Administration,
    scores: Mapping[str, float | None],
    thresholds: MeasureSettings,
    previous_checkout: float | None,
) -> list[tuple[AlertKind, str]]:
    """Which alerts one scored administration raises, and what each says (no writes)."""
    total = scores.get("total")
    if total is None:
        return []
    found: list[tuple[AlertKind, str]] = []
    when = f"on {administration.administered_on:%d %b %Y}"
    if administration.instrument_id == CHECKOUT:
        cutoff = float(thresholds.checkout_cutoff)
        if total < cutoff:
            found.append(
                (
                    AlertKind.LOW_CHECKOUT,
                    f"Check-out {total:.1f} {when} is below the program's cutoff of {cutoff:g}.",
                )
            )
        drop = float(thresholds.drop_points)
        if previous_checkout is not None and previous_checkout - total >= drop - 1e-9:
            found.append(
                (
                    AlertKind.CHECKOUT_DROP,
                    f"Check-out fell from {previous_checkout:.1f} to {total:.1f} {when} "
                    f"(a drop of {previous_checkout - total:.1f}; the program flags {drop:g}).",
                )
            )
    elif administration.instrument_id == FACILITATOR_RATING:
        cutoff = float(thresholds.low_rating_cutoff)
        if total < cutoff:
            found.append(
                (
                    AlertKind.LOW_FACILITATOR_RATING,
                    f"Facilitator rating {total:.1f} {when} is below the program's cutoff "
                    f"of {cutoff:g}.",
                )
            )
    return found


def raise_alerts(
    administration: Administration, scores: Mapping[str, float | None], *, now: dt.datetime
) -> list[Alert]:
    """Create (or refresh) the alerts one scored administration calls for."""
    if administration.instrument_id not in (CHECKOUT, FACILITATOR_RATING):
        return []
    enrollment = Enrollment.objects.select_related("program").get(pk=administration.enrollment_id)
    thresholds = settings_for(enrollment.program)
    previous = (
        _previous_checkout(administration) if administration.instrument_id == CHECKOUT else None
    )
    alerts = []
    for kind, detail in alert_findings(administration, scores, thresholds, previous):
        alert, created = Alert.objects.get_or_create(
            administration=administration,
            kind=kind,
            defaults={
                "enrollment_id": administration.enrollment_id,
                "session": administration.session,
                "detail": detail,
                "created_at": now,
            },
        )
        if not created and alert.acknowledged_at is None and alert.detail != detail:
            alert.detail = detail
            alert.save(update_fields=["detail"])
        alerts.append(alert)
    if administration.instrument_id == CHECKOUT and administration.session_id is not None:
        # The check-out came in after all: the missed-measure alert resolves itself.
        Alert.objects.filter(
            enrollment_id=administration.enrollment_id,
            session_id=administration.session_id,
            kind=AlertKind.MISSED_MEASURE,
            acknowledged_at__isnull=True,
        ).update(acknowledged_at=now)
    return alerts


def checkout_every_session(program: Program) -> bool:
    return any(
        e.instrument_id == CHECKOUT and e.when == When.EVERY_SESSION for e in schedule_for(program)
    )


@transaction.atomic
def flag_missed_checkouts(*, session: Session, now: dt.datetime | None = None) -> list[Alert]:
    """Alert for each man who attended a held session and has no completed check-out for it."""
    now = now or timezone.now()
    session = Session.objects.select_related("group__program").get(pk=session.pk)
    if session.status != SessionStatus.HELD:
        return []
    if not checkout_every_session(session.group.program):
        return []
    attended = Attendance.objects.filter(session=session, mark__in=IN_THE_ROOM).values_list(
        "enrollment_id", flat=True
    )
    done = set(
        Administration.objects.filter(
            session=session, instrument_id=CHECKOUT, status=Status.COMPLETE
        ).values_list("enrollment_id", flat=True)
    )
    alerts = []
    for enrollment_id in attended:
        if enrollment_id in done:
            continue
        alert, _ = Alert.objects.get_or_create(
            enrollment_id=enrollment_id,
            session=session,
            kind=AlertKind.MISSED_MEASURE,
            administration=None,
            defaults={
                "detail": f"No check-out for the session of {session.held_on:%d %b %Y}, "
                "which he attended.",
                "created_at": now,
            },
        )
        alerts.append(alert)
    return alerts


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """Mark an alert as seen; acknowledging twice keeps the first acknowledgement."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_at = now or timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return locked
