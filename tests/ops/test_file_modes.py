"""The SQLite database, its -wal and -shm files, and backups are readable by their owner only.

Security finding L9: ``alliance.sqlite3`` was created ``-rw-r--r--`` (umask 022) by demo and
migrate, so any local user could read the clinical data.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from alliance.ops.backups import backup, restore

SQLITE_WAL = {"init_command": "PRAGMA journal_mode=WAL;"}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def with_side_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems start with, under which files are world-readable by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker) -> Iterator[None]:
    """These tests open their own SQLite files, never the test database."""
    with django_db_blocker.unblock():
        yield


@contextlib.contextmanager
def connected(path: Path, engine: str = "alliance.ops.private_sqlite3") -> Iterator[object]:
    handler = ConnectionHandler(
        {"default": {"ENGINE": engine, "NAME": str(path), "OPTIONS": SQLITE_WAL}}
    )
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS note (text TEXT)")
            cursor.execute("INSERT INTO note VALUES ('clinical')")
        yield connection
    finally:
        connection.close()


def test_a_new_database_and_its_wal_and_shm_files_are_created_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "alliance.sqlite3"

    with connected(db):
        files = with_side_files(db)
        assert all(f.exists() for f in files)  # WAL mode, connection open
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_plain_django_sqlite_would_leave_it_world_readable(tmp_path: Path) -> None:
    # The control for the test above: the stock backend follows the umask.
    db = tmp_path / "stock.sqlite3"

    with connected(db, engine="django.db.backends.sqlite3"):
        assert mode(db) == 0o644


def test_an_existing_world_readable_database_and_side_files_are_narrowed(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    holder = sqlite3.connect(db)  # keeps -wal and -shm in place, as a running server would
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE note (text TEXT)")
    holder.execute("INSERT INTO note VALUES ('clinical')")
    holder.commit()
    try:
        assert [mode(f) for f in with_side_files(db)] == [0o644, 0o644, 0o644]

        with connected(db):
            assert [mode(f) for f in with_side_files(db)] == [0o600, 0o600, 0o600]
    finally:
        holder.close()


def test_a_backup_and_a_database_restored_from_it_are_owner_only(tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite3"
    with contextlib.closing(sqlite3.connect(source)) as raw:
        raw.execute("CREATE TABLE note (text TEXT)")
        raw.execute("INSERT INTO note VALUES ('clinical')")
        raw.commit()
    out = tmp_path / "alliance.backup"
    target = tmp_path / "restored.sqlite3"
    engine = {"ENGINE": "django.db.backends.sqlite3"}

    backup({**engine, "NAME": str(source)}, out)
    restore(out, {**engine, "NAME": str(target)})

    assert mode(out) == 0o600
    assert mode(target) == 0o600


def test_alliance_migrate_creates_an_owner_only_database(tmp_path: Path) -> None:
    db = tmp_path / "alliance.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import os, sys; os.umask(0o022); from alliance.cli import main; sys.exit(main())"

    done = subprocess.run(
        [sys.executable, "-c", code, "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert mode(db) == 0o600


def test_keeping_the_file_private_never_drops_a_lock_another_connection_holds(
    tmp_path: Path,
) -> None:
    """Closing any descriptor of a file drops every POSIX lock the process holds on it, so the
    owner-only check must not open the live database. It once did, on every new connection:
    another connection's shared lock vanished, a closing connection elsewhere then believed it
    was the last one, checkpointed and deleted the WAL under the open one, and SQLite answered
    "disk I/O error" under load."""
    from alliance.ops.owner_only import keep_private

    path = tmp_path / "live.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("SELECT count(*) FROM t").fetchone()  # holds its shared lock on the file

    keep_private(path)  # as a new connection in another thread of this process would

    # Another process writes and closes: if it believes it is the last connection, it
    # checkpoints and deletes the WAL and the shared-memory file.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('INSERT INTO t VALUES (1)'); c.close()",
            str(path),
        ],
        check=True,
    )
    assert path.with_name(path.name + "-wal").exists()  # the holder is still open: kept
    assert holder.execute("SELECT count(*) FROM t").fetchone() == (1,)
    holder.close()
