"""Synthetic homework, practice logs, accountability work and self-practice for the demo.

Called by the demo builder (``DEMO_STEPS``) after attendance and measures. For every held
session the group gets the practice whose introducing session matches (or the next in the
library), due a week later; each man has his own practice habit, and the men who attended
log it with calm/threat/connection before and after. Men write an accountability log about
once a month, older ones with facilitator feedback; the supervisor supervises every
facilitator, who log their own practice. Written through the bulk paths of
:mod:`alliance.practice.bulk`, which check each row as the single-row services do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from alliance.core.compliance import IN_THE_ROOM
from alliance.organizations.models import Role
from alliance.practice.bulk import (
    GoalRecord,
    GoalStep,
    add_feedback_bulk,
    add_plan_goals_bulk,
    add_supervisions_bulk,
    assign_practice_bulk,
    log_practice_bulk,
    log_self_practice_bulk,
    write_accountability_logs_bulk,
)
from alliance.practice.models import (
    AccountabilityLog,
    Assignment,
    Feedback,
    PlanGoal,
    Practice,
    PracticeLog,
    SelfPractice,
    Via,
)
from alliance.practice.services import ensure_builtin_library
from alliance.programs.models import Attendance, Group, Session, SessionStatus

SITUATIONS = [
    ("She asked me about money.", "I raised my voice and walked at her."),
    ("The kids were loud at dinner.", "I banged the table and told them to shut up."),
    ("She was late picking me up.", "I sent her a string of angry texts."),
    ("My ex changed the contact weekend.", "I called her names on the phone."),
]


@dataclass(frozen=True)
class DemoPractice:
    homework: int
    practice_logs: int
    accountability_logs: int
    self_practice: int
    plan_goals: int = 0


def _clip(values: np.ndarray) -> np.ndarray:
    clipped: np.ndarray = np.clip(np.rint(values), 0, 10).astype(int)
    return clipped


def add_practice(seed: int, today: dt.date) -> DemoPractice:
    if Assignment.objects.exists():
        raise RuntimeError("The demo already has homework.")
    ensure_builtin_library()
    rng = np.random.default_rng(seed + 5)
    library = list(Practice.objects.filter(organization__isnull=True).order_by("pk"))
    by_session = {p.introduced_in_session: p for p in library}
    sessions = list(
        Session.objects.filter(status=SessionStatus.HELD, held_on__lte=today)
        .select_related("curriculum_session")
        .order_by("group_id", "held_on")
    )
    assignments = []
    for k, s in enumerate(sessions):
        number = s.curriculum_session.number if s.curriculum_session else k
        practice = by_session.get(number) or library[number % len(library)]
        assignments.append(
            Assignment(
                practice=practice,
                group_id=s.group_id,
                session=s,
                due_on=s.held_on + dt.timedelta(7),
            )
        )
    assign_practice_bulk(actor=None, assignments=assignments)
    by_session_id = {a.session_id: a for a in Assignment.objects.filter(group__isnull=False)}
    attended = list(
        Attendance.objects.filter(
            session__in=sessions,
            mark__in=IN_THE_ROOM,
        ).values_list("enrollment_id", "session_id", "session__held_on")
    )
    men = sorted({e for e, _, _ in attended})
    habit = dict(zip(men, rng.beta(2, 2.5, len(men)), strict=True))
    logs = []
    for enrollment_id, session_id, held_on in attended:
        assignment = by_session_id.get(session_id)
        if assignment is None or assignment.due_on > today + dt.timedelta(7):
            continue
        done = bool(rng.random() < habit[enrollment_id])
        if not done and rng.random() < 0.6:
            continue  # most men who skip a practice log nothing at all
        before = rng.normal([5, 6, 4], 1.5)
        after = before + (rng.normal([1.5, -1.5, 1.2], 1.0) if done else 0)
        b, a = _clip(before), _clip(after)
        logs.append(
            PracticeLog(
                enrollment_id=enrollment_id,
                practice_id=assignment.practice_id,
                assignment=assignment,
                logged_on=min(held_on + dt.timedelta(int(rng.integers(1, 7))), today),
                done=done,
                minutes=int(rng.integers(3, 16)) if done else 0,
                calm_before=b[0] if done else None,
                threat_before=b[1] if done else None,
                connection_before=b[2] if done else None,
                calm_after=a[0] if done else None,
                threat_after=a[1] if done else None,
                connection_after=a[2] if done else None,
                via=Via.LINK,
                idempotency_key=f"demo-{enrollment_id}-{session_id}",
            )
        )
    log_practice_bulk(logs=logs)

    accounts = []
    for enrollment_id, session_id, held_on in attended:
        if rng.random() > 0.25:
            continue
        situation, did = SITUATIONS[int(rng.integers(len(SITUATIONS)))]
        # Self-checks fade as he goes on: earlier logs tick minimising/blaming more often.
        weeks_ago = (today - held_on).days / 7
        p = min(0.7, 0.15 + weeks_ago * 0.03)
        accounts.append(
            AccountabilityLog(
                enrollment_id=enrollment_id,
                written_on=held_on,
                situation=situation,
                what_he_did=did,
                what_he_wanted="To get my way and end the argument.",
                belief_then="That I was being disrespected.",
                effect_on_partner="She was frightened and went quiet.",
                minimising=bool(rng.random() < p),
                denying=bool(rng.random() < p / 3),
                blaming=bool(rng.random() < p),
                could_do_instead="Notice my signs and take a time-out.",
                repair_step="Keep my commitments this week without being reminded.",
                via=Via.LINK,
                idempotency_key=f"demo-a-{enrollment_id}-{session_id}",
            )
        )
    write_accountability_logs_bulk(logs=accounts)

    users = get_user_model().objects
    facilitators = list(users.filter(membership__role=Role.FACILITATOR))
    supervisor = users.filter(membership__role=Role.SUPERVISOR).first()
    now = timezone.now()
    feedback = []
    older = AccountabilityLog.objects.filter(written_on__lt=today - dt.timedelta(7))
    # Each group's first facilitator answers, looked up once: prefetching per log builds an
    # IN list too large for SQLite in big demos.
    first_facilitator: dict[int, int] = {}
    for group_id, user_id in Group.facilitators.through.objects.order_by(
        "group_id", "user_id"
    ).values_list("group_id", "user_id"):
        first_facilitator.setdefault(group_id, user_id)
    for log_id, group_id in older.order_by("pk").values_list("pk", "enrollment__group_id"):
        author = first_facilitator.get(group_id) if group_id is not None else None
        if author is not None and rng.random() < 0.7:
            feedback.append(
                Feedback(
                    log_id=log_id,
                    author_id=author,
                    body="Thank you for writing this honestly. Let's look at the time-out together.",  # noqa: E501
                    created_at=now,
                )
            )
    add_feedback_bulk(feedback=feedback)
    if supervisor is not None:
        add_supervisions_bulk(supervisor=supervisor, facilitators=facilitators)
    own = []
    for f in facilitators:
        weekly = rng.uniform(0.3, 0.9)
        for day in range(90):
            if rng.random() < weekly / 3:
                own.append(
                    SelfPractice(
                        facilitator=f,
                        practice=library[int(rng.integers(len(library)))],
                        practised_on=today - dt.timedelta(day),
                        minutes=int(rng.integers(5, 25)),
                        reflection=REFLECTIONS[int(rng.integers(len(REFLECTIONS)))],
                    )
                )
    log_self_practice_bulk(entries=own)
    return DemoPractice(
        homework=len(assignments),
        practice_logs=len(logs),
        accountability_logs=len(accounts),
        self_practice=len(own),
        plan_goals=_plan_goals(seed, today, first_facilitator),
    )


#: Facilitators' own self-practice notes, one chosen per entry by the seed (project-written).
REFLECTIONS = [
    "Noticed how quickly I wanted to fix things for the group.",
    "Hard to settle today; my mind kept going back to Tuesday's session.",
    "Breathing practice helped before a difficult phone call.",
    "I was kinder to myself about a mistake than I would have been a year ago.",
    "Felt irritation with one man rise and fall without acting on it.",
    "Short practice, but I came back to the breath a few times.",
    "Remembered that the men's shame and my own frustration look alike from inside.",
    "Tired; did the practice anyway and was glad I did.",
    "Caught myself rehearsing an argument and let it go.",
    "Practised the soothing rhythm I teach; it is harder than it looks.",
]

GOALS = [
    "Take a time-out before my voice rises, and come back when I said I would.",
    "Tell her when I am getting wound up instead of going quiet and then exploding.",
    "Ask the kids about their day at dinner and listen to the answer.",
    "Check my texts for blame before I send them.",
]
#: What happens to a goal, by weeks since he first wrote an accountability log.
OUTCOMES = [
    ("met", "Used the time-out three times running."),
    ("revised", "Smaller step first: name the warning signs out loud."),
    ("dropped", "Set aside for a repair goal agreed in group."),
]


def _evening(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)


def _plan_goals(seed: int, today: dt.date, author_by_group: dict[int, int]) -> int:
    """One plan goal per man who wrote an accountability log, set on the day of one of his
    logs: open, in progress after two weeks, then met, revised or dropped after six. Its own
    random stream, so the rest of the demo is unchanged."""
    rng = np.random.default_rng(seed + 6)
    written: dict[int, list[dt.date]] = {}
    groups: dict[int, int | None] = {}
    for enrollment_id, written_on, group_id in AccountabilityLog.objects.order_by(
        "written_on", "pk"
    ).values_list("enrollment_id", "written_on", "enrollment__group_id"):
        written.setdefault(enrollment_id, []).append(written_on)
        groups[enrollment_id] = group_id
    records = []
    for enrollment_id, days in sorted(written.items()):
        # The goal comes out of one of his logs, early or late: goals at every stage.
        start, his_group = days[int(rng.integers(len(days)))], groups[enrollment_id]
        steps: list[tuple[str, dt.date, str]] = []
        weeks = (today - start).days // 7
        if weeks >= 2:
            steps.append(("in_progress", start + dt.timedelta(14), "Practising it at home."))
        if weeks >= 6:
            status, note = OUTCOMES[int(rng.choice(3, p=[0.5, 0.3, 0.2]))]
            steps.append((status, start + dt.timedelta(42), note))
        last = steps[-1][1] if steps else start
        author = author_by_group.get(his_group) if his_group is not None else None
        records.append(
            GoalRecord(
                goal=PlanGoal(
                    enrollment_id=enrollment_id,
                    goal=GOALS[int(rng.integers(len(GOALS)))],
                    review_on=last + dt.timedelta(28),
                    created_by_id=author,
                ),
                set_at=_evening(start),
                steps=tuple(GoalStep(status, _evening(day), note) for status, day, note in steps),
            )
        )
    goals = add_plan_goals_bulk(actor=None, records=records)
    return len(goals)
