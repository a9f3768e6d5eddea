"""``alliance send-reminders``: run daily by cron. Texts to men who agreed to texts
(``alliance.sms.reminders``), e-mail to the rest (``alliance.practice.reminders``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance.sms.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind men of due homework and pending check-outs: by text where he agreed to texts, "
        "else by e-mail (no clinical content; he can turn reminders off)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders(today=timezone.localdate(), sender=settings.DEFAULT_FROM_EMAIL)
        self.stdout.write(
            f"Sent {run.texted} reminders by text and {run.emailed.sent} by e-mail; "
            f"{run.not_texted} texts could not be sent; "
            f"{run.emailed.skipped_opted_out} men turned reminders off."
        )
