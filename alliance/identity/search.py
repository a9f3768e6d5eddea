"""Finding men by name, for the roles that see names (the participant search).

Names are encrypted at rest (``identity.models``), so the database cannot match them: the
identities of the men the user may see are read in one query and matched here. A role is
matched only on what it may see (``identity.permissions``): the full identity roles on the
legal first and last name and the other names he is known by; a facilitator on the first
name and last initial when her organization shows her that much, on the legal name when it
shows her the full name; the evaluator and the partner-safety worker on nothing. The matching
ids go back to the caller, which lists codes and logs each name it shows
(``identity.panels.shown_names``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db.models import QuerySet

from alliance.identity.models import ParticipantIdentity
from alliance.identity.permissions import facilitator_level, sees_identity
from alliance.organizations.models import FacilitatorIdentity, Membership
from alliance.participants.models import Participant

#: Shorter queries are codes or initials, never names (one letter would match half the list).
MIN_NAME_QUERY = 2


def fold(text: str) -> str:
    """Lower case without accents: "José" and "jose" match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(texts: Iterable[str]) -> set[str]:
    return {fold(w) for text in texts for w in text.replace("-", " ").split() if w.strip()}


def searchable_words(membership: Membership | None, identity: ParticipantIdentity) -> set[str]:
    """The words of his name this user may search on (empty: none)."""
    if sees_identity(membership):
        aliases = identity.aliases.splitlines() if identity.aliases else []
        return _words([identity.legal_first_name, identity.legal_last_name, *aliases])
    level = facilitator_level(membership)
    if level is None:
        return set()
    if level == FacilitatorIdentity.SHORT:
        initial = identity.legal_last_name.strip()[:1]
        return _words([identity.legal_first_name, initial])
    return _words([identity.legal_first_name, identity.legal_last_name])


def names_matching(
    membership: Membership | None, query: str, *, within: QuerySet[Participant]
) -> list[int]:
    """Ids of the men in ``within`` whose visible name has, for every word of ``query``, a
    word starting with it ("dan r" finds Daniel Rivera). One query, whatever the caseload."""
    if membership is None:
        return []
    wanted = _words([query])
    if len(query.strip()) < MIN_NAME_QUERY or not any(c.isalpha() for c in query):
        return []
    if not sees_identity(membership) and facilitator_level(membership) is None:
        return []
    rows = ParticipantIdentity.objects.filter(
        organization_id=membership.organization_id,
        participant_id__in=within.values("pk"),
    )
    found = []
    for row in rows:
        words = searchable_words(membership, row)
        if all(any(w.startswith(q) for w in words) for q in wanted):
            found.append(row.participant_id)
    return found
