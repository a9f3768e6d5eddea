"""Backups that can be trusted: one file, a manifest, and a check before anything is replaced.

A backup is a gzip'd tar archive holding two members:

``manifest.json``
    the format, the engine, when it was taken, the SHA-256 and size of the database member,
    and the number of rows in every table *as of the snapshot that was copied*;
``database.sqlite3`` or ``database.pgdump``
    a SQLite copy made with the online backup API (consistent while the server writes), or a
    ``pg_dump`` custom-format archive.

On SQLite the row counts are taken from the copy itself. On PostgreSQL they are taken in a
REPEATABLE READ transaction whose snapshot is exported to ``pg_dump --snapshot``, so the counts
and the dump describe the same instant even while men are submitting check-outs.

A restore checks the archive first (checksum, ``PRAGMA integrity_check`` or
``pg_restore --list``, row counts), refuses a target that already holds data unless forced,
and checks the row counts again afterwards. The functions take a Django ``DATABASES`` entry,
so the management commands pass the one ``DATABASE_URL`` names and tests pass their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from alliance.ops.owner_only import keep_private

FORMAT = "alliance-backup/1"
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
PG_BIN_FALLBACK = Path("/usr/lib/postgresql/15/bin")
#: Tables a freshly migrated database fills by itself; rows here do not make a target "in use".
BOOKKEEPING = frozenset({"django_migrations", "django_content_type", "auth_permission"})

DatabaseSettings = Mapping[str, Any]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    member: str
    sha256: str
    size: int
    tables: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT
    #: ``app.name`` of every migration applied in the copy: restoring needs code that knows them.
    migrations: list[str] = field(default_factory=list)
    #: Table -> data class (``alliance.data_classes``): which tables of the copy hold partner
    #: data (encrypted), secrets, identity, ... A backup holds every class: keep it like one.
    classes: dict[str, str] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            manifest = cls(
                engine=str(data["engine"]),
                created_at=str(data["created_at"]),
                member=str(data["member"]),
                sha256=str(data["sha256"]),
                size=int(data["size"]),
                tables={str(k): int(v) for k, v in dict(data["tables"]).items()},
                format=str(data["format"]),
                migrations=[str(m) for m in data.get("migrations", [])],
                classes={str(k): str(v) for k, v in dict(data.get("classes", {})).items()},
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"The backup's manifest is unreadable ({exc}).") from None
        if manifest.format != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.format!r}; expected {FORMAT!r}.")
        if MEMBERS.get(manifest.engine) != manifest.member:
            raise BackupError(f"The manifest names an unknown database {manifest.member!r}.")
        return manifest


# --- connections and tables ----------------------------------------------------------------


def engine_of(db: DatabaseSettings) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine!r}.")


def _pg_kwargs(db: DatabaseSettings) -> dict[str, Any]:
    kwargs = {
        "dbname": db.get("NAME") or "",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": str(db["PORT"]) if db.get("PORT") else None,
    }
    return {k: v for k, v in kwargs.items() if v is not None}


def connect(db: DatabaseSettings) -> Any:
    """A plain DB-API connection (no Django) to the database ``db`` describes."""
    if engine_of(db) == "sqlite":
        return sqlite3.connect(str(db["NAME"]), timeout=30)
    import psycopg

    return psycopg.connect(**_pg_kwargs(db))


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(conn: Any, engine: str) -> list[str]:
    cur = conn.cursor()
    if engine == "sqlite":
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(str(row[0]) for row in cur.fetchall())


def row_counts(conn: Any, engine: str) -> dict[str, int]:
    cur = conn.cursor()
    counts = {}
    for name in table_names(conn, engine):
        cur.execute(f"SELECT COUNT(*) FROM {quote(name)}")
        counts[name] = int(cur.fetchone()[0])
    return counts


def applied_migrations(conn: Any, engine: str) -> list[str]:
    if "django_migrations" not in table_names(conn, engine):
        return []
    cur = conn.cursor()
    cur.execute("SELECT app, name FROM django_migrations")
    return sorted(f"{app}.{name}" for app, name in cur.fetchall())


def _check_migrations(manifest: Manifest, known: Collection[str] | None) -> None:
    if known is None:
        return
    unknown = sorted(set(manifest.migrations) - set(known))
    if unknown:
        raise BackupError(
            "This backup was taken by a newer version of Alliance; this one does not know its "
            f"migrations {', '.join(unknown[:5])}. Install that version (or a later one) first."
        )


def holds_data(db: DatabaseSettings) -> bool:
    """Whether the database has rows beyond what ``migrate`` writes by itself."""
    engine = engine_of(db)
    if engine == "sqlite" and not Path(str(db["NAME"])).exists():
        return False
    with contextlib.closing(connect(db)) as conn:
        counts = row_counts(conn, engine)
    return any(n for name, n in counts.items() if name not in BOOKKEEPING)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    fallback = PG_BIN_FALLBACK / name
    if fallback.exists():
        return str(fallback)
    raise BackupError(f"{name} was not found on PATH or in {PG_BIN_FALLBACK}; install it.")


def _pg_command(tool: str, db: DatabaseSettings) -> tuple[list[str], dict[str, str]]:
    kwargs = _pg_kwargs(db)
    args = [_pg_tool(tool)]
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if key in kwargs:
            args += [flag, str(kwargs[key])]
    env = dict(os.environ)
    if "password" in kwargs:
        env["PGPASSWORD"] = str(kwargs["password"])
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _sqlite_migrations(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(str(path))) as conn:
        return applied_migrations(conn, "sqlite")


def _sqlite_check(path: Path) -> dict[str, int]:
    """``PRAGMA integrity_check`` and the row counts of a SQLite file."""
    with contextlib.closing(sqlite3.connect(str(path))) as conn:
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"The database in the backup is damaged ({exc}).") from None
        if result != ["ok"]:
            raise BackupError("The database in the backup is damaged: " + "; ".join(result[:5]))
        return row_counts(conn, "sqlite")


# --- backup --------------------------------------------------------------------------------


def _copy_sqlite(db: DatabaseSettings, dest: Path) -> tuple[dict[str, int], list[str]]:
    source = Path(str(db["NAME"]))
    if not source.exists():
        raise BackupError(f"There is no SQLite database at {source}.")
    with (
        contextlib.closing(sqlite3.connect(str(source), timeout=30)) as src,
        contextlib.closing(sqlite3.connect(str(dest))) as dst,
    ):
        # pages=-1 copies every page in one step under one read transaction: in WAL mode
        # writers carry on meanwhile and the copy is the database as of one instant.
        src.backup(dst, pages=-1)
        # The copy is one self-contained file, not a WAL database with side files.
        dst.execute("PRAGMA journal_mode=DELETE")
    return _sqlite_check(dest), _sqlite_migrations(dest)


def _dump_postgresql(db: DatabaseSettings, dest: Path) -> tuple[dict[str, int], list[str]]:
    import psycopg

    with contextlib.closing(connect(db)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        cur = conn.cursor()
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = str(cur.fetchone()[0])
        counts = row_counts(conn, "postgresql")
        migrations = applied_migrations(conn, "postgresql")
        args, env = _pg_command("pg_dump", db)
        args += [
            "--format=custom",
            f"--snapshot={snapshot}",
            "--file",
            str(dest),
            str(db.get("NAME") or ""),
        ]
        _run(args, env, "pg_dump")
        conn.rollback()
    return counts, migrations


def backup(
    db: DatabaseSettings,
    out: Path,
    *,
    now: dt.datetime | None = None,
    classes: Mapping[str, str] | None = None,
) -> Manifest:
    """Write a verified backup of ``db`` to ``out`` (replaced atomically; mode 0600).

    ``classes`` (table -> data class) is written to the manifest for the tables the copy holds.
    """
    engine = engine_of(db)
    out = Path(out)
    if out.parent and not out.parent.is_dir():
        raise BackupError(f"--out: the folder {out.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="alliance-backup-", dir=out.parent) as work:
        member = Path(work) / MEMBERS[engine]
        copy = _copy_sqlite if engine == "sqlite" else _dump_postgresql
        counts, migrations = copy(db, member)
        manifest = Manifest(
            engine=engine,
            created_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
            member=member.name,
            sha256=_sha256(member),
            size=member.stat().st_size,
            tables=counts,
            migrations=migrations,
            classes={t: c for t, c in (classes or {}).items() if t in counts},
        )
        partial = Path(work) / "backup.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with (
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz,
                tarfile.open(fileobj=gz, mode="w") as archive,
            ):
                info = tarfile.TarInfo(MANIFEST)
                body = manifest.to_json()
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
                archive.add(member, arcname=member.name)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
    return manifest


# --- checking and restoring ----------------------------------------------------------------


@contextlib.contextmanager
def opened(path: Path) -> Iterator[tuple[Manifest, Path]]:
    """Unpack and check a backup; yields its manifest and the checked database file.

    Checks the checksum and size, then the database itself: ``PRAGMA integrity_check`` and the
    row counts of every table (SQLite) or ``pg_restore --list`` (PostgreSQL). Raises
    :class:`BackupError` naming the first problem found.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    with tempfile.TemporaryDirectory(prefix="alliance-restore-") as work:
        try:
            with tarfile.open(path, mode="r:gz") as archive:
                manifest_file = archive.extractfile(MANIFEST)
                if manifest_file is None:
                    raise BackupError(f"{path} has no manifest; it is not an Alliance backup.")
                manifest = Manifest.from_json(manifest_file.read())
                data = archive.extractfile(manifest.member)
                if data is None:
                    raise BackupError(f"{path} does not contain {manifest.member}.")
                member = Path(work) / manifest.member  # never a name taken from the archive
                with member.open("wb") as handle:
                    shutil.copyfileobj(data, handle)
        except (tarfile.TarError, OSError, EOFError, KeyError) as exc:
            raise BackupError(f"{path} is not a readable Alliance backup ({exc}).") from None
        if member.stat().st_size != manifest.size or _sha256(member) != manifest.sha256:
            raise BackupError(
                f"{path} fails its checksum: the file was damaged or changed after the backup."
            )
        if manifest.engine == "sqlite":
            counts = _sqlite_check(member)
            _compare(manifest.tables, counts, "in the backup")
        else:
            args, env = _pg_command("pg_restore", {})
            listing = _run([*args, "--list", str(member)], env, "pg_restore --list")
            if "TABLE DATA" not in listing:
                raise BackupError(f"{path}: pg_restore lists no table data in the dump.")
        yield manifest, member


