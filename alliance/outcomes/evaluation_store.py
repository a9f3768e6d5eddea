"""The program evaluation, computed by a background task and read from its stored result.

The evaluation fits three propensity models and six Cox models and reads every score; at
10,000 men that takes tens of seconds, past a web worker's timeout. So the page never computes
it: it reads the last result stored for its programs (``EvaluationSnapshot``) and, when the
records have changed since, enqueues one recomputation and says so ("being recomputed"). The
PDF is built from the same stored result and states when it was computed.

Whether the records changed is told by a fingerprint of every table the report reads: the
latest history row of enrollments, participants and outreach alerts (any save adds one), and
the largest id, row count and latest timestamp of follow-ups, outcome events, scores,
administrations and outreach actions; a handful of index-only aggregates. Any write the report
could see changes it, so a result whose fingerprint matches is current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from alliance.engagement.models import OutreachAction, OutreachAlert
from alliance.measures.models import Administration, Score
from alliance.outcomes import charts
from alliance.outcomes.engagement_followup import alert_actions
from alliance.outcomes.measures_change import measure_changes
from alliance.outcomes.models import EvaluationSnapshot, FollowUp, OutcomeEvent
from alliance.outcomes.selectors import COVARIATE_LABELS, evaluation_report
from alliance.participants.models import Enrollment, Participant
from alliance.programs.models import Program

CHECKPOINTS_DAYS = (("6 months", 182.6), ("12 months", 365.25))

#: A recomputation asked for longer ago than this without a result is asked for again (its
#: worker may have been stopped mid-way).
RETRY_AFTER = dt.timedelta(minutes=15)


def fingerprint() -> str:
    def newest(history: Any) -> object:
        return history.aggregate(m=Max("history_id"))["m"]

    def rows(model: Any, *extra: str) -> tuple[object, ...]:
        found = model.objects.aggregate(m=Max("pk"), n=Count("pk"), **{f: Max(f) for f in extra})
        return tuple(found.values())

    state = (
        newest(Enrollment.history),
        newest(Participant.history),
        newest(OutreachAlert.history),
        rows(FollowUp),
        rows(OutcomeEvent),
        rows(Score, "scored_at"),
        rows(Administration, "submitted_at"),
        rows(OutreachAction),
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()


def scope_of(program_ids: Sequence[int]) -> str:
    return ",".join(str(pk) for pk in sorted(set(program_ids)))


def report_parts(programs: QuerySet[Program]) -> dict[str, Any]:
    """What takes time: the analyses and their charts, as the page and the PDF render them."""
    report = evaluation_report(programs)
    panels = []
    for panel in report.panels:
        c = panel.comparison
        charts_and_rows = None
        if c is not None:
            charts_and_rows = {
                "raw_svg": charts.survival_svg(
                    c.raw_curves, title=f"{panel.outcome.label}: unadjusted", bands=True
                ),
                "adjusted_svg": charts.survival_svg(
                    c.weighted_curves,
                    title=f"{panel.outcome.label}: weighted for intake differences",
                    bands=False,
                ),
                "at": [
                    (
                        label,
                        [
                            (group, c.raw_curves[group].at(days), c.weighted_curves[group].at(days))
                            for group in c.raw_curves
                        ],
                    )
                    for label, days in CHECKPOINTS_DAYS
                ],
                "balance": [
                    (COVARIATE_LABELS[b.covariate], b.smd_before, b.smd_after) for b in c.balance
                ],
            }
        panels.append((panel, charts_and_rows))
    return {
        "report": report,
        "panels": panels,
        "measure_changes": measure_changes(programs),
        "alert_actions": alert_actions(programs),
    }


@dataclass(frozen=True)
class StoredEvaluation:
    """What the page shows: the last parts (None before the first result), their time, and
    whether a newer result is being computed."""

    parts: dict[str, Any] | None
    computed_at: dt.datetime | None
    recomputing: bool


def compute_and_store(program_ids: Sequence[int]) -> None:
    """Compute the evaluation of these programs and store it with the fingerprint it read."""
    scope = scope_of(program_ids)
    # Read before computing: a write during the computation leaves the result due again.
    state = fingerprint()
    parts = report_parts(Program.objects.filter(pk__in=program_ids))
    payload = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    with transaction.atomic():
        snapshot, _ = EvaluationSnapshot.objects.select_for_update().get_or_create(scope=scope)
        snapshot.fingerprint = state
        snapshot.parts = payload
        snapshot.computed_at = timezone.now()
        snapshot.save()


def stored_evaluation(programs: QuerySet[Program]) -> StoredEvaluation:
    """The last result for these programs; enqueue its recomputation if the records moved on."""
    program_ids = sorted(programs.values_list("pk", flat=True))
    scope = scope_of(program_ids)
    state = fingerprint()
    snapshot, _ = EvaluationSnapshot.objects.get_or_create(scope=scope)
    if snapshot.fingerprint != state or snapshot.parts is None:
        _request(snapshot, program_ids=program_ids, state=state)
        snapshot.refresh_from_db()
    parts = None if snapshot.parts is None else pickle.loads(bytes(snapshot.parts))
    return StoredEvaluation(
        parts=parts,
        computed_at=snapshot.computed_at,
        recomputing=snapshot.fingerprint != state or parts is None,
    )


def _request(snapshot: EvaluationSnapshot, *, program_ids: list[int], state: str) -> None:
    """Enqueue one recomputation per state of the records, however many pages ask."""
    from alliance.outcomes.tasks import compute_evaluation_task

    now = timezone.now()
    claimed = (
        EvaluationSnapshot.objects.filter(pk=snapshot.pk)
        .filter(
            ~Q(requested_fingerprint=state)
            | Q(requested_at__isnull=True)
            | Q(requested_at__lt=now - RETRY_AFTER)
        )
        .update(requested_fingerprint=state, requested_at=now)
    )
    if claimed:
        compute_evaluation_task.enqueue(program_ids=program_ids)
