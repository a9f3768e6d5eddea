"""Who may see what. Every object fetched for a user goes through an ``access_*`` function.

Missing and forbidden both raise ``Http404`` so that a URL never confirms that a record exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from alliance.organizations.models import Membership, Role, Site, StaffInvitation

AnyUser = AbstractBaseUser | AnonymousUser

#: Roles that may see identified participant records (name-free, but by code and covariates).
CLINICAL_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.FACILITATOR}
)
#: Roles that sign off on enrollment decisions (discharge, completion, reinstatement).
DECISION_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})
#: Roles that record a new referral: the decision roles and the intake coordinator, who takes
#: referrals (and his identity) without seeing his therapeutic record.
REFERRAL_ROLES = DECISION_ROLES | {Role.INTAKE}
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


def require_org_admin(user: AnyUser) -> Membership:
    """The organization admin's membership; anyone else gets 404 (settings, sites, staff)."""
    return require_membership(user, frozenset({Role.ORG_ADMIN}))


def access_site(user: AnyUser, site_id: int) -> Site:
    membership = require_org_admin(user)
    site = Site.objects.filter(organization=membership.organization, pk=site_id).first()
    if site is None:
        raise Http404("No such site.")
    return site


def access_staff_member(user: AnyUser, membership_id: int) -> Membership:
    """Another staff member's membership in the admin's own organization."""
    admin = require_org_admin(user)
    member = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=admin.organization, pk=membership_id)
        .first()
    )
    if member is None:
        raise Http404("No such staff member.")
    return member


def access_invitation(user: AnyUser, invitation_id: int) -> StaffInvitation:
    admin = require_org_admin(user)
    invitation = StaffInvitation.objects.filter(
        organization=admin.organization, pk=invitation_id
    ).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation
