"""Every write about incidents: one function per action, one transaction each.

The views have checked access; these functions validate the input (a refusal is an
``IncidentError`` whose message starts with the field) and record who did what and when. The
e-mail to the handlers goes after the commit, and says only that an incident needs them.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.duties import respond_by
from alliance.history import set_history_user
from alliance.incidents.models import (
    COURT_REPORTABLE_KINDS,
    MAX_ACCOUNT_CHARS,
    MAX_NOTE_CHARS,
    NOTE_REQUIRED,
    ActionKind,
    DutyToWarnProcedure,
    Incident,
    IncidentAction,
    IncidentKind,
    IncidentStatus,
)
from alliance.incidents.notify import notify_handlers
from alliance.incidents.selectors import procedure_for
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment
from alliance.programs.models import Program, Session

log = logging.getLogger("alliance.incidents")

#: How long before the flag an incident may be said to have happened (a disclosure in group
#: about last month is flagged as today's, with its date in the account).
MAX_AGE = dt.timedelta(days=366)


class IncidentError(ValueError):
    """A refused action; the message starts with the field it concerns."""


def _text(value: str, field: str, limit: int, *, required: bool, what: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise IncidentError(f"{field}: {what}")
    if len(text) > limit:
        raise IncidentError(f"{field}: at most {limit} characters (this has {len(text)}).")
    return text


@transaction.atomic
def flag_incident(
    *,
    actor: User,
    enrollment: Enrollment,
    kind: str,
    occurred_at: dt.datetime,
    account: str,
    immediate_risk: bool,
    now: dt.datetime,
    link_base: str,
    session: Session | None = None,
) -> Incident:
    """Record a flag and start the procedure's clock; the handlers are e-mailed on commit.

    ``link_base`` is the site's address (``https://host``), for the link in the e-mail.
    """
    if kind not in IncidentKind.values:
        raise IncidentError("kind: choose what happened.")
    if occurred_at > now:
        raise IncidentError("occurred_at: an incident cannot be in the future.")
    if occurred_at < now - MAX_AGE:
        raise IncidentError("occurred_at: more than a year ago; give the date in the account.")
    text = _text(
        account, "account", MAX_ACCOUNT_CHARS, required=True, what="say what was said or seen."
    )
    if session is not None and session.group.program_id != enrollment.program_id:
        raise IncidentError("enrollment: he is not in this session's program.")
    procedure = procedure_for(enrollment.program)
    incident = Incident.objects.create(
        organization_id=enrollment.program.organization_id,
        participant_id=enrollment.participant_id,
        enrollment=enrollment,
        program_id=enrollment.program_id,
        session=session,
        kind=kind,
        occurred_at=occurred_at,
        account=text,
        immediate_risk=immediate_risk,
        flagged_by=actor,
        flagged_at=now,
        respond_by=respond_by(now, procedure.hours_for(immediate_risk=immediate_risk)),
    )
    log.info("Incident %s flagged by user id=%s", incident.pk, actor.pk)
    transaction.on_commit(lambda: notify_handlers(incident.pk, link_base=link_base))
    return incident


@transaction.atomic
def record_action(
    *,
    actor: User,
    incident: Incident,
    kind: str,
    taken_at: dt.datetime,
    note: str,
    now: dt.datetime,
) -> IncidentAction:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError("incident: it is closed; no more actions can be recorded.")
    if kind not in ActionKind.values:
        raise IncidentError("kind: choose what was done.")
    if taken_at > now:
        raise IncidentError("taken_at: an action cannot be in the future.")
    if taken_at < incident.occurred_at:
        raise IncidentError("taken_at: before the incident happened.")
    text = _text(
        note,
        "note",
        MAX_NOTE_CHARS,
        required=ActionKind(kind) in NOTE_REQUIRED,
        what="give the reason (or say what was done).",
    )
    action = IncidentAction.objects.create(
        incident=incident,
        kind=kind,
        taken_at=taken_at,
        note=text,
        recorded_by=actor,
        recorded_at=now,
    )
    if incident.first_response_at is None:
        incident.first_response_at = now
        incident.save(update_fields=["first_response_at"])
    return action


@transaction.atomic
def close_incident(
    *,
    actor: User,
    incident: Incident,
    note: str,
    court_reportable: bool,
    now: dt.datetime,
) -> Incident:
    """The supervisor's close: after at least one recorded action; says if a court is told."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != IncidentStatus.OPEN:
        raise IncidentError("incident: it is already closed.")
    if not incident.actions.exists():
        raise IncidentError(
            "incident: record at least one action first (or 'no action needed' with a reason)."
        )
    if court_reportable and IncidentKind(incident.kind) not in COURT_REPORTABLE_KINDS:
        raise IncidentError(
            f"court_reportable: a {IncidentKind(incident.kind).label.lower()} incident is not "
            "reported to a court."
        )
    incident.closing_note = _text(note, "note", MAX_NOTE_CHARS, required=False, what="")
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = now
    incident.closed_by = actor
    incident.court_reportable = court_reportable
    incident.save(
        update_fields=["closing_note", "status", "closed_at", "closed_by", "court_reportable"]
    )
    return incident


@transaction.atomic
def save_procedure(
    *,
    actor: User,
    organization: Organization,
    program: Program | None,
    text: str,
    respond_within_hours: int,
    immediate_within_hours: int,
    partner_notice_business_days: int,
) -> DutyToWarnProcedure:
    """Set the organization's default procedure (``program`` None) or one program's own."""
    if program is not None and program.organization_id != organization.pk:
        raise IncidentError("program: it belongs to another organization.")
    body = _text(text, "text", 5000, required=True, what="write the steps staff follow.")
    if not 1 <= respond_within_hours <= 168:
        raise IncidentError("respond_within_hours: from 1 to 168 hours (a week).")
    if not 1 <= immediate_within_hours <= min(24, respond_within_hours):
        raise IncidentError(
            "immediate_within_hours: from 1 to 24 hours, and no longer than the usual clock."
        )
    if not 0 <= partner_notice_business_days <= 30:
        raise IncidentError("partner_notice_business_days: from 0 to 30 business days.")
    row = (
        DutyToWarnProcedure.objects.select_for_update()
        .filter(organization=organization, program=program)
        .first()
    ) or DutyToWarnProcedure(organization=organization, program=program)
    row.text = body
    row.respond_within_hours = respond_within_hours
    row.immediate_within_hours = immediate_within_hours
    row.partner_notice_business_days = partner_notice_business_days
    row.updated_by = actor
    set_history_user(row, actor)
    row.save()
    return row