def _compare(expected: Mapping[str, int], found: Mapping[str, int], where: str) -> None:
    problems = [
        f"{name}: {expected.get(name, 'absent')} in the manifest, {found.get(name, 'absent')} "
        f"{where}"
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]
    if problems:
        raise BackupError("Row counts do not match: " + "; ".join(problems[:10]))


def verify(path: Path, *, known_migrations: Collection[str] | None = None) -> Manifest:
    """Check a backup; with ``known_migrations``, also that this code can restore it."""
    with opened(path) as (manifest, _member):
        _check_migrations(manifest, known_migrations)
        return manifest


def restore(
    path: Path,
    db: DatabaseSettings,
    *,
    force: bool = False,
    known_migrations: Collection[str] | None = None,
) -> Manifest:
    """Replace the contents of ``db`` with the backup at ``path``, after checking both.

    ``known_migrations`` (``app.name``) are the migrations this code has: a backup with others
    was taken by a newer version and is refused.
    """
    engine = engine_of(db)
    with opened(path) as (manifest, member):
        _check_migrations(manifest, known_migrations)
        if manifest.engine != engine:
            raise BackupError(
                f"This is a {manifest.engine} backup; DATABASE_URL names a {engine} database."
            )
        if not force and holds_data(db):
            raise BackupError(
                "The target database already holds data; restoring would replace all of it. "
                "Check DATABASE_URL, then run again with --force if that is what you want."
            )
        if engine == "sqlite":
            _restore_sqlite(member, db)
        else:
            _restore_postgresql(member, db, manifest.tables)
    with contextlib.closing(connect(db)) as conn:
        _compare(manifest.tables, row_counts(conn, engine), "after the restore")
    return manifest


