"""Background tasks of the early warning (run by ``alliance worker``)."""

from __future__ import annotations

from django_tasks import task

from alliance.engagement import outlooks


@task()
def refresh_outlooks_task(enrollment_ids: list[int]) -> int:
    """Recompute and store these men's outlooks after an attendance, check-out or status event."""
    return outlooks.refresh_outlooks(enrollment_ids)
