"""Bulk write paths for homework, practice, accountability and plans: the demo and an import.

Each row gets the checks of its single-row twin in :mod:`alliance.practice.services`
(``check_target``, ``check_key``, ``check_minutes``, ``check_ratings``, ``clean_account``,
``check_feedback``, ``check_goal``, ``check_goal_change``) before anything is written; a bad
row is refused with its row number and the man's code, and nothing is saved. Each function is
one transaction. The rows name who acted (``assigned_by``, ``author``, ``changed_by``); plan
goals, the one table here with a history, get one history row each, attributed to the goal's
author or the call's actor. Bulk paths only create: edits go through the single-row services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from alliance.history import set_history_user
from alliance.participants.bulk import BulkRowError, chunks
from alliance.participants.models import Enrollment
from alliance.practice.models import (
    AccountabilityLog,
    Assignment,
    Feedback,
    PlanGoal,
    PlanGoalChange,
    PracticeLog,
    SelfPractice,
    Supervision,
)
from alliance.practice.services import (
    ACCOUNT_FIELDS,
    RATINGS,
    PracticeError,
    check_feedback,
    check_goal,
    check_goal_change,
    check_key,
    check_minutes,
    check_ratings,
    check_target,
    clean_account,
)

BATCH = 2000


def _refuse(row: int, enrollment_id: int | None, error: Exception) -> BulkRowError:
    """``row N (his code): reason``; the code is looked up only when a row is refused."""
    code = None
    if enrollment_id is not None:
        code = (
            Enrollment.objects.filter(pk=enrollment_id)
            .values_list("participant__code", flat=True)
            .first()
        )
    label = f" ({code})" if code else ""
    return BulkRowError(f"row {row}{label}: {error}")


def _unused_keys(model: type[PracticeLog] | type[AccountabilityLog], keys: list[str]) -> None:
    """Refuse a key repeated in the batch or already stored (a form is kept once)."""
    seen: set[str] = set()
    for row, key in enumerate(keys, start=1):
        if key in seen:
            raise BulkRowError(f"row {row}: idempotency_key: repeated in this batch.")
        seen.add(key)
    for chunk in chunks(keys):
        taken = model.objects.filter(idempotency_key__in=chunk)
        first = taken.values_list("idempotency_key", flat=True).first()
        if first is not None:
            row = keys.index(first) + 1
            raise BulkRowError(f"row {row}: idempotency_key: {first} was already used.")


@transaction.atomic
def assign_practice_bulk(
    *, actor: User | None, assignments: Sequence[Assignment]
) -> list[Assignment]:
    """Save many new homework assignments (to a group, or to one man), as ``assign_practice``."""
    for row, a in enumerate(assignments, start=1):
        try:
            check_target(group_id=a.group_id, enrollment_id=a.enrollment_id, session=a.session)
        except PracticeError as error:
            raise _refuse(row, a.enrollment_id, error) from error
        if a.assigned_by_id is None:
            a.assigned_by = actor
    return Assignment.objects.bulk_create(list(assignments), batch_size=BATCH)


@transaction.atomic
def log_practice_bulk(*, logs: Sequence[PracticeLog]) -> list[PracticeLog]:
    """Save many new practice logs, checked as ``log_practice`` checks one (a key used before
    is refused here: a bulk write has no retry to recognise)."""
    for row, log in enumerate(logs, start=1):
        try:
            check_key(log.idempotency_key)
            check_minutes(log.minutes)
            check_ratings({name: getattr(log, name) for name in RATINGS})
        except PracticeError as error:
            raise _refuse(row, log.enrollment_id, error) from error
        if not log.done:
            log.minutes = 0
        log.note = log.note[:2000]
    _unused_keys(PracticeLog, [log.idempotency_key for log in logs])
    return PracticeLog.objects.bulk_create(list(logs), batch_size=BATCH)


@transaction.atomic
def write_accountability_logs_bulk(*, logs: Sequence[AccountabilityLog]) -> list[AccountabilityLog]:
    """Save many new accountability logs, checked as ``write_accountability_log`` checks one."""
    for row, log in enumerate(logs, start=1):
        try:
            check_key(log.idempotency_key)
            clean = clean_account({name: getattr(log, name) for name in ACCOUNT_FIELDS})
        except PracticeError as error:
            raise _refuse(row, log.enrollment_id, error) from error
        for name, value in clean.items():
            setattr(log, name, value)
    _unused_keys(AccountabilityLog, [log.idempotency_key for log in logs])
    return AccountabilityLog.objects.bulk_create(list(logs), batch_size=BATCH)


@transaction.atomic
def add_feedback_bulk(*, feedback: Sequence[Feedback]) -> list[Feedback]:
    """Save many facilitators' replies on accountability logs, as ``add_feedback``."""
    for row, reply in enumerate(feedback, start=1):
        try:
            check_feedback(reply.body)
        except PracticeError as error:
            raise BulkRowError(f"row {row} (log {reply.log_id}): {error}") from error
        reply.body = reply.body[:4000]
    return Feedback.objects.bulk_create(list(feedback), batch_size=BATCH)


