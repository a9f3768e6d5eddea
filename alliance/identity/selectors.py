"""Reading identity for pages and documents. Every caller shows the result on a page whose
access is logged (see ``permissions``), or puts it in a document to a court or probation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from alliance.identity.models import ParticipantIdentity
from alliance.identity.permissions import facilitator_level, sees_identity
from alliance.organizations.models import FacilitatorIdentity, Membership
from alliance.participants.models import Participant


def identity_of(participant: Participant) -> ParticipantIdentity | None:
    return (
        ParticipantIdentity.objects.select_related("agency")
        .filter(participant_id=participant.pk)
        .first()
    )


def name_label(membership: Membership | None, identity: ParticipantIdentity) -> str:
    """The name this user sees wherever a man's initials would be shown ("" for none)."""
    if sees_identity(membership):
        return identity.legal_name
    level = facilitator_level(membership)
    if level is None:
        return ""
    return identity.short_name if level == FacilitatorIdentity.SHORT else identity.legal_name


def name_labels(membership: Membership | None, participant_ids: Iterable[int]) -> dict[int, str]:
    """Participant id -> the name this user sees, for the men listed on one page.

    One query for the whole page. The caller has already limited ``participant_ids`` to the
    men the user may see; only those of her organization are read in any case. Men without an
    identity on file are left out (the page shows his initials, as before).
    """
    if membership is None or not (sees_identity(membership) or facilitator_level(membership)):
        return {}
    ids = set(participant_ids)
    if not ids:
        return {}
    rows = ParticipantIdentity.objects.filter(
        participant_id__in=ids, organization_id=membership.organization_id
    )
    return {row.participant_id: name_label(membership, row) for row in rows}


#: The fields a version lists as changed, in the words of the form.
FIELD_LABELS = {
    "legal_first_name": "legal first name",
    "legal_last_name": "legal last name",
    "date_of_birth": "date of birth",
    "aliases": "other names",
    "phone": "phone",
    "email": "e-mail",
    "address": "address",
    "docket_number": "docket or case number",
    "court": "court",
    "officer_name": "supervising officer",
    "officer_phone": "officer's phone",
    "officer_email": "officer's e-mail",
    "agency": "supervising agency",
    "agency_text": "supervising agency (in words)",
}


@dataclass(frozen=True)
class IdentityVersion:
    """One saved version: when, by whom, and which fields it changed (never the values)."""

    at: dt.datetime
    who: str
    changed: tuple[str, ...]


def identity_versions(identity: ParticipantIdentity) -> list[IdentityVersion]:
    """Every version of his identity, newest first."""
    rows = list(
        ParticipantIdentity.history.filter(id=identity.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    versions = []
    previous = None
    for row in rows:
        changed = tuple(
            label for name, label in FIELD_LABELS.items() if _differs(previous, row, name)
        )
        user = row.history_user
        who = (user.get_full_name() or user.get_username()) if user is not None else ""
        versions.append(IdentityVersion(at=row.history_date, who=who, changed=changed))
        previous = row
    return versions[::-1]


def _differs(previous: object | None, row: object, name: str) -> bool:
    """Whether ``row`` changed field ``name`` (for the first version: whether it gave it)."""
    column = "agency_id" if name == "agency" else name
    if previous is None:
        return bool(getattr(row, column))
    return bool(getattr(row, column) != getattr(previous, column))


@dataclass(frozen=True)
class DocumentIdentity:
    """What a document may say of who he is, for one kind of recipient."""

    legal_name: str
    date_of_birth: dt.date | None = None
    docket_number: str = ""
    court: str = ""


#: What each kind of recipient (``reports.models.RecipientKind``) is told of who he is. The
#: court and probation match the report to their file by name, date of birth and docket;
#: child protection by name and date of birth; a funder or anyone else gets no identity at all
#: (the monthly aggregate names nobody).
RECIPIENT_FIELDS: dict[str, frozenset[str]] = {
    "court": frozenset({"legal_name", "date_of_birth", "docket_number", "court"}),
    "probation": frozenset({"legal_name", "date_of_birth", "docket_number", "court"}),
    "child_protection": frozenset({"legal_name", "date_of_birth"}),
}


def identity_for_recipient(
    participant: Participant, recipient_kind: str
) -> DocumentIdentity | None:
    """His identity as this kind of recipient may receive it, or None (nothing on file, or a
    recipient that is told none)."""
    fields = RECIPIENT_FIELDS.get(recipient_kind)
    if not fields:
        return None
    identity = identity_of(participant)
    if identity is None:
        return None
    return DocumentIdentity(
        legal_name=identity.legal_name,
        date_of_birth=identity.birth_date if "date_of_birth" in fields else None,
        docket_number=identity.docket_number if "docket_number" in fields else "",
        court=identity.court if "court" in fields else "",
    )