def _restore_sqlite(member: Path, db: DatabaseSettings) -> None:
    target = Path(str(db["NAME"]))
    if not target.parent.is_dir():
        raise BackupError(f"DATABASE_URL: the folder {target.parent} does not exist.")
    keep_private(target)  # a restored database is as private as one Alliance created
    with (
        contextlib.closing(sqlite3.connect(str(member))) as src,
        contextlib.closing(sqlite3.connect(str(target), timeout=30)) as dst,
    ):
        # The backup API writes every page of the target in one transaction: a reader sees
        # the old database or the restored one, never a mixture.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=WAL")
        result = [str(row[0]) for row in dst.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError("The restored database fails its integrity check: " + result[0])


def _restore_postgresql(member: Path, db: DatabaseSettings, expected: Mapping[str, int]) -> None:
    """Drop the target's tables, load the dump and check every table's row count, all in one
    transaction (psql --single-transaction): a restore that fails anywhere changes nothing."""
    with contextlib.closing(connect(db)) as conn:
        schema = str(conn.execute("SELECT current_schema()").fetchone()[0])
        names = table_names(conn, "postgresql")
        # Functions the migrations created (the access log's append-only trigger function):
        # the dump recreates them, so they go with the tables. Extension functions stay.
        functions = [
            str(row[0])
            for row in conn.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p"
                " JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname = current_schema() AND NOT EXISTS ("
                "  SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
            ).fetchall()
        ]
    work = member.parent
    args, env = _pg_command("pg_restore", {})
    _run(
        [*args, "--no-owner", "--no-privileges", "--file", str(work / "load.sql"), str(member)],
        env,
        "pg_restore",
    )
    checks = "\n".join(
        f"  IF (SELECT COUNT(*) FROM {quote(schema)}.{quote(name)}) <> {int(count)} THEN "
        f"RAISE EXCEPTION 'row count of {name} differs from the manifest'; END IF;"
        for name, count in sorted(expected.items())
    )
    script = work / "restore.sql"
    script.write_text(
        # Only tables are dropped, not the schema: it may belong to another role.
        ("DROP TABLE IF EXISTS " + ", ".join(map(quote, names)) + " CASCADE;\n" if names else "")
        + "".join(f"DROP FUNCTION IF EXISTS {signature} CASCADE;\n" for signature in functions)
        + f"\\i {work / 'load.sql'}\n"
        + f"DO $$\nBEGIN\n{checks}\nEND\n$$;\n",
        encoding="utf-8",
    )
    args, env = _pg_command("psql", db)
    args += [
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set",
        "ON_ERROR_STOP=1",
        "--dbname",
        str(db.get("NAME") or ""),
        "--file",
        str(script),
    ]
    _run(args, env, "The restore (nothing was changed)")
