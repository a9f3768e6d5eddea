"""Kiosk and practice PINs stored as a keyed HMAC, not a password hash.

A PIN is four (kiosk) or six (practice) digits: whatever the hash, anyone holding the stored
value and the way it was made tries every PIN in moments, so a slow password hash (Argon2,
about 50 ms and 64 MB per check) bought nothing but slow sign-ins at a tablet where a whole
group signs in at once. What protects a PIN is the lockout (a few wrong PINs pause it) and a
secret the database does not hold: HMAC-SHA256 under ``ALLIANCE_PIN_KEY`` (by default derived
from ``SECRET_KEY``), with a random salt per PIN. A copy of the database alone opens nothing.

PINs stored before this (Argon2 through Django's ``make_password``) still verify; a PIN that
verifies against an old hash or an older key is stored anew under the current key (the caller
saves ``rehashed``).

``ALLIANCE_PIN_KEY`` may list several keys, comma-separated, newest first, to rotate: PINs made
under an older key still verify and move to the newest on their next use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password

PREFIX = "hmac-sha256"


def _keys() -> list[bytes]:
    configured = [k.strip() for k in getattr(settings, "ALLIANCE_PIN_KEY", "").split(",")]
    keys = [k.encode() for k in configured if k]
    if keys:
        return keys
    # Derived, so that it differs from SECRET_KEY itself and from its other uses; from the
    # fallbacks too, so that rotating SECRET_KEY does not lock every man out of his PIN.
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hmac.new(s.encode(), b"alliance-pin-key", hashlib.sha256).digest() for s in secrets_]


def _mac(key: bytes, salt: str, pin: str) -> str:
    return hmac.new(key, f"{salt}${pin}".encode(), hashlib.sha256).hexdigest()


def hash_pin(pin: str) -> str:
    """The stored form of ``pin``: ``hmac-sha256$<salt>$<hex digest>`` under the newest key."""
    salt = secrets.token_hex(16)
    return f"{PREFIX}${salt}${_mac(_keys()[0], salt, pin)}"


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    #: The PIN's new stored form when it matched an Argon2 hash or an older key; else None.
    rehashed: str | None = None


def check_pin(pin: str, stored: str) -> PinCheck:
    """Whether ``pin`` matches ``stored`` (an HMAC made here, or an earlier Argon2 hash)."""
    if stored.startswith(PREFIX + "$"):
        _, salt, digest = stored.split("$", 2)
        keys = _keys()
        for position, key in enumerate(keys):
            if hmac.compare_digest(_mac(key, salt, pin), digest):
                return PinCheck(True, hash_pin(pin) if position else None)
        return PinCheck(False)
    if check_password(pin, stored):
        return PinCheck(True, hash_pin(pin))
    return PinCheck(False)
