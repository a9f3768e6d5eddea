"""``alliance alert-credentials``: the daily job raising credential expiry alerts (60 and 30 days
before and on the day). Safe to run as often as you like: one alert per threshold."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance.training.services import raise_credential_alerts


class Command(BaseCommand):
    help = (
        "Raise credential expiry alerts 60 and 30 days before and on the expiry date. "
        "Idempotent; run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = raise_credential_alerts(now=timezone.now())
        self.stdout.write(
            f"Checked {run.checked} credentials; new alerts: {len(run.raised)} "
            f"(ids: {', '.join(str(a.pk) for a in run.raised) or 'none'})."
        )
