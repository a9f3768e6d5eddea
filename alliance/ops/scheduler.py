"""The worker's scheduler: periodic jobs enqueued once per period, and tasks of a dead worker
given back to the queue.

Periodic jobs (:data:`JOBS`): each has a cadence (daily at ``ALLIANCE_DAILY_JOBS_AT`` in
``TIME_ZONE``, or every N minutes). ``alliance worker`` (``--schedule``, on by default) looks
every ``TICK_SECONDS`` for jobs whose current period has started and enqueues each one. The
claim is the task row itself: its id is a UUID derived from the job's name and the period's
start, so when two workers (on one machine or several) find the same job due, both insert the
same primary key and the database lets exactly one of them in. No extra table, and cron keeps
working beside it (the jobs are safe to run twice in a period).

Dead workers (django-tasks-db 0.13 leaves a task RUNNING forever when its worker dies without
a graceful shutdown: upstream issue RealOrangeOne/django-tasks-db#5): every worker writes a
heartbeat to the shared cache every ``HEARTBEAT_SECONDS``; a RUNNING task whose worker's
heartbeat is missing at two looks ``HEARTBEAT_SECONDS * 2`` apart (so a cache cull cannot fool
it) goes back to READY and another worker runs it again. Every task in Alliance is safe to run
again (it recomputes and stores, or checks what was already sent). A task that has taken down
``MAX_ATTEMPTS`` workers is marked FAILED instead, so one bad task cannot kill them all.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

logger = logging.getLogger("alliance.scheduler")

#: How often the scheduler looks for due jobs and dead workers.
TICK_SECONDS = 15.0
#: How often a worker says it is alive; missing for longer than twice this, it is dead.
HEARTBEAT_SECONDS = 10.0
#: A task is given back at most this many times (each time a worker died running it).
MAX_ATTEMPTS = 3

_NAMESPACE = uuid.UUID("6d1c7c4e-3f55-4d8f-9a7e-2a0c4b6f1e90")


@dataclass(frozen=True)
class Job:
    """A periodic job: ``task_path`` is enqueued once per period."""

    name: str
    task_path: str
    #: Minutes between runs, or None for once a day at the daily time.
    every_minutes: int | None = None
    description: str = ""


JOBS: tuple[Job, ...] = (
    Job(
        "send-reminders",
        "alliance.ops.tasks.send_reminders_task",
        description="texts and e-mails about due homework and check-outs",
    ),
    Job(
        "flag-missed-measures",
        "alliance.ops.tasks.flag_missed_measures_task",
        description="alerts for missed check-outs and scheduled measures",
    ),
    Job(
        "alert-credentials",
        "alliance.training.tasks.raise_credential_alerts_task",
        description="alerts for staff credentials that expire in 60 or 30 days or today",
    ),
    Job(
        "refit-doses",
        "alliance.ops.tasks.refit_doses_task",
        every_minutes=6 * 60,
        description="each program's practice-dose estimate",
    ),
    Job(
        "send-pending",
        "alliance.ops.tasks.send_pending_task",
        every_minutes=15,
        description="document e-mails whose retry wait is over",
    ),
)


def daily_time() -> dt.time:
    return dt.time.fromisoformat(settings.ALLIANCE_DAILY_JOBS_AT)


def period_start(job: Job, now: dt.datetime) -> dt.datetime:
    """The start of the period ``now`` is in (aware, UTC): daily jobs' periods start at the
    daily time in ``TIME_ZONE``; others at multiples of their cadence since midnight UTC."""
    if job.every_minutes is None:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(zone)
        start = dt.datetime.combine(local.date(), daily_time(), tzinfo=zone)
        if start > local:
            start = dt.datetime.combine(local.date() - dt.timedelta(days=1), daily_time(), zone)
        return start.astimezone(dt.UTC)
    utc = now.astimezone(dt.UTC)
    midnight = utc.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = int((utc - midnight).total_seconds() // 60)
    return midnight + dt.timedelta(minutes=minutes - minutes % job.every_minutes)


def run_id(job: Job, start: dt.datetime) -> uuid.UUID:
    """The task row's id for this job's period: the same in every process."""
    return uuid.uuid5(_NAMESPACE, f"{job.name}|{start.astimezone(dt.UTC).isoformat()}")


def enqueue_due(now: dt.datetime | None = None, jobs: tuple[Job, ...] = JOBS) -> list[str]:
    """Enqueue every job whose current period has no run yet; the names of those enqueued.

    Safe to call from any number of workers at once: the period's run is one primary key.
    """
    from django.utils.module_loading import import_string
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        start = period_start(job, now)
        task = import_string(job.task_path)
        backend = task.get_backend()
        backend.validate_task(task)
        try:
            with transaction.atomic():
                row = DBTaskResult.objects.create(
                    id=run_id(job, start),
                    args_kwargs=normalize_json({"args": [], "kwargs": {}}),
                    priority=task.priority,
                    task_path=task.module_path,
                    queue_name=task.queue_name,
                    run_after=task.run_after,
                    backend_name=backend.alias,
                )
        except IntegrityError:
            continue  # another worker (or this one, earlier) has this period's run
        task_enqueued.send(type(backend), task_result=row.task_result)
        logger.info("Scheduled %s for the period from %s", job.name, start.isoformat())
        enqueued.append(job.name)
    return enqueued


def _heartbeat_key(worker_id: str) -> str:
    return f"worker-heartbeat:{worker_id}"


def beat(worker_id: str) -> None:
    """Say this worker is alive (for ``HEARTBEAT_SECONDS * 3``)."""
    cache.set(_heartbeat_key(worker_id), timezone.now().isoformat(), HEARTBEAT_SECONDS * 3)


def forget(worker_id: str) -> None:
    cache.delete(_heartbeat_key(worker_id))


@dataclass
class Recovery:
    """Gives back the tasks of dead workers; remembers suspects between two looks."""

    suspects: dict[tuple[uuid.UUID, dt.datetime | None], dt.datetime] = field(default_factory=dict)

    def sweep(self, now: dt.datetime | None = None) -> tuple[int, int]:
        """(tasks given back to the queue, tasks failed after ``MAX_ATTEMPTS``)."""
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        now = now or timezone.now()
        settle = dt.timedelta(seconds=HEARTBEAT_SECONDS * 2)
        running = list(
            DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, started_at__lt=now - settle
            ).values_list("id", "worker_ids", "started_at")
        )
        keys = {_heartbeat_key(ids[-1]) for _, ids, _ in running if ids}
        alive = set(cache.get_many(list(keys))) if keys else set()
        orphaned = {
            (pk, started): ids
            for pk, ids, started in running
            if ids and _heartbeat_key(ids[-1]) not in alive
        }
        # Given back only when its worker was missing at two looks apart, with the same claim
        # (same start time) at both.
        confirmed = [
            key for key in orphaned if key in self.suspects and now - self.suspects[key] >= settle
        ]
        self.suspects = {key: self.suspects.get(key, now) for key in orphaned}
        requeued = failed = 0
        for key in confirmed:
            pk, started = key
            worker_ids = orphaned[key]
            attempts = len(worker_ids)
            # Only if nobody has claimed it again since the look (same start time).
            claimed = DBTaskResult.objects.filter(
                pk=pk, status=TaskResultStatus.RUNNING, started_at=started
            )
            if attempts >= MAX_ATTEMPTS:
                done = claimed.update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="alliance.ops.scheduler.WorkerLost",
                    traceback=f"Its worker died {attempts} times while running it.",
                )
                failed += done
                if done:
                    logger.error("Task %s failed: %d workers died running it", pk, attempts)
            else:
                done = claimed.update(status=TaskResultStatus.READY, started_at=None)
                requeued += done
                if done:
                    logger.warning("Task %s given back: worker %s is gone", pk, worker_ids[-1])
            self.suspects.pop(key, None)
        return requeued, failed


class WorkerLost(Exception):
    """The worker running a task died (the task's recorded exception when it is failed)."""


def start_background(
    worker_id: str, *, schedule: bool, stop: threading.Event | None = None
) -> threading.Thread:
    """Heartbeats, dead-worker recovery and (with ``schedule``) periodic jobs, in a thread
    beside the worker's loop. Errors are logged and retried on the next tick."""
    stop = stop or threading.Event()
    recovery = Recovery()

    def loop() -> None:
        last_tick = 0.0
        while not stop.is_set():
            _safely(lambda: beat(worker_id))
            monotonic = _monotonic()
            if monotonic - last_tick >= TICK_SECONDS:
                last_tick = monotonic
                _safely(recovery.sweep)
                if schedule:
                    _safely(enqueue_due)
            close_old_connections()
            stop.wait(HEARTBEAT_SECONDS)

    thread = threading.Thread(target=loop, name="alliance-scheduler", daemon=True)
    thread.start()
    return thread


def _monotonic() -> float:
    import time

    return time.monotonic()


def _safely(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception:
        logger.exception("Scheduler step failed; trying again on the next tick")
