"""The worker's scheduler (alliance/ops/scheduler.py): periodic jobs enqueued once per period
however many workers look, and the tasks of a worker that died given back to the queue."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alliance.ops import scheduler
from alliance.ops.scheduler import JOBS, Job, Recovery, enqueue_due, period_start
from tests.test_cli import alliance, rows

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@override_settings(TIME_ZONE="America/Vancouver", ALLIANCE_DAILY_JOBS_AT="07:00")
def test_a_daily_job_is_due_once_a_local_day_after_the_daily_time() -> None:
    daily = Job("daily", "x")
    # 14:59 UTC is 06:59 in Vancouver (PST, UTC-8): still yesterday's period.
    assert period_start(daily, at("2026-12-05T14:59:00")) == at("2026-12-04T15:00:00")
    assert period_start(daily, at("2026-12-05T15:00:00")) == at("2026-12-05T15:00:00")
    assert period_start(daily, at("2026-12-06T14:00:00")) == at("2026-12-05T15:00:00")
    # Summer time: 07:00 PDT is 14:00 UTC.
    assert period_start(daily, at("2026-07-01T14:30:00")) == at("2026-07-01T14:00:00")


def test_a_job_every_n_minutes_starts_its_periods_on_the_multiples() -> None:
    quarter = Job("q", "x", every_minutes=15)
    assert period_start(quarter, at("2026-12-05T10:44:59")) == at("2026-12-05T10:30:00")
    assert period_start(quarter, at("2026-12-05T10:45:00")) == at("2026-12-05T10:45:00")
    six = Job("six", "x", every_minutes=360)
    assert period_start(six, at("2026-12-05T05:59:00")) == at("2026-12-05T00:00:00")
    assert period_start(six, at("2026-12-05T23:00:00")) == at("2026-12-05T18:00:00")


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, TIME_ZONE="UTC", ALLIANCE_DAILY_JOBS_AT="07:00")
def test_each_job_is_enqueued_once_per_period() -> None:
    morning = at("2026-12-05T08:00:00")
    assert enqueue_due(morning) == [job.name for job in JOBS]
    assert enqueue_due(morning + dt.timedelta(minutes=5)) == []  # same periods: nothing
    # 08:15: only the quarter-hourly e-mail retries have a new period.
    assert enqueue_due(at("2026-12-05T08:15:00")) == ["send-pending"]
    # The next morning every daily job is due again.
    next_day = enqueue_due(at("2026-12-06T07:00:00"))
    assert {"send-reminders", "flag-missed-measures", "refit-doses"} <= set(next_day)
    paths = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(paths).count("alliance.ops.tasks.send_reminders_task") == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}


def _race_script(start_at: float, periods: int) -> str:
    return (
        "import time, datetime as dt, json\n"
        "from alliance.ops.scheduler import enqueue_due\n"
        f"time.sleep(max(0, {start_at} - time.time()))\n"
        "got = []\n"
        f"for day in range({periods}):\n"
        "    now = dt.datetime(2026, 12, 5, 8, tzinfo=dt.UTC) + dt.timedelta(days=day)\n"
        "    got += [f'{day}:{name}' for name in enqueue_due(now)]\n"
        "print(json.dumps(got))\n"
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied by each test that needs a fresh database."""
    db = tmp_path_factory.mktemp("migrated") / "template.sqlite3"
    done = alliance(db, "migrate", "-v", "0", extra_env={"ALLIANCE_TASKS_BACKEND": "database"})
    assert done.returncode == 0, done.stderr
    return db


def _copy(template: Path, tmp_path: Path) -> Path:
    import shutil

    db = tmp_path / "alliance.sqlite3"
    shutil.copy(template, db)
    return db


def test_two_schedulers_racing_enqueue_each_period_once(tmp_path: Path, migrated: Path) -> None:
    """Two processes look at the same periods at the same moment: every job's period is
    enqueued exactly once between them (the claim is the task row's primary key)."""
    import json

    db = _copy(migrated, tmp_path)
    env = {"ALLIANCE_TASKS_BACKEND": "database", "ALLIANCE_TIME_ZONE": "UTC"}
    periods = 5
    script = _race_script(time.time() + 12, periods)
    full_env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "alliance.cli", "shell", "-c", script]
    racers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
        for _ in range(2)
    ]
    outputs = [racer.communicate(timeout=240) for racer in racers]
    for racer, (_, err) in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, err.decode()
    claimed = [json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outputs]
    both = claimed[0] + claimed[1]
    # Each day every job is due (the quarter-hourly and six-hourly ones too: a new day).
    assert sorted(both) == sorted(f"{d}:{job.name}" for d in range(periods) for job in JOBS)
    assert rows(db, "SELECT count(*) FROM django_tasks_database_dbtaskresult") == [
        (periods * len(JOBS),)
    ]