@dataclass(frozen=True)
class GoalStep:
    """One status change of a plan goal after it was set."""

    status: str
    on: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class GoalRecord:
    """A plan goal as set (``goal`` unsaved, its author in ``created_by``) on ``set_at``, then
    the changes it went through; the goal ends in the status of its last step."""

    goal: PlanGoal
    set_at: dt.datetime
    steps: tuple[GoalStep, ...] = ()


@transaction.atomic
def add_plan_goals_bulk(*, actor: User | None, records: Sequence[GoalRecord]) -> list[PlanGoal]:
    """Save many plan goals with their status changes, each step checked as
    ``change_goal_status`` checks it; one history row per goal, attributed to its author."""
    changes: list[list[PlanGoalChange]] = []
    for row, record in enumerate(records, start=1):
        goal = record.goal
        author = goal.created_by_id
        try:
            check_goal(goal.goal)
            current = PlanGoal.Status.OPEN.value
            steps = [PlanGoalChange(from_status="", to_status=current, changed_at=record.set_at)]
            for step in record.steps:
                check_goal_change(current, step.status, step.note)
                if step.on < steps[-1].changed_at:
                    raise PracticeError(f"{step.status}: the change comes before the one before.")
                steps.append(
                    PlanGoalChange(
                        from_status=current,
                        to_status=step.status,
                        note=step.note.strip()[:500],
                        changed_at=step.on,
                    )
                )
                current = step.status
        except PracticeError as error:
            raise _refuse(row, goal.enrollment_id, error) from error
        for change in steps:
            change.changed_by_id = author if author is not None else getattr(actor, "pk", None)
        goal.goal, goal.status = goal.goal[:300], current
        if author is None and actor is not None:
            goal.created_by = actor
        set_history_user(goal, goal.created_by if goal.created_by_id else actor)
        changes.append(steps)
    goals: list[PlanGoal] = bulk_create_with_history(
        [r.goal for r in records], PlanGoal, batch_size=BATCH, default_user=actor
    )
    rows: list[PlanGoalChange] = []
    for goal, steps in zip(goals, changes, strict=True):
        for change in steps:
            change.goal = goal
            rows.append(change)
    PlanGoalChange.objects.bulk_create(rows, batch_size=BATCH)
    return goals


@transaction.atomic
def log_self_practice_bulk(*, entries: Sequence[SelfPractice]) -> list[SelfPractice]:
    """Save many facilitators' own practice entries, as ``log_self_practice``."""
    for row, entry in enumerate(entries, start=1):
        try:
            check_minutes(entry.minutes)
        except PracticeError as error:
            raise BulkRowError(
                f"row {row} (facilitator {entry.facilitator_id}): {error}"
            ) from error
        entry.reflection = entry.reflection[:4000]
    return SelfPractice.objects.bulk_create(list(entries), batch_size=BATCH)


@transaction.atomic
def add_supervisions_bulk(*, supervisor: User, facilitators: Iterable[User]) -> list[Supervision]:
    """``supervisor`` supervises these facilitators too (those already supervised are kept)."""
    have = set(
        Supervision.objects.filter(supervisor=supervisor).values_list("facilitator_id", flat=True)
    )
    new = []
    for row, facilitator in enumerate(facilitators, start=1):
        if facilitator.pk == supervisor.pk:
            raise BulkRowError(f"row {row} ({facilitator.get_username()}): cannot supervise self.")
        if facilitator.pk not in have:
            have.add(facilitator.pk)
            new.append(Supervision(supervisor=supervisor, facilitator=facilitator))
    return Supervision.objects.bulk_create(new)
