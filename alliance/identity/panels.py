"""The identity panel on the man's page (``participants/participant.html``).

The participant view calls :func:`participant_identity` and hands the result to the page,
which includes ``identity/_participant_panel.html``. The page's URL names the man, so the
access log records every view of it (``alliance.audit``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from alliance.audit.services import record
from alliance.identity.models import ParticipantIdentity
from alliance.identity.permissions import facilitator_level, sees_identity
from alliance.identity.selectors import identity_of, name_label, name_labels
from alliance.organizations.models import FacilitatorIdentity, Membership
from alliance.participants.models import Participant


@dataclass(frozen=True)
class IdentityPanel:
    participant: Participant
    #: The name shown next to his code ("" when none is on file or for this role).
    label: str
    #: The whole identity, for the roles that see it (None for a facilitator).
    identity: ParticipantIdentity | None
    #: The roles that see it in full also correct it.
    may_edit: bool
    #: A facilitator's phone and e-mail, where the organization allows it.
    phone: str = ""
    email: str = ""


def participant_identity(
    membership: Membership | None, participant: Participant
) -> IdentityPanel | None:
    """The panel for this user, or None for a role that sees no identity."""
    full = sees_identity(membership)
    level = facilitator_level(membership)
    if not full and level is None:
        return None
    identity = identity_of(participant)
    if identity is None:
        return IdentityPanel(participant=participant, label="", identity=None, may_edit=full)
    label = name_label(membership, identity)
    if full:
        return IdentityPanel(participant=participant, label=label, identity=identity, may_edit=True)
    contact = level == FacilitatorIdentity.CONTACT
    return IdentityPanel(
        participant=participant,
        label=label,
        identity=None,
        may_edit=False,
        phone=identity.phone_shown if contact else "",
        email=identity.email if contact else "",
    )


def shown_names(
    request: HttpRequest, membership: Membership | None, participant_ids: Iterable[int]
) -> dict[int, str]:
    """Participant id -> the name to show next to his code on a list (a roster, a search).

    Each man whose name is returned is recorded in the access log for this request
    (``alliance.audit.services.record``), so a name on a list is as accountable as his page.
    """
    names = name_labels(membership, participant_ids)
    for participant_id in sorted(names):
        record(request, participant_id=participant_id)
    return names
