"""Writes for practice, homework and accountability. One function per action."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.history import set_history_user
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment
from alliance.practice.models import (
    AccountabilityLog,
    Assignment,
    Feedback,
    PlanGoal,
    PlanGoalChange,
    Practice,
    PracticeLog,
    SelfPractice,
    Via,
)
from alliance.programs.models import Group, Session

RATINGS = (
    "calm_before",
    "calm_after",
    "threat_before",
    "threat_after",
    "connection_before",
    "connection_after",
)
ACCOUNT_FIELDS = (
    "situation",
    "what_he_did",
    "what_he_wanted",
    "belief_then",
    "effect_on_partner",
    "effect_on_children",
    "effect_on_others",
    "could_do_instead",
    "repair_step",
)


class PracticeError(ValueError):
    pass


def new_key() -> str:
    return secrets.token_hex(16)


# --- Checks shared by the single-row services and the bulk paths (alliance.practice.bulk) ----


def check_key(key: str) -> None:
    if not key or len(key) > 64:
        raise PracticeError("The form is missing its key; reload the page.")


def check_minutes(minutes: int) -> None:
    if not 0 <= minutes <= 240:
        raise PracticeError("Minutes must be between 0 and 240.")


def check_ratings(ratings: dict[str, int | None]) -> None:
    for name, value in ratings.items():
        if name not in RATINGS:
            raise PracticeError(f"Unknown rating {name}.")
        if value is not None and not 0 <= value <= 10:
            raise PracticeError("Ratings go from 0 to 10.")


def check_target(
    *, group_id: int | None, enrollment_id: int | None, session: Session | None
) -> None:
    """Homework goes to a group or to one man; a session named must be the group's."""
    if (group_id is None) == (enrollment_id is None):
        raise PracticeError("Assign to a group or to one man.")
    if session is not None and group_id is not None and session.group_id != group_id:
        raise PracticeError("That session belongs to another group.")


def clean_account(texts: dict[str, str]) -> dict[str, str]:
    """An accountability log's texts, cut to length; the situation and what he did are needed."""
    if not texts.get("situation", "").strip() or not texts.get("what_he_did", "").strip():
        raise PracticeError("Describe the situation and what you did.")
    return {k: texts.get(k, "")[:4000] for k in ACCOUNT_FIELDS}


def check_feedback(body: str) -> None:
    if not body.strip():
        raise PracticeError("Write some feedback first.")


def check_goal(goal: str) -> None:
    if not goal.strip():
        raise PracticeError("Write the goal.")


def check_goal_change(current: str, status: str, note: str) -> None:
    """Any status may follow any other; the same status again is refused (the history shows
    only real changes), and "revised" needs a note saying what changed."""
    if status not in PlanGoal.Status.values:
        choices = ", ".join(PlanGoal.Status.values)
        raise PracticeError(f"status: {status!r} is not one of {choices}.")
    if current == status:
        label = PlanGoal.Status(status).label.lower()
        raise PracticeError(f"status: the goal is already {label}.")
    if status == PlanGoal.Status.REVISED and not note.strip():
        raise PracticeError("note: say how the goal was revised.")


@transaction.atomic
def save_practice(
    *,
    organization: Organization,
    practice: Practice | None,
    fields: dict[str, Any],
) -> Practice:
    """Add an agency practice, or edit one (simple-history keeps every earlier version)."""
    if practice is None:
        practice = Practice(organization=organization)
    elif practice.organization_id != organization.pk:
        raise PracticeError("Only your agency's own practices can be edited.")
    for name, value in fields.items():
        setattr(practice, name, value)
    try:
        practice.full_clean()
    except ValidationError as exc:
        raise PracticeError("; ".join(exc.messages)) from exc
    practice.save()
    return practice


@transaction.atomic
def assign_practice(
    *,
    actor: User,
    practice: Practice,
    due_on: dt.date,
    group: Group | None = None,
    enrollment: Enrollment | None = None,
    session: Session | None = None,
) -> Assignment:
    check_target(
        group_id=group.pk if group else None,
        enrollment_id=enrollment.pk if enrollment else None,
        session=session,
    )
    return Assignment.objects.create(
        practice=practice,
        group=group,
        enrollment=enrollment,
        session=session,
        due_on=due_on,
        assigned_by=actor,
    )


@dataclass(frozen=True)
class Logged:
    log: PracticeLog
    created: bool


