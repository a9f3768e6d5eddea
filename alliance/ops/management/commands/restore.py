"""``alliance restore FILE``: check a backup, then restore it into the database in use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from alliance.ops.backups import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restore a file written by `alliance backup` into the database DATABASE_URL names. "
        "The file is checked first; a database that already holds data is refused unless "
        "--force. --check-only checks the file and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a file written by `alliance backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )
        parser.add_argument(
            "--check-only", action="store_true", help="check the backup, restore nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
        try:
            if options["check_only"]:
                manifest = verify(path, known_migrations=known)
                verb = "checked (nothing restored)"
            else:
                connections.close_all()
                manifest = restore(
                    path,
                    connections["default"].settings_dict,
                    force=options["force"],
                    known_migrations=known,
                )
                verb = "restored and checked"
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backup of {manifest.created_at} {verb}: {len(manifest.tables)} tables, "
            f"{manifest.rows} rows ({manifest.engine})."
        )
