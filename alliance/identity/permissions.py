"""Who sees a man's identity, and how much of it.

- In full, and may edit it: the intake coordinator (she takes the referral and checks who he
  is), the clinical supervisor, the program manager (who sends documents to courts and
  probation) and the organization admin; each for the men she may see elsewhere
  (``participants.permissions.visible_participants``: her sites' programs, every program for
  the admin).
- In part: a facilitator sees the first name and last initial of the men in her groups, or
  more where the organization's setting allows (``Organization.facilitator_identity``: the
  full legal name, or the name with phone and e-mail). Never the date of birth, address,
  docket or supervising officer.
- Not at all: the evaluator (de-identified figures and exports only, docs/DESIGN "Users") and
  the partner-safety worker. She contacts the partner, whose name and safe-contact details
  are in the partner record; the man's legal name and docket are not needed for that, and
  keeping them out of the compartment means neither compartment, opened alone, joins a
  partner to a named man beyond the code both already carry.

Every page that shows any of it names the man in its URL, or records him with
``alliance.audit.services.record``, so every view is in the access log.
"""

from __future__ import annotations

from django.http import Http404

from alliance.organizations.models import FacilitatorIdentity, Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.participants.models import Participant
from alliance.participants.permissions import visible_participants

#: Roles that see (and correct) a man's whole identity.
IDENTITY_ROLES = frozenset({Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.INTAKE})


def sees_identity(membership: Membership | None) -> bool:
    return membership is not None and membership.role in IDENTITY_ROLES


def facilitator_level(membership: Membership | None) -> FacilitatorIdentity | None:
    """How much a facilitator sees (her organization's setting); None for any other role."""
    if membership is None or membership.role != Role.FACILITATOR:
        return None
    return FacilitatorIdentity(membership.organization.facilitator_identity)


def sees_a_name(membership: Membership | None) -> bool:
    return sees_identity(membership) or facilitator_level(membership) is not None


def access_identity(user: AnyUser, participant_id: int) -> tuple[Membership, Participant]:
    """The man whose whole identity the user may see and edit (404 otherwise)."""
    membership = require_membership(user, IDENTITY_ROLES)
    participant = (
        visible_participants(membership)
        .select_related("organization")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404("No such participant.")
    return membership, participant


def access_identity_list(user: AnyUser) -> Membership:
    return require_membership(user, IDENTITY_ROLES)
