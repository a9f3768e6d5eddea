"""A man's phone link to his homework and accountability log.

Same pattern as ``alliance.measures.administration.tokens`` (both build on
``alliance.organizations.participant_tokens``): the token is random, only its SHA-256 is
stored (a copy of the database opens nothing), and it expires after :data:`LINK_LIFETIME`.
Issuing a new link revokes his earlier ones. Unknown tokens are counted per client address
(hashed; behind a proxy, see ``alliance.organizations.client_address``) and refused past
:data:`MAX_FAILURES` in :data:`FAILURE_WINDOW`; a valid link keeps working for its holder.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext

from alliance.organizations.participant_tokens import hash_token, new_token
from alliance.participants.models import Enrollment
from alliance.practice.models import LinkAttempt, PracticeLink

LINK_LIFETIME = dt.timedelta(days=7)
MAX_FAILURES = 10
FAILURE_WINDOW = dt.timedelta(minutes=10)


class LinkUnavailable(Exception):
    """A real link that can no longer be used; ``reason`` is shown to the man."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooManyAttempts(Exception):
    pass


@transaction.atomic
def create_practice_link(
    *, actor: User | None, enrollment: Enrollment, now: dt.datetime
) -> tuple[PracticeLink, str]:
    """A new link for him; returns it and the token, which is never stored."""
    PracticeLink.objects.filter(enrollment=enrollment, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = new_token()
    link = PracticeLink.objects.create(
        enrollment=enrollment,
        token_hash=hash_token(token),
        expires_at=now + LINK_LIFETIME,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return link, token


def resolve_practice_link(token: str, *, client: str, now: dt.datetime) -> PracticeLink:
    """The link this token opens, or ``Http404`` / :class:`LinkUnavailable`.

    Not one transaction on purpose: a failed attempt must stay recorded when refused.
    """
    link = (
        PracticeLink.objects.select_related("enrollment__program", "enrollment__participant")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        # Only unknown tokens are limited (a real link works for its holder whatever others
        # at his address tried), and past the limit they are no longer recorded.
        client_hash = hash_token(client)
        failures = LinkAttempt.objects.filter(
            client_hash=client_hash, at__gt=now - FAILURE_WINDOW
        ).count()
        if failures >= MAX_FAILURES:
            raise TooManyAttempts(gettext("Too many attempts. Wait ten minutes and try again."))
        LinkAttempt.objects.create(client_hash=client_hash, at=now)
        raise Http404("No such link.")
    if link.revoked_at is not None:
        raise LinkUnavailable(
            gettext("This link was replaced by a newer one. Use the newest link.")
        )
    if now >= link.expires_at:
        raise LinkUnavailable(
            gettext("This link has expired. Ask your facilitator for a new one; nothing was lost.")
        )
    return link
