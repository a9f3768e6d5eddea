"""Events that change a man's outlook enqueue its recomputation (alliance/engagement/outlooks.py).

An attendance mark, a check-out or facilitator rating, or a change of his enrollment
(status, sessions required) each enqueue a refresh of that enrollment's outlook once the write
commits, so the worker reads what was written. Bulk writes (the caseload import, a measures
import) bypass ``save()``; they announce the men they touched
(``alliance.participants.bulk.records_written``) and those men's outlooks are refreshed alike.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from alliance.engagement.models import StoredOutlook
from alliance.measures.models import CHECKOUT, FACILITATOR_RATING, Administration
from alliance.participants.bulk import records_written
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance

#: Inside ``suspended()`` (a bulk build that refreshes every man at its end) events do nothing.
_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "outlooks_suspended", default=False
)


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """No refresh per event inside (a bulk build such as the demo refreshes once at its end)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def enqueue_refresh(enrollment_ids: Iterable[int]) -> None:
    """Forget these men's stored outlooks now, in the writing transaction, and enqueue their
    recomputation for after it commits.

    Until the worker has stored the new ones, a page finds none and computes them itself, so
    no page shows an outlook older than the record (and a rolled-back write changes nothing).
    """
    ids = sorted(set(enrollment_ids))
    if not ids or _suspended.get():
        return
    StoredOutlook.objects.filter(enrollment_id__in=ids).delete()

    def enqueue() -> None:
        from alliance.engagement.tasks import refresh_outlooks_task

        refresh_outlooks_task.enqueue(enrollment_ids=ids)

    transaction.on_commit(enqueue)


def _attendance_saved(sender: type[Attendance], instance: Attendance, **kwargs: Any) -> None:
    enqueue_refresh([instance.enrollment_id])


def _administration_saved(
    sender: type[Administration], instance: Administration, **kwargs: Any
) -> None:
    # Its scores are written after it, in the same transaction: the task runs after commit.
    if instance.instrument_id in (CHECKOUT, FACILITATOR_RATING):
        enqueue_refresh([instance.enrollment_id])


def _enrollment_saved(sender: type[Enrollment], instance: Enrollment, **kwargs: Any) -> None:
    enqueue_refresh([instance.pk])


def _bulk_written(sender: type[Enrollment], enrollment_ids: list[int], **kwargs: Any) -> None:
    enqueue_refresh(enrollment_ids)


def connect() -> None:
    records_written.connect(_bulk_written, dispatch_uid="outlook-bulk")
    post_save.connect(_attendance_saved, sender=Attendance, dispatch_uid="outlook-attendance")
    post_save.connect(
        _administration_saved, sender=Administration, dispatch_uid="outlook-administration"
    )
    post_save.connect(_enrollment_saved, sender=Enrollment, dispatch_uid="outlook-enrollment")
