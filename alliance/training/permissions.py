"""Who may see and write training records and observations. Missing and forbidden: same 404.

- Every staff member reads and adds to his own register.
- Supervisors, program managers and organization admins ("the team roles") read and add to the
  register of everyone in their organization, record observations, and see them all.
- A facilitator sees the observations of himself, and only he acknowledges one.
- Credential alerts reach the person, the supervisors recorded as supervising him
  (``practice.Supervision``) and the organization's managers and admins.
- Program managers and organization admins set a program's training requirement.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.practice.models import Supervision
from alliance.programs.models import Program
from alliance.programs.permissions import visible_programs
from alliance.training.models import CredentialAlert, Observation

TEAM_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})
MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})


def is_team(membership: Membership) -> bool:
    return membership.role in TEAM_ROLES


def access_person(user: AnyUser, membership_id: int) -> tuple[Membership, Membership]:
    """(the viewer's membership, the person's): himself, or anyone of his organization for the
    team roles."""
    viewer = require_membership(user)
    person = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=viewer.organization, pk=membership_id)
        .first()
    )
    if person is None:
        raise Http404("No such staff member.")
    if person.pk != viewer.pk and not is_team(viewer):
        raise Http404("No such staff member.")
    return viewer, person


def require_team(user: AnyUser) -> Membership:
    return require_membership(user, TEAM_ROLES)


def visible_observations(membership: Membership) -> QuerySet[Observation]:
    observations = Observation.objects.filter(organization=membership.organization)
    if is_team(membership):
        return observations
    return observations.filter(facilitator_id=membership.user_id)


def access_observation(user: AnyUser, observation_id: int) -> tuple[Membership, Observation]:
    membership = require_membership(user)
    observation = (
        visible_observations(membership)
        .select_related("facilitator", "observer", "session__group")
        .filter(pk=observation_id)
        .first()
    )
    if observation is None:
        raise Http404("No such observation.")
    return membership, observation


def access_own_observation(user: AnyUser, observation_id: int) -> Observation:
    """Only the facilitator observed may acknowledge (and comment on) an observation."""
    membership, observation = access_observation(user, observation_id)
    if observation.facilitator_id != membership.user_id:
        raise Http404("No such observation.")
    return observation


def access_program_requirement(user: AnyUser, program_id: int) -> tuple[Membership, Program]:
    membership = require_membership(user, MANAGER_ROLES)
    program = visible_programs(membership).filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return membership, program


def alert_recipient_ids(membership: Membership) -> Q:
    """Whose credential alerts this user sees: his own, his supervisees', and (managers and
    admins) everyone's in the organization."""
    if membership.role in MANAGER_ROLES:
        return Q(credential__organization=membership.organization)
    supervised = Supervision.objects.filter(
        supervisor_id=membership.user_id,
        facilitator__membership__organization=membership.organization,
    ).values("facilitator_id")
    return Q(credential__organization=membership.organization) & (
        Q(credential__person_id=membership.user_id) | Q(credential__person_id__in=supervised)
    )


def visible_alerts(membership: Membership) -> QuerySet[CredentialAlert]:
    return CredentialAlert.objects.filter(alert_recipient_ids(membership))
