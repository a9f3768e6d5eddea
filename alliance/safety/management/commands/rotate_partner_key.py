"""``alliance rotate-partner-key``: re-encrypt every partner field under the newest key.

Put the new key first in ALLIANCE_PARTNER_KEY (``NEW,OLD``), run this, then drop the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from alliance.safety import crypto
from alliance.safety.fields import EncryptedTextField
from alliance.safety.models import (
    BreakGlassAccess,
    PartnerNotification,
    PartnerRecord,
    SafetyConcern,
)

MODELS = (
    PartnerRecord,
    PartnerRecord.history.model,
    PartnerNotification,
    SafetyConcern,
    SafetyConcern.history.model,
    BreakGlassAccess,
)


class Command(BaseCommand):
    help = "Re-encrypt every partner-safety field under the first ALLIANCE_PARTNER_KEY key."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            crypto.require_partner_key()
        except crypto.PartnerKeyError as exc:
            raise CommandError(str(exc)) from None
        total = 0
        with transaction.atomic():
            for model in MODELS:
                names = [
                    str(f.column) for f in model._meta.fields if isinstance(f, EncryptedTextField)
                ]
                total += self._rotate(model, names)
        self.stdout.write(f"Re-encrypted {total} rows under the newest key.")

    def _rotate(self, model: Any, names: list[str]) -> int:
        # Raw SQL so the stored tokens are read and written as they are, never decrypted.
        table = connection.ops.quote_name(model._meta.db_table)
        key = connection.ops.quote_name(model._meta.pk.column)
        columns = ", ".join(connection.ops.quote_name(n) for n in names)
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {key}, {columns} FROM {table}")
            rows = cursor.fetchall()
            for pk, *tokens in rows:
                rotated = [crypto.rotate(t) if t else t for t in tokens]
                assignments = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in names)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {key} = %s",
                    [*rotated, pk],
                )
                count += 1
        return count