def test_a_worker_batch_with_schedule_runs_every_job_then_none_again(
    tmp_path: Path, migrated: Path
) -> None:
    """What cron or a test can do: `alliance worker --batch --schedule` enqueues the jobs of
    the current periods and runs them; a second run in the same periods enqueues nothing."""
    db = _copy(migrated, tmp_path)
    env = {"ALLIANCE_TASKS_BACKEND": "database"}
    first = alliance(db, "worker", "--batch", "--schedule", "--interval", "0", extra_env=env)
    assert first.returncode == 0, first.stderr
    query = "SELECT task_path, status FROM django_tasks_database_dbtaskresult ORDER BY task_path"
    done = rows(db, query)
    assert sorted(path for path, _ in done) == sorted(job.task_path for job in JOBS)
    assert {status for _, status in done} == {"SUCCESSFUL"}, done
    again = alliance(db, "worker", "--batch", "--schedule", "--interval", "0", extra_env=env)
    assert again.returncode == 0, again.stderr
    count = rows(db, "SELECT count(*) FROM django_tasks_database_dbtaskresult")[0][0]
    # Only a period that turned over between the two runs (the quarter hour) can add one.
    assert count in (len(JOBS), len(JOBS) + 1)


def _running(worker: str, *, started: dt.datetime, attempts: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"program_ids": []}},
        task_path="alliance.outcomes.tasks.compute_evaluation_task",
        queue_name="default",
        backend_name="default",
        run_after=DBTaskResult._meta.get_field("run_after").get_default()
        if DBTaskResult._meta.get_field("run_after").has_default()
        else started,
        status=TaskResultStatus.RUNNING,
        started_at=started,
        worker_ids=[f"{worker}-{n}" for n in range(attempts - 1)] + [worker],
    )


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_dead_workers_task_goes_back_to_the_queue_after_two_looks() -> None:
    now = at("2026-12-05T10:00:00")
    dead = _running("dead-worker", started=now - dt.timedelta(minutes=5))
    scheduler.beat("live-worker")
    live = _running("live-worker", started=now - dt.timedelta(minutes=5))
    fresh = _running("just-claimed", started=now - dt.timedelta(seconds=5))
    recovery = Recovery()
    assert recovery.sweep(now) == (0, 0)  # first look: a suspect only
    assert recovery.sweep(now + dt.timedelta(seconds=5)) == (0, 0)  # too soon to be sure
    assert recovery.sweep(now + dt.timedelta(seconds=25)) == (1, 0)
    dead.refresh_from_db()
    assert (dead.status, dead.started_at) == (TaskResultStatus.READY, None)
    live.refresh_from_db()
    assert live.status == TaskResultStatus.RUNNING  # its worker is beating
    fresh.refresh_from_db()
    assert fresh.status == TaskResultStatus.RUNNING  # claimed moments ago: not judged yet


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_reclaimed_meanwhile_is_left_to_its_new_worker() -> None:
    now = at("2026-12-05T10:00:00")
    task = _running("dead-worker", started=now - dt.timedelta(minutes=5))
    recovery = Recovery()
    recovery.sweep(now)
    # Between the two looks it went back and another worker claimed it (a new start time).
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=now, worker_ids=["w2"])
    scheduler.forget("w2")
    assert recovery.sweep(now + dt.timedelta(seconds=25)) == (0, 0)


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_that_killed_three_workers_is_failed_not_retried() -> None:
    now = at("2026-12-05T10:00:00")
    task = _running("third", started=now - dt.timedelta(minutes=5), attempts=3)
    recovery = Recovery()
    recovery.sweep(now)
    assert recovery.sweep(now + dt.timedelta(seconds=30)) == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "alliance.ops.scheduler.WorkerLost"
