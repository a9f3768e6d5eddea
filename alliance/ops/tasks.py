"""Scheduled work, as background tasks (``alliance worker`` enqueues them on time, see
``alliance.ops.scheduler``). Each one is what its cron command does, so cron still works:
the commands call the same services and both are safe to run twice in a period.
"""

from __future__ import annotations

import io

from django.core.management import call_command
from django_tasks import task


def _command(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


@task()
def send_reminders_task() -> str:
    """``alliance send-reminders``: at most one reminder a man a day, however often it runs."""
    return _command("send_reminders")


@task()
def flag_missed_measures_task() -> str:
    """``alliance flag-missed-measures``: never raises the same alert twice."""
    return _command("flag_missed_measures")


@task()
def send_pending_task() -> str:
    """``alliance send-pending``: document e-mails whose retry wait is over."""
    return _command("send_pending")


@task()
def refit_doses_task() -> int:
    """Refit every program's practice-dose estimate, so no page waits for a stale one."""
    from django.utils import timezone

    from alliance.practice.analysis import refresh_dose_estimate
    from alliance.programs.models import Program

    now = timezone.now()
    refitted = 0
    for program in Program.objects.order_by("pk"):
        refresh_dose_estimate(program, now=now)
        refitted += 1
    return refitted
