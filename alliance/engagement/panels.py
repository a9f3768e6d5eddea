"""The early warning's panels on pages owned by other apps (home, group roster, participant).

The owning page's view calls these and hands the result to its template, which includes
``engagement/_risk_table.html`` or ``engagement/_participant_panel.html``; the templates only
format. Each returns ``None`` for anyone who may not see a risk estimate (an evaluator, a
partner-safety worker), so the panel is simply absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alliance.engagement.permissions import sees_risk
from alliance.engagement.selectors import RiskRow, risk_rows, visible_enrollments
from alliance.organizations.models import Membership
from alliance.participants.models import Participant
from alliance.programs.models import Group


@dataclass(frozen=True)
class RiskPanel:
    """The first ``limit`` men by risk, out of ``total``; ``group`` when the list is one group's."""

    rows: list[RiskRow]
    total: int
    group: Group | None = None

    @classmethod
    def of(cls, rows: list[RiskRow], *, limit: int, group: Group | None = None) -> RiskPanel:
        return cls(rows=rows[:limit], total=len(rows), group=group)


def risk_panel(
    membership: Membership | None, *, today: dt.date, group: Group | None = None, limit: int = 10
) -> RiskPanel | None:
    """The risk list of the men ``membership`` sees (in ``group`` if given); one model run."""
    if membership is None or not sees_risk(membership):
        return None
    rows = risk_rows(
        visible_enrollments(membership, group),
        organization_id=membership.organization_id,
        today=today,
    )
    return RiskPanel.of(rows, limit=limit, group=group)


def participant_risk(
    membership: Membership | None, participant: Participant, *, today: dt.date
) -> list[RiskRow] | None:
    """One row per active enrollment of a man the caller already may see (checked by the view)."""
    if membership is None or not sees_risk(membership):
        return None
    return risk_rows(
        participant.enrollments.all(),
        organization_id=participant.organization_id,
        today=today,
    )
