"""Background task of the training register (run by ``alliance worker``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from alliance.training.services import raise_credential_alerts


@task()
def raise_credential_alerts_task() -> int:
    """The daily credential-expiry sweep, for a scheduler that enqueues tasks rather than
    running ``alliance alert-credentials`` from cron. Returns how many alerts were new."""
    return len(raise_credential_alerts(now=timezone.now()).raised)
