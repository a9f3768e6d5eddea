"""Engagement-alert actions and what followed, for the evaluation (counts only).

Reads the outreach workflow (``alliance.engagement``): how many dropout-risk alerts were
raised, how many were acknowledged and acted on, which actions staff took, how closed alerts
ended, and how the men's enrollments ended with and without an action. No man, code, staff
name or note leaves this module.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from alliance.core.engagement.outreach import (
    ACTION_LABELS,
    OUTCOME_LABELS,
    ActionKind,
    OutreachOutcome,
    OutreachStatus,
)
from alliance.core.enrollment import EnrollmentStatus
from alliance.engagement.models import OutreachAction, OutreachAlert
from alliance.programs.models import Program


def _label(value: str) -> str:
    """The same words the outreach pages use ("Make-up session", "Could not reach him")."""
    return ACTION_LABELS.get(value) or OUTCOME_LABELS.get(value) or value.replace("_", " ")


@dataclass(frozen=True)
class FollowedBy:
    """How the enrollments of men with an alert ended, split by whether anyone acted."""

    label: str
    men: int
    completed: int
    dropped_out: int
    discharged: int
    still_enrolled: int

    @property
    def completion_rate(self) -> float | None:
        left = self.completed + self.dropped_out + self.discharged
        return self.completed / left if left else None


@dataclass(frozen=True)
class AlertActions:
    alerts: int
    acknowledged: int
    acted_on: int
    closed: int
    actions: tuple[tuple[str, int, int], ...]  # label, actions, alerts with that action
    outcomes: tuple[tuple[str, int], ...]  # label, closed alerts
    followed: tuple[FollowedBy, ...]


def _followed(label: str, statuses: list[str]) -> FollowedBy:
    counts = Counter(statuses)
    return FollowedBy(
        label=label,
        men=len(statuses),
        completed=counts[EnrollmentStatus.COMPLETED],
        dropped_out=counts[EnrollmentStatus.DROPPED_OUT],
        discharged=counts[EnrollmentStatus.DISCHARGED],
        still_enrolled=len(statuses)
        - counts[EnrollmentStatus.COMPLETED]
        - counts[EnrollmentStatus.DROPPED_OUT]
        - counts[EnrollmentStatus.DISCHARGED],
    )


def alert_actions(programs: QuerySet[Program]) -> AlertActions:
    alerts = OutreachAlert.objects.filter(enrollment__program__in=programs)
    rows = list(
        alerts.annotate(n_actions=Count("actions")).values_list(
            "enrollment_id", "status", "outcome", "n_actions", "enrollment__status"
        )
    )
    by_kind = {
        kind: (n, n_alerts)
        for kind, n, n_alerts in OutreachAction.objects.filter(alert__in=alerts)
        .values_list("kind")
        .annotate(n=Count("id"), n_alerts=Count("alert", distinct=True))
        .order_by()
    }
    outcomes = Counter(o for _, s, o, _, _ in rows if s == OutreachStatus.CLOSED and o)
    acted: dict[int, bool] = {}
    status: dict[int, str] = {}
    for enrollment, _, _, n_actions, enrollment_status in rows:
        acted[enrollment] = acted.get(enrollment, False) or n_actions > 0
        status[enrollment] = enrollment_status
    return AlertActions(
        alerts=len(rows),
        acknowledged=sum(s != OutreachStatus.OPEN for _, s, _, _, _ in rows),
        acted_on=sum(n > 0 for _, _, _, n, _ in rows),
        closed=sum(s == OutreachStatus.CLOSED for _, s, _, _, _ in rows),
        actions=tuple(
            (_label(k), *by_kind[k]) for k in (a.value for a in ActionKind) if k in by_kind
        ),
        outcomes=tuple((_label(o.value), outcomes[o.value]) for o in OutreachOutcome),
        followed=(
            _followed("At least one action", [status[e] for e in status if acted[e]]),
            _followed("No action recorded", [status[e] for e in status if not acted[e]]),
        ),
    )
