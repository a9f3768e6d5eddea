"""``alliance backup --out FILE``: a checked, consistent backup of the database in use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from alliance.data_classes import table_classes
from alliance.ops.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database DATABASE_URL names (SQLite online backup, or pg_dump) into one "
        "file with a manifest of row counts and a checksum. Safe while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            manifest = backup(connections["default"].settings_dict, out, classes=table_classes())
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backed up {len(manifest.tables)} tables, {manifest.rows} rows "
            f"({manifest.engine}) to {out}; sha256 {manifest.sha256}."
        )
