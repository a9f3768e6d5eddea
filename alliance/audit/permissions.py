"""Who may read the access log: supervisors, program managers and organization admins, for
the men they may see. Nobody may change it."""

from __future__ import annotations

from alliance.organizations.models import Membership
from alliance.organizations.permissions import HISTORY_ROLES, AnyUser, require_membership

#: The same people who read a record's change history read who looked at it.
AUDIT_ROLES = HISTORY_ROLES


def access_access_log(user: AnyUser) -> Membership:
    return require_membership(user, AUDIT_ROLES)


def may_read_access_log(membership: Membership | None) -> bool:
    return membership is not None and membership.role in AUDIT_ROLES
