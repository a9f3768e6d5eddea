"""`alliance worker` runs the database backend's queue for real, in its own process.

A fresh SQLite file: `alliance migrate` makes the tables and the shared cache's table; a task
enqueued by one process (the web server's role) is run by the worker, a separate process, and
its result is in the database afterwards.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import alliance

DATABASE = {"ALLIANCE_TASKS_BACKEND": "database"}


def _rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(query).fetchall()


def test_the_worker_runs_what_another_process_enqueued(tmp_path: Path) -> None:
    db = tmp_path / "alliance.sqlite3"
    migrated = alliance(db, "migrate", "-v", "0", extra_env=DATABASE)
    assert migrated.returncode == 0, migrated.stderr
    tables = {name for (name,) in _rows(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "alliance_cache" in tables  # the shared cache's table comes with every migrate

    enqueue = (
        "from alliance.outcomes.tasks import compute_evaluation_task; "
        "compute_evaluation_task.enqueue(program_ids=[])"
    )
    enqueued = alliance(db, "shell", "-c", enqueue, extra_env=DATABASE)
    assert enqueued.returncode == 0, enqueued.stderr
    queue = "SELECT status FROM django_tasks_database_dbtaskresult"
    assert _rows(db, queue) == [("READY",)]
    assert _rows(db, "SELECT count(*) FROM outcomes_evaluationsnapshot") == [(0,)]

    worked = alliance(db, "worker", "--batch", "--interval", "0", extra_env=DATABASE)
    assert worked.returncode == 0, worked.stderr
    assert _rows(db, queue) == [("SUCCESSFUL",)]
    stored = _rows(db, "SELECT scope, computed_at IS NOT NULL FROM outcomes_evaluationsnapshot")
    assert stored == [("", 1)]


def test_the_worker_explains_that_immediate_tasks_need_none(tmp_path: Path) -> None:
    result = alliance(
        tmp_path / "a.sqlite3", "worker", extra_env={"ALLIANCE_TASKS_BACKEND": "immediate"}
    )
    assert result.returncode == 2
    assert "no worker is needed" in result.stderr


def test_a_misspelt_backend_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    result = alliance(
        tmp_path / "a.sqlite3", "worker", extra_env={"ALLIANCE_TASKS_BACKEND": "celery"}
    )
    assert result.returncode != 0
    assert "ALLIANCE_TASKS_BACKEND" in result.stderr
