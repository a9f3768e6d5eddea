"""The single-purpose tokens a man uses instead of a password: phone links and kiosks.

One place for what every such token shares (``alliance.measures.administration.tokens`` and
``alliance.practice.tokens`` build on it):

* it comes from :func:`secrets.token_urlsafe` (32 bytes, 256 bits of randomness);
* only its SHA-256 is stored, so a copy of the database opens nothing;
* each kind lives in its own table and URL, so a token opens only the page it was made for;
* each expires (the owning module sets when) and can be revoked;
* failed look-ups are counted per client address (itself stored hashed, and behind a proxy
  the address from ``alliance.organizations.client_address``); past :data:`MAX_FAILURES` in
  :data:`FAILURE_WINDOW` every *unknown* token from that address is refused (429) and no
  longer recorded, so scanning is cut short and the table stays bounded. A valid token still
  opens its page from that address: a man must not lose his link because someone else in his
  group room (one NAT address) or behind the same proxy guessed. What makes a token
  unguessable is its 256 bits, not this limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.http import HttpRequest
from django.utils.translation import gettext

from alliance.organizations.client_address import client_address, limit_key

MAX_FAILURES = 10
FAILURE_WINDOW = dt.timedelta(minutes=10)


class TooManyGuesses(Exception):
    """Too many unknown tokens from this address lately; ``reason`` is shown to the man."""

    @property
    def reason(self) -> str:
        return gettext("Too many attempts. Wait ten minutes and try again.")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def client_of(request: HttpRequest) -> str:
    """Whom guessing limits count: the client's address (its /64 for IPv6)."""
    return limit_key(client_address(request))


def refuse_if_guessing(*, client: str, now: dt.datetime) -> None:
    from alliance.organizations.models import TokenGuess

    recent = TokenGuess.objects.filter(client_hash=hash_token(client), at__gt=now - FAILURE_WINDOW)
    if recent.count() >= MAX_FAILURES:
        raise TooManyGuesses(TooManyGuesses.reason)


def record_failed_lookup(*, client: str, now: dt.datetime) -> None:
    """Count an unknown token. Not in the caller's transaction: it must outlive the refusal."""
    from alliance.organizations.models import TokenGuess

    TokenGuess.objects.create(client_hash=hash_token(client), at=now)