def log_practice(
    *,
    enrollment: Enrollment,
    practice: Practice,
    assignment: Assignment | None,
    logged_on: dt.date,
    done: bool,
    minutes: int,
    ratings: dict[str, int | None],
    note: str,
    via: Via,
    idempotency_key: str,
) -> Logged:
    """Record one practice log. A retry with the same key returns the first row unchanged.

    The unique key makes this safe under concurrent retries too: the second insert fails,
    and the row the first one wrote is returned.
    """
    check_key(idempotency_key)
    existing = PracticeLog.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.enrollment_id != enrollment.pk:
            raise PracticeError("The form is missing its key; reload the page.")
        return Logged(existing, created=False)
    check_minutes(minutes)
    check_ratings(ratings)
    try:
        with transaction.atomic():
            log = PracticeLog.objects.create(
                enrollment=enrollment,
                practice=practice,
                assignment=assignment,
                logged_on=logged_on,
                done=done,
                minutes=minutes if done else 0,
                note=note[:2000],
                via=via,
                idempotency_key=idempotency_key,
                **ratings,
            )
    except IntegrityError:
        return Logged(PracticeLog.objects.get(idempotency_key=idempotency_key), created=False)
    return Logged(log, created=True)


def write_accountability_log(
    *,
    enrollment: Enrollment,
    written_on: dt.date,
    texts: dict[str, str],
    minimising: bool,
    denying: bool,
    blaming: bool,
    via: Via,
    idempotency_key: str,
) -> tuple[AccountabilityLog, bool]:
    check_key(idempotency_key)
    existing = AccountabilityLog.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.enrollment_id != enrollment.pk:
            raise PracticeError("The form is missing its key; reload the page.")
        return existing, False
    clean = clean_account(texts)
    try:
        with transaction.atomic():
            log = AccountabilityLog.objects.create(
                enrollment=enrollment,
                written_on=written_on,
                minimising=minimising,
                denying=denying,
                blaming=blaming,
                via=via,
                idempotency_key=idempotency_key,
                **clean,
            )
    except IntegrityError:
        return AccountabilityLog.objects.get(idempotency_key=idempotency_key), False
    return log, True


@transaction.atomic
def add_feedback(*, actor: User, log: AccountabilityLog, body: str, now: dt.datetime) -> Feedback:
    check_feedback(body)
    return Feedback.objects.create(log=log, author=actor, body=body[:4000], created_at=now)


@transaction.atomic
def add_plan_goal(
    *,
    actor: User,
    enrollment: Enrollment,
    goal: str,
    review_on: dt.date,
    now: dt.datetime | None = None,
) -> PlanGoal:
    check_goal(goal)
    row = PlanGoal(enrollment=enrollment, goal=goal[:300], review_on=review_on, created_by=actor)
    set_history_user(row, actor)
    row.save()
    PlanGoalChange.objects.create(
        goal=row,
        to_status=row.status,
        changed_by=actor,
        changed_at=now or timezone.now(),
    )
    return row


@transaction.atomic
def change_goal_status(
    *,
    actor: User,
    goal: PlanGoal,
    status: str,
    note: str = "",
    review_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> PlanGoalChange:
    """Move a plan goal to ``status`` (optionally with a new review date), keeping who/when.

    Any status may follow any other (a met goal can be reopened); setting the status it already
    has is refused, so the history shows only real changes. "Revised" asks for a note saying
    what changed.
    """
    if status not in PlanGoal.Status.values:
        check_goal_change("", status, note)  # refuses the unknown status before locking
    locked = PlanGoal.objects.select_for_update().get(pk=goal.pk)
    check_goal_change(locked.status, status, note)
    change = PlanGoalChange.objects.create(
        goal=locked,
        from_status=locked.status,
        to_status=status,
        note=note.strip()[:500],
        changed_by=actor,
        changed_at=now or timezone.now(),
    )
    locked.status = status
    set_history_user(locked, actor)
    fields = ["status"]
    if review_on is not None:
        locked.review_on = review_on
        fields.append("review_on")
    locked.save(update_fields=fields)
    return change


@transaction.atomic
def log_self_practice(
    *,
    facilitator: User,
    practice: Practice | None,
    practised_on: dt.date,
    minutes: int,
    reflection: str,
) -> SelfPractice:
    check_minutes(minutes)
    return SelfPractice.objects.create(
        facilitator=facilitator,
        practice=practice,
        practised_on=practised_on,
        minutes=minutes,
        reflection=reflection[:4000],
    )


@transaction.atomic
def ensure_builtin_library() -> int:
    """Write the built-in practices if missing (the migration loads them, but ``flush``, as
    the demo rebuild uses, empties the table). Returns how many were added."""
    from alliance.practice.library import LIBRARY

    added = 0
    for p in LIBRARY:
        _, created = Practice.objects.get_or_create(
            organization=None,
            slug=p.slug,
            defaults={
                "title": p.title,
                "purpose": p.purpose,
                "steps": "\n".join(p.steps),
                "script": p.script,
                "minutes": p.minutes,
                "introduced_in_session": p.session,
            },
        )
        added += created
    return added
