"""Fixtures for the reliability tests: backups, restarts, retries and concurrent writers.

These tests run real threads (and a real server process) against the test database, so they
commit (``transaction=True``) and, on SQLite, need a database *file*: the in-memory database
pytest-django uses by default has neither WAL nor a second process. When this folder is
collected the SQLite test database therefore becomes a file in a temporary folder (for the
whole run: pytest-django creates one test database per run and worker).
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from alliance.ops.backups import connect, engine_of, quote, table_names
from tests.web import conftest as web

_default = settings.DATABASES["default"]
if _default["ENGINE"].endswith("sqlite3") and _default.get("TEST", {}).get("NAME") in (
    None,
    "",
    ":memory:",
):
    _default.setdefault("TEST", {})["NAME"] = str(
        Path(tempfile.mkdtemp(prefix="alliance-reliability-")) / "test.sqlite3"
    )

_fast_passwords = web._fast_passwords
_static_without_collectstatic = web._static_without_collectstatic
frozen_clock = web.frozen_clock
as_user = web.as_user
TODAY = web.TODAY


def source_db() -> dict[str, Any]:
    """The test database's settings, as ``alliance backup`` would read them."""
    return dict(connection.settings_dict)


def dump_all(conn: Any, engine: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, each table's rows in a fixed order."""
    cur = conn.cursor()
    tables = {}
    for name in table_names(conn, engine):
        cur.execute(f"SELECT * FROM {quote(name)}")
        tables[name] = sorted((tuple(row) for row in cur.fetchall()), key=repr)
    return tables


@pytest.fixture
def restore_target(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty database of the same engine to restore into (dropped afterwards)."""
    source = source_db()
    if engine_of(source) == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"alliance_restore_{uuid.uuid4().hex[:12]}"
    with contextlib.closing(connect(source)) as admin:
        admin.autocommit = True
        admin.execute(f"CREATE DATABASE {quote(name)}")
    try:
        yield {**source, "NAME": name}
    finally:
        with contextlib.closing(connect(source)) as admin:
            admin.autocommit = True
            admin.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
