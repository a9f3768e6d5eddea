"""Who may export a man's records: the organization admin and the program managers of his site."""

from __future__ import annotations

from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.participants.models import Participant
from alliance.participants.permissions import access_participant

EXPORT_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})


def access_participant_for_export(user: AnyUser, participant_id: int) -> Participant:
    require_membership(user, EXPORT_ROLES)
    # access_participant limits a program manager to men enrolled in programs of his sites.
    return access_participant(user, participant_id)


def require_rights_admin(user: AnyUser) -> Membership:
    """The data-rights page: organization admins only (everyone else gets the 404 of missing)."""
    return require_membership(user, frozenset({Role.ORG_ADMIN}))
