"""``alliance purge-closed [--dry-run]``: the daily retention job (run it from cron).

Prints counts and database ids only, never a participant code.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.organizations.models import Organization
from alliance.rights.services import purge_closed


class Command(BaseCommand):
    help = "Delete men whose every enrollment closed more than the retention period ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would be purged; delete nothing"
        )
        parser.add_argument("--organization", help="slug of one organization (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = Organization.objects.order_by("slug")
        if options["organization"]:
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(f"--organization: no organization {options['organization']!r}.")
        for organization in organizations:
            result = purge_closed(organization=organization, dry_run=options["dry_run"])
            verb = "would purge" if result.dry_run else "purged"
            ids = ", ".join(str(pk) for pk in result.participant_ids) or "nobody"
            self.stdout.write(
                f"{organization.slug}: {verb} {len(result.participant_ids)} "
                f"(policy {result.years} years, enrollments ended before {result.cutoff}; "
                f"ids: {ids})"
            )
