"""Who may see what. Every object fetched for a user goes through an ``access_*`` function.

Missing and forbidden both raise ``Http404`` so that a URL never confirms that a record exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from alliance.organizations.models import Membership, Role

AnyUser = AbstractBaseUser | AnonymousUser

#: Roles that may see identified participant records (name-free, but by code and covariates).
CLINICAL_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.FACILITATOR}
)
#: Roles that sign off on enrollment decisions (discharge, completion, reinstatement).
DECISION_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})
#: Roles that may read the record history of a participant.
HISTORY_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})
#: Roles that see program dashboards (aggregate, de-identified figures).
DASHBOARD_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.EVALUATOR})


def membership_of(user: AnyUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("organization").filter(user_id=user.pk).first()


def require_membership(user: AnyUser, roles: frozenset[Role] | None = None) -> Membership:
    membership = membership_of(user)
    if membership is None:
        raise Http404("No such page.")
    if roles is not None and membership.role not in roles:
        raise Http404("No such page.")
    return membership
