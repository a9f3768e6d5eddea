"""``alliance send-reminders``: run daily by cron. See ``alliance.practice.reminders``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance.practice.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Email due-homework and pending-check-out reminders (no clinical content; opt-out)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_due_reminders(today=timezone.localdate(), sender=settings.DEFAULT_FROM_EMAIL)
        self.stdout.write(f"Sent {run.sent} reminders; {run.skipped_opted_out} men opted out.")
