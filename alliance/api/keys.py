"""Integration key text: ``alk_<prefix>_<secret>``, the secret 32 random bytes.

The secret is high-entropy, so one SHA-256 is a sound hash for it (a slow password hash guards
guessable secrets, which these are not); comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "alk_"


def new_key() -> tuple[str, str, str]:
    """``(full key, prefix, sha256 of the secret)``."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{PREFIX}{prefix}_{secret}", prefix, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(key: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a well-formed key, else ``None``."""
    if not key.startswith(PREFIX):
        return None
    prefix, sep, secret = key[len(PREFIX) :].partition("_")
    if not sep or len(prefix) != 12 or not secret or len(secret) > 100:
        return None
    return prefix, secret


def matches(secret: str, stored_sha256: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_sha256)
