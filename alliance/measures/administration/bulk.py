"""Bulk write path for completed administrations: the demo and a caseload import.

Each form passes the checks the single-row services make (the form key, the instrument's
items, the engine's range and step checks through ``score``), for every row before anything
is written; a bad row is refused with its row number and item and nothing is saved. Scores
come from one engine call and
:func:`alliance.measures.administration.services.score_rows`, as for a form submitted on the
web. One transaction; one history row per administration, attributed to
whoever gave the form. Answers get no history row of their own: they are written once, with
their administration, whose history row attributes them (a history row per answer would
triple the demo's build time for nothing). Edits go through the single-row services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from alliance.core.instruments import InstrumentDefinition, score
from alliance.history import set_history_user
from alliance.measures.administration.services import check_key, score_rows
from alliance.measures.errors import MeasureError
from alliance.measures.models import (
    Administration,
    Channel,
    ItemResponse,
    Occasion,
    Respondent,
    Score,
    Status,
)
from alliance.measures.registry import item_label
from alliance.participants.bulk import announce, chunks


@dataclass(frozen=True)
class Form:
    """One completed form: whose, when, at which session, given (or rated) by whom."""

    enrollment_id: int
    administered_on: dt.date
    key: str
    session_id: int | None = None
    created_by: User | None = None


@transaction.atomic
def record_administrations_bulk(
    *,
    actor: User | None,
    definition: InstrumentDefinition,
    forms: Sequence[Form],
    answers: pd.DataFrame,
    respondent: Respondent,
    channel: Channel,
    occasion: Occasion,
    now: dt.datetime,
) -> tuple[list[Administration], pd.DataFrame]:
    """Write completed forms, their answers and their scores; return the administrations and
    the engine's result frame (one row each, in order, e.g. ``total_score``).

    ``answers`` has one row per form and one column per item id (NaN for unanswered).
    """
    if len(answers) != len(forms):
        raise MeasureError(f"answers: {len(answers)} rows for {len(forms)} forms.")
    unknown = [c for c in answers.columns if not definition.has_item(str(c))]
    if unknown:
        raise MeasureError(f"{unknown[0]}: not a question of {definition.title}")
    keys = [form.key for form in forms]
    for row, key in enumerate(keys, start=1):
        try:
            check_key(key)
        except MeasureError as error:
            raise MeasureError(f"row {row}: {error}") from error
    if len(set(keys)) != len(keys):
        raise MeasureError("key: the same form key appears twice in this batch.")
    for chunk in chunks(keys):
        used = Administration.objects.filter(idempotency_key__in=chunk)
        taken = used.values_list("idempotency_key", flat=True).first()
        if taken is not None:
            raise MeasureError(f"key: {taken} was already used for another form.")
    frame = answers.reset_index(drop=True).astype("float64")
    result = score(definition, frame)
    if result.errors:
        first = result.errors[0]
        label = item_label(definition, definition.item(first.item))
        raise MeasureError(
            f"row {first.row + 1}: {label}: {first.problem} (got {first.value:g})"
            + (f"; and {len(result.errors) - 1} more" if len(result.errors) > 1 else "")
        )
    administrations = []
    for form in forms:
        administration = Administration(
            enrollment_id=form.enrollment_id,
            instrument_id=definition.id,
            instrument_version=definition.version,
            confidentiality=definition.confidentiality.value,
            session_id=form.session_id,
            occasion=occasion,
            respondent=respondent,
            channel=channel,
            status=Status.COMPLETE,
            administered_on=form.administered_on,
            idempotency_key=form.key,
            submission_key=form.key,
            created_by=form.created_by,
            submitted_at=now,
        )
        set_history_user(administration, form.created_by or actor)
        administrations.append(administration)
    administrations = bulk_create_with_history(
        administrations, Administration, batch_size=1000, default_user=actor
    )
    items = [str(c) for c in frame.columns]
    values = frame.to_numpy()
    ItemResponse.objects.bulk_create(
        (
            ItemResponse(
                administration=administration,
                item_id=item_id,
                value=float(value),
                answered_at=now,
            )
            for administration, answered in zip(administrations, values, strict=True)
            for item_id, value in zip(items, answered, strict=True)
            if not np.isnan(value)
        ),
        batch_size=2000,
    )
    Score.objects.bulk_create(
        score_rows(administrations, definition, result.frame, now=now), batch_size=2000
    )
    announce([a.enrollment_id for a in administrations])
    return administrations, result.frame
