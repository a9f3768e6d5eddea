"""Kept because migrations name ``alliance.safety.fields.EncryptedTextField``; the field now
lives in :mod:`alliance.encryption`, which authenticator secrets share with the partner data."""

from alliance.encryption import EncryptedTextField

__all__ = ["EncryptedTextField"]
