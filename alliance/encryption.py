"""The at-rest key: Fernet encryption of partner-safety fields and staff authenticator secrets.

Two kinds of secret are stored encrypted with one key management: every field of the partner
compartment (``alliance.safety``) and the TOTP seed of every staff authenticator app
(``alliance.organizations.models.Authenticator``). A copy of the database or of a backup without
the key opens neither. Use :class:`EncryptedTextField` for such a column.

The key comes from ``ALLIANCE_PARTNER_KEY`` (or a file named by ``ALLIANCE_PARTNER_KEY_FILE``,
see :mod:`alliance.env`). Several comma-separated keys form a :class:`MultiFernet`: the first
encrypts, every one decrypts, so a key is rotated by putting the new key first, running
``alliance rotate-partner-key`` (which re-encrypts every :class:`EncryptedTextField` of every
model) and then dropping the old one. The variable keeps its historical name.

The key is checked when the server starts (``alliance serve`` and the WSGI application) and
whenever an encrypted field is read or written, so a missing or malformed key stops the work with
a message naming the variable instead of storing plaintext or showing garbage.
"""

from __future__ import annotations

import binascii
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

from alliance.env import ConfigurationError

KEY_VARIABLE = "ALLIANCE_PARTNER_KEY"


class PartnerKeyError(ConfigurationError):
    """The at-rest key is missing, malformed, or does not open the stored records."""


def parse_keys(raw: str) -> MultiFernet:
    """A :class:`MultiFernet` from comma- or line-separated Fernet keys, newest first."""
    parts = [p.strip() for p in raw.replace("\n", ",").split(",") if p.strip()]
    if not parts:
        raise PartnerKeyError(
            f"{KEY_VARIABLE} is not set (nor {KEY_VARIABLE}_FILE): partner-safety records and "
            "staff authenticator secrets are encrypted with it. Create one with "
            "`alliance partner-key` and keep it secret and backed up; without it the records "
            "cannot be read."
        )
    fernets = []
    for position, part in enumerate(parts, start=1):
        try:
            fernets.append(Fernet(part.encode("ascii")))
        except (ValueError, UnicodeEncodeError, binascii.Error):
            raise PartnerKeyError(
                f"{KEY_VARIABLE}: key {position} is not a Fernet key (44 characters of "
                "url-safe base64 encoding 32 bytes); create one with `alliance partner-key`."
            ) from None
    return MultiFernet(fernets)


@lru_cache(maxsize=4)
def _cipher_for(raw: str) -> MultiFernet:
    return parse_keys(raw)


def cipher() -> MultiFernet:
    return _cipher_for(getattr(settings, "ALLIANCE_PARTNER_KEY", ""))


def require_partner_key() -> None:
    """Raise :class:`PartnerKeyError` unless a usable key is configured."""
    cipher()


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise PartnerKeyError(
            f"{KEY_VARIABLE}: a stored encrypted value (a partner record or an authenticator "
            "secret) does not open with the configured key(s). "
            "Was the key replaced instead of rotated? Put the old key after the new one."
        ) from None


def rotate(token: str) -> str:
    """The same plaintext under the first (newest) key."""
    try:
        return cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise PartnerKeyError(
            f"{KEY_VARIABLE}: a stored encrypted value does not open with any configured key."
        ) from None


def ensure_key_file(path: Path) -> Path:
    """Create a key file (owner-only) at ``path`` unless one exists. For the demo only."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(new_key() + "\n", encoding="utf-8")
    return path


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text field stored encrypted (Fernet) and read back as plain text.

    Because each encryption is randomised, the database cannot search, sort or compare these
    columns: filter on the plain columns (organization, dates, status) and sort in Python.
    An empty value stays empty, so "not given" remains visible as such.
    """

    description = "Text encrypted at rest with the at-rest key (ALLIANCE_PARTNER_KEY)"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def encrypt_bytes(data: bytes) -> bytes:
    return cipher().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return cipher().decrypt(token)
    except InvalidToken:
        raise PartnerKeyError(
            f"{KEY_VARIABLE}: a stored encrypted file does not open with the configured key(s). "
            "Was the key replaced instead of rotated? Put the old key after the new one."
        ) from None


def rotate_bytes(token: bytes) -> bytes:
    try:
        return cipher().rotate(token)
    except InvalidToken:
        raise PartnerKeyError(
            f"{KEY_VARIABLE}: a stored encrypted file does not open with any configured key."
        ) from None


class EncryptedBinaryField(models.BinaryField):  # type: ignore[type-arg]
    """Bytes stored encrypted (Fernet, the same key as :class:`EncryptedTextField`).

    For files kept about a man (uploaded documents, signed agreements and their signature
    image): the column holds the Fernet token, never the file. Empty stays empty. A man's
    data-rights export writes these as files of their own rather than inside the JSON.
    """

    description = "Bytes encrypted at rest with the at-rest key (ALLIANCE_PARTNER_KEY)"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or len(value) == 0:
            return value
        return decrypt_bytes(bytes(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is not None and len(value) > 0 and not prepared:
            value = encrypt_bytes(bytes(value))
        return super().get_db_prep_value(value, connection, prepared)
