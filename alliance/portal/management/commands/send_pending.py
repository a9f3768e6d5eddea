"""Retry e-mail deliveries that are due (``alliance send-pending``; run it from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from alliance.portal.services import send_pending


class Command(BaseCommand):
    help = "Send queued document e-mails and retry failed ones whose wait is over."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_pending()
        self.stdout.write(f"{run.sent} sent, {run.failed} failed (will be retried).")
