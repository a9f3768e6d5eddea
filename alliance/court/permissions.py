"""Who may read and write court orders, the agencies' clocks and the breach letter.

- A man's court order (and his letter about a breach, which greets him by first name from
  the identity vault): the roles that edit enrollments and keep identities: intake
  coordinator, clinical supervisor, program manager and organization admin, each for the men
  she may see (``participants.permissions.visible_participants``). Facilitators read the
  order's terms on his page; the partner-safety worker and the evaluator see none of it.
- Agencies and their reporting clocks: the organization admin and program managers (they
  send the documents the clocks time).
"""

from __future__ import annotations

from django.http import Http404

from alliance.organizations.models import Agency, Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.participants.models import Enrollment
from alliance.participants.permissions import visible_participants

ORDER_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.INTAKE})
AGENCY_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER})
#: Who sees the due / overdue queue (the manager's home and the dashboard).
QUEUE_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR})


def may_edit_order(membership: Membership | None) -> bool:
    return membership is not None and membership.role in ORDER_ROLES


def access_order_enrollment(user: AnyUser, enrollment_id: int) -> tuple[Membership, Enrollment]:
    """The enrollment whose court order the user may read and edit (404 otherwise)."""
    membership = require_membership(user, ORDER_ROLES)
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id, participant__in=visible_participants(membership)
        )
        .select_related("participant", "program__site", "program__organization", "agency")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return membership, enrollment


def access_agencies(user: AnyUser) -> Membership:
    return require_membership(user, AGENCY_ROLES)


def access_agency(user: AnyUser, agency_id: int) -> tuple[Membership, Agency]:
    membership = access_agencies(user)
    agency = Agency.objects.filter(organization=membership.organization, pk=agency_id).first()
    if agency is None:
        raise Http404("No such agency.")
    return membership, agency
