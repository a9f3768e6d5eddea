"""Who may flag, read, act on and close incidents, and who sets the procedure.

Anyone on the clinical side who may open a man's page or a session may flag an incident
about him (one step, never a read-back). Only the incident handlers read incidents: the
organization's partner-safety workers (every incident, as the safety compartment is
organization-wide) and supervisors (incidents of the programs of their sites). Only a
supervisor closes one. Everyone else gets the same 404 as for an incident that does not exist;
a facilitator, including the one who flagged it, never reads it back (she sees only that her
flag was sent, and when).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from alliance.incidents.models import Incident
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import (
    CLINICAL_ROLES,
    AnyUser,
    membership_of,
    require_membership,
)
from alliance.participants.models import Enrollment, Participant
from alliance.participants.permissions import access_participant, visible_participants
from alliance.programs.models import Program, Session
from alliance.programs.permissions import SETUP_ROLES, access_session, visible_programs

HANDLER_ROLES = frozenset({Role.PARTNER_SAFETY, Role.SUPERVISOR})
CLOSER_ROLES = frozenset({Role.SUPERVISOR})


def is_handler(membership: Membership | None) -> bool:
    return membership is not None and membership.role in HANDLER_ROLES


def handled_incidents(membership: Membership) -> QuerySet[Incident]:
    """The incidents this member handles (none for any other role)."""
    incidents = Incident.objects.filter(organization=membership.organization)
    if membership.role == Role.PARTNER_SAFETY:
        return incidents
    if membership.role == Role.SUPERVISOR:
        return incidents.filter(program__in=visible_programs(membership))
    return incidents.none()


def require_handler(user: AnyUser) -> Membership:
    return require_membership(user, HANDLER_ROLES)


def access_incident(user: AnyUser, incident_id: int) -> tuple[Membership, Incident]:
    membership = require_handler(user)
    incident = (
        handled_incidents(membership)
        .filter(pk=incident_id)
        .select_related("participant", "program__site", "flagged_by", "closed_by", "session")
        .first()
    )
    if incident is None:
        raise Http404("No such page.")
    return membership, incident


def access_incident_to_close(user: AnyUser, incident_id: int) -> tuple[Membership, Incident]:
    membership, incident = access_incident(user, incident_id)
    if membership.role not in CLOSER_ROLES:
        raise Http404("No such page.")
    return membership, incident


def may_close(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CLOSER_ROLES


def flaggable_enrollment(membership: Membership, participant: Participant) -> Enrollment:
    """The enrollment a flag from his page is about: his latest in a program she can see."""
    enrollment = (
        Enrollment.objects.filter(participant=participant, program__in=visible_programs(membership))
        .select_related("program")
        .order_by("-referred_on", "-pk")
        .first()
    )
    if enrollment is None:
        raise Http404("No such participant.")
    return enrollment


def access_participant_to_flag(user: AnyUser, participant_id: int) -> tuple[Membership, Enrollment]:
    participant = access_participant(user, participant_id)
    membership = require_membership(user, CLINICAL_ROLES)
    return membership, flaggable_enrollment(membership, participant)


def access_session_to_flag(user: AnyUser, session_id: int) -> tuple[Membership, Session]:
    session = access_session(user, session_id)
    return require_membership(user, CLINICAL_ROLES), session


def session_enrollment(membership: Membership, session: Session, enrollment_id: int) -> Enrollment:
    """A man of the session's program whom she may see; else the same 404."""
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id,
            program_id=session.group.program_id,
            participant__in=visible_participants(membership),
        )
        .select_related("program")
        .first()
    )
    if enrollment is None:
        raise Http404("No such participant in this session.")
    return enrollment


def procedure_programs(membership: Membership) -> QuerySet[Program]:
    return visible_programs(membership).select_related("site")


def require_procedure_editor(user: AnyUser) -> Membership:
    """The organization admin (the default and every program) and program managers (the
    programs of their sites)."""
    return require_membership(user, SETUP_ROLES)


def flagged_by_me(user: AnyUser, participant: Participant) -> QuerySet[Incident]:
    """Her own flags about him, for the receipt on his page (read for the time only)."""
    membership = membership_of(user)
    if membership is None:
        return Incident.objects.none()
    return Incident.objects.filter(participant=participant, flagged_by_id=membership.user_id)
