"""What the incident pages and the handlers' home panels show.

``procedure_for`` is also read by ``alliance.safety.notifications`` for the partner-notice
clock, which is why this module imports nothing therapeutic (pyproject's import contracts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from alliance.core.duties import is_overdue
from alliance.incidents.models import (
    DutyToWarnProcedure,
    Incident,
    IncidentAction,
    IncidentStatus,
)
from alliance.incidents.permissions import handled_incidents, is_handler
from alliance.organizations.models import Membership, Organization
from alliance.participants.models import GroupAssignment
from alliance.participants.permissions import visible_participants
from alliance.programs.models import Program, Session

#: The clocks without a procedure row. 24 hours to a first response and 1 hour when the
#: person flagging reports immediate risk are this project's defaults, not a standard's
#: figure; 2 business days follows the California State Auditor's recommendation for
#: reporting violations (report 2021-113; shared/research/bip_standards.md, section 1).
DEFAULT_RESPOND_HOURS = 24
DEFAULT_IMMEDIATE_HOURS = 1
DEFAULT_PARTNER_NOTICE_DAYS = 2
RECENTLY_CLOSED = dt.timedelta(days=14)


@dataclass(frozen=True)
class Procedure:
    """The procedure that applies to a program: its own, else the organization's, else none."""

    text: str
    respond_within_hours: int
    immediate_within_hours: int
    partner_notice_business_days: int
    source: str  # "program", "organization" or "default"

    def hours_for(self, *, immediate_risk: bool) -> int:
        return self.immediate_within_hours if immediate_risk else self.respond_within_hours


def _as_procedure(row: DutyToWarnProcedure, source: str) -> Procedure:
    return Procedure(
        text=row.text,
        respond_within_hours=row.respond_within_hours,
        immediate_within_hours=row.immediate_within_hours,
        partner_notice_business_days=row.partner_notice_business_days,
        source=source,
    )


def procedure_for(program: Program) -> Procedure:
    rows = {
        row.program_id: row
        for row in DutyToWarnProcedure.objects.filter(
            Q(program=program) | Q(program__isnull=True), organization_id=program.organization_id
        )
    }
    if program.pk in rows:
        return _as_procedure(rows[program.pk], "program")
    if None in rows:
        return _as_procedure(rows[None], "organization")
    return Procedure(
        text="",
        respond_within_hours=DEFAULT_RESPOND_HOURS,
        immediate_within_hours=DEFAULT_IMMEDIATE_HOURS,
        partner_notice_business_days=DEFAULT_PARTNER_NOTICE_DAYS,
        source="default",
    )


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    overdue: bool


@dataclass(frozen=True)
class HandlerPanel:
    open: list[IncidentRow]
    recently_closed: list[Incident]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.open if row.overdue)


def _overdue(incident: Incident, now: dt.datetime) -> bool:
    """Open with no response recorded once its clock has run out."""
    return (
        incident.status == IncidentStatus.OPEN
        and incident.first_response_at is None
        and is_overdue(incident.respond_by, now)
    )


def handler_panel(membership: Membership | None, *, now: dt.datetime) -> HandlerPanel | None:
    """Open incidents (overdue and immediate risk first) for a handler's home; None for others.

    Reads plain columns only (kind, dates, the man's code): no account is decrypted for a list.
    """
    if membership is None or not is_handler(membership):
        return None
    incidents = handled_incidents(membership).select_related("participant", "program")
    open_rows = [
        IncidentRow(incident=i, overdue=_overdue(i, now))
        for i in incidents.filter(status=IncidentStatus.OPEN).defer("account", "closing_note")
    ]
    open_rows.sort(
        key=lambda r: (not r.overdue, not r.incident.immediate_risk, r.incident.respond_by)
    )
    closed = list(
        incidents.filter(status=IncidentStatus.CLOSED, closed_at__gte=now - RECENTLY_CLOSED).defer(
            "account", "closing_note"
        )
    )
    return HandlerPanel(open=open_rows, recently_closed=closed)


@dataclass(frozen=True)
class IncidentPage:
    incident: Incident
    overdue: bool
    procedure: Procedure
    actions: list[IncidentAction]


def incident_page(incident: Incident, *, now: dt.datetime) -> IncidentPage:
    return IncidentPage(
        incident=incident,
        overdue=_overdue(incident, now),
        procedure=procedure_for(incident.program),
        actions=list(incident.actions.select_related("recorded_by")),
    )


@dataclass(frozen=True)
class ProcedureRow:
    program: Program | None
    row: DutyToWarnProcedure | None


def procedure_rows(organization: Organization, programs: list[Program]) -> list[ProcedureRow]:
    """The organization's default and each program's own procedure, where one is set."""
    rows = {
        row.program_id: row
        for row in DutyToWarnProcedure.objects.filter(organization=organization).select_related(
            "updated_by"
        )
    }
    out = [ProcedureRow(program=None, row=rows.get(None))]
    out += [ProcedureRow(program=p, row=rows.get(p.pk)) for p in programs]
    return out


def session_men(membership: Membership, session: Session) -> list[tuple[int, str]]:
    """(enrollment id, code) of the men in the session's group that day whom she may see."""
    day = session.held_on
    rows = (
        GroupAssignment.objects.filter(group_id=session.group_id, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .filter(enrollment__participant__in=visible_participants(membership))
        .order_by("enrollment__participant__code")
        .values_list("enrollment_id", "enrollment__participant__code")
    )
    return list(dict.fromkeys(rows))
