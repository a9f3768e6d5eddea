"""``alliance flag-missed-measures``: the daily sweep for missed check-outs and scheduled
measures. Safe to run as often as you like: it never raises the same alert twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from alliance.measures.alerts.sweep import sweep_missed_measures


class Command(BaseCommand):
    help = (
        "Raise due and missed scheduled-measure alerts for every program, and missed "
        "check-out alerts for held sessions of the last four weeks. Idempotent; run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_missed_measures()
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(result.by_kind.items())) or "none"
        self.stdout.write(
            f"Checked {result.programs} programs and {result.sessions} held sessions; "
            f"open alerts from the sweep: {result.alerts_open} ({kinds})."
        )
