"""Writes: administrations, answers and scores (a scored administration raises its alerts
through :mod:`alliance.measures.alerts.services`).

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
from django.utils.translation import gettext, gettext_noop

from alliance.core.instruments import ENGINE_VERSION, InstrumentDefinition, score
from alliance.history import set_history_user
from alliance.measures.alerts.services import raise_alerts
from alliance.measures.errors import MeasureError
from alliance.measures.models import (
    Administration,
    Alert,
    Channel,
    ItemResponse,
    Occasion,
    Respondent,
    Score,
    Status,
)
from alliance.measures.registry import definition_for, item_label
from alliance.participants.models import Enrollment
from alliance.programs.models import Session

#: Said to a man who sends an empty form (his pages compare against it).
NO_ANSWER = gettext_noop("Answer at least one question before sending.")

Answers = Mapping[str, object]


class AlreadyComplete(MeasureError):
    """A man's own form was already submitted (and this is not a retry of that submission)."""


def new_key() -> str:
    """A fresh idempotency key for a form."""
    return uuid.uuid4().hex


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
    set_history_user(administration, _user(actor))
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
        set_history_user(row, _user(actor))
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
        raise AlreadyComplete(gettext("This form has already been sent. Thank you."))
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
        raise AlreadyComplete(gettext("This form has already been sent. Thank you."))
    check_key(submission_key)
    definition = definition_for(locked.instrument_id, locked.instrument_version)
    cleaned = clean_answers(definition, answers)
    _upsert_answers(locked, cleaned, actor=actor, now=now)
    if not locked.responses.exists():
        raise MeasureError(gettext(NO_ANSWER))
    locked.status = Status.COMPLETE
    locked.submitted_at = now
    locked.submission_key = submission_key
    set_history_user(locked, _user(actor))
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
