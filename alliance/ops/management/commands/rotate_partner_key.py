"""``alliance rotate-partner-key``: re-encrypt every encrypted field under the newest key.

Put the new key first in ALLIANCE_PARTNER_KEY (``NEW,OLD``), run this, then drop the old key.
It covers every :class:`~alliance.encryption.EncryptedTextField` and
:class:`~alliance.encryption.EncryptedBinaryField` of every installed model (partner-safety
records and their history, staff authenticator secrets, a man's uploaded documents and signed
agreements, and whatever is encrypted later), so nothing is left under a key that is about to
be dropped.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from alliance import encryption


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted columns, and those columns' names."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            str(f.column)
            for f in model._meta.local_fields
            if isinstance(f, encryption.EncryptedTextField | encryption.EncryptedBinaryField)
        ]
        if names:
            found.append((model, names))
    return found


def _rotated(token: Any) -> Any:
    if not token:
        return token
    if isinstance(token, str):
        return encryption.rotate(token)
    return encryption.rotate_bytes(bytes(token))  # a binary column: bytes or memoryview


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (partner-safety records, staff authenticator "
        "secrets) under the first ALLIANCE_PARTNER_KEY key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            encryption.require_partner_key()
        except encryption.PartnerKeyError as exc:
            raise CommandError(str(exc)) from None
        total = 0
        with transaction.atomic():
            for model, names in encrypted_columns():
                total += self._rotate(model, names)
        self.stdout.write(f"Re-encrypted {total} rows under the newest key.")

    def _rotate(self, model: type[models.Model], names: list[str]) -> int:
        # Raw SQL so the stored tokens are read and written as they are, never decrypted.
        table = connection.ops.quote_name(model._meta.db_table)
        key = connection.ops.quote_name(str(model._meta.pk.column))
        columns = ", ".join(connection.ops.quote_name(n) for n in names)
        assignments = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in names)
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {key}, {columns} FROM {table}")
            for pk, *tokens in cursor.fetchall():
                rotated = [_rotated(t) for t in tokens]
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE {key} = %s", [*rotated, pk])
                count += 1
        return count
