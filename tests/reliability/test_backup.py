"""`alliance backup` and `alliance restore`: a consistent copy while the group room writes.

Runs on SQLite and, under ``scripts/with-postgres.sh``, on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import tarfile
import threading
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connections

from alliance import cli
from alliance.ops.backups import (
    MANIFEST,
    BackupError,
    backup,
    connect,
    engine_of,
    restore,
    row_counts,
    verify,
)
from alliance.programs.models import Attendance
from tests.factories import add_men, build_world
from tests.reliability.conftest import TODAY, dump_all, source_db
from tests.reliability.writes import group_room

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_backup_taken_while_men_check_out_restores_one_instant_of_every_table(
    frozen_clock, tmp_path: Path, restore_target: dict[str, Any]
) -> None:
    world = build_world(TODAY)
    men = [world.good, world.at_limit, world.breach, world.late_joiner, *add_men(world, 6)]
    source = source_db()
    engine = engine_of(source)
    # The writer dumps every table after each of its commits: the backup must equal one of
    # those states exactly, whichever instant it copied.
    snapshots: list[dict[str, list[tuple[Any, ...]]]] = []
    errors: list[BaseException] = []
    writing, backed_up = threading.Event(), threading.Event()

    def writer() -> None:
        try:
            with contextlib.closing(connect(source)) as raw:
                if engine == "postgresql":
                    raw.autocommit = True
                snapshots.append(dump_all(raw, engine))
                after = 0
                for done, write in enumerate(group_room(world, men), start=1):
                    write()
                    snapshots.append(dump_all(raw, engine))
                    if done == 3:
                        writing.set()
                    if backed_up.is_set():
                        after += 1
                        if after == 3:
                            return
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            writing.set()
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(120)
    out = tmp_path / "alliance.backup"
    try:
        manifest = backup(source, out)
    finally:
        backed_up.set()
        thread.join(180)
    assert not errors, errors
    assert not thread.is_alive()

    restore(out, restore_target)
    with contextlib.closing(connect(restore_target)) as raw:
        restored = dump_all(raw, engine)

    model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    assert model_tables <= set(restored), model_tables - set(restored)
    assert set(restored) == set(snapshots[-1])
    instants = [k for k, snapshot in enumerate(snapshots) if snapshot == restored]
    assert instants, "the restored copy is not any state the source was in"
    # The copy was taken while writes went on: after at least three, before the last.
    assert 3 <= instants[0] < len(snapshots) - 1
    assert manifest.tables == {name: len(rows) for name, rows in restored.items()}
    assert manifest.tables["programs_attendance"] < Attendance.objects.count()


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    frozen_clock, tmp_path: Path, restore_target: dict[str, Any]
) -> None:
    build_world(TODAY)
    out = tmp_path / "first.backup"
    manifest = backup(source_db(), out)
    restore(out, restore_target)
    with pytest.raises(BackupError, match=r"already holds data.*--force"):
        restore(out, restore_target)
    restore(out, restore_target, force=True)
    with contextlib.closing(connect(restore_target)) as raw:
        assert row_counts(raw, engine_of(restore_target)) == manifest.tables


def _rewrite(src: Path, dest: Path, *, manifest: dict[str, Any] | None, data: bytes | None) -> None:
    """A copy of a backup with its manifest or database member replaced."""
    with tarfile.open(src, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}  # type: ignore[union-attr]
    name = next(n for n in members if n != MANIFEST)
    if manifest is not None:
        members[MANIFEST] = json.dumps(manifest).encode()
    if data is not None:
        members[name] = data
    with gzip.open(dest, "wb") as gz, tarfile.open(fileobj=gz, mode="w") as archive:
        for member_name, body in members.items():
            info = tarfile.TarInfo(member_name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))


def test_a_damaged_or_altered_backup_is_refused_before_anything_is_touched(
    frozen_clock, tmp_path: Path, restore_target: dict[str, Any]
) -> None:
    build_world(TODAY)
    good = tmp_path / "good.backup"
    manifest = backup(source_db(), good)
    assert verify(good) == manifest

    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BackupError, match="not a readable Alliance backup"):
        restore(truncated, restore_target)

    with tarfile.open(good, "r:gz") as archive:
        data = bytearray(archive.extractfile(manifest.member).read())  # type: ignore[union-attr]
    data[len(data) // 2] ^= 0xFF
    altered = tmp_path / "altered.backup"
    _rewrite(good, altered, manifest=None, data=bytes(data))
    with pytest.raises(BackupError, match="fails its checksum"):
        restore(altered, restore_target)

    wrong_counts = json.loads(manifest.to_json())
    wrong_counts["tables"]["programs_attendance"] += 1
    miscounted = tmp_path / "miscounted.backup"
    _rewrite(good, miscounted, manifest=wrong_counts, data=None)
    with pytest.raises(BackupError, match="programs_attendance"):
        restore(miscounted, restore_target)

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(BackupError, match="not a readable Alliance backup"):
        restore(not_a_backup, restore_target)
    with contextlib.closing(connect(restore_target)) as raw:
        assert not any(row_counts(raw, engine_of(restore_target)).values())


def test_the_commands_back_up_check_and_refuse_to_overwrite_the_live_database(
    frozen_clock, tmp_path: Path, capsys
) -> None:
    build_world(TODAY)
    out = tmp_path / "nightly.backup"
    assert cli.main(["backup", "--out", str(out)]) == 0  # `alliance backup --out FILE`
    assert "Backed up" in capsys.readouterr().out
    assert out.stat().st_mode & 0o777 == 0o600
    call_command("restore", str(out), check_only=True)
    assert "checked (nothing restored)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(out))
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing.backup"))

    manifest = verify(out)
    assert "programs.0001_initial" in manifest.migrations
    future = json.loads(manifest.to_json())
    future["migrations"].append("programs.9999_from_a_later_version")
    newer = tmp_path / "newer.backup"
    _rewrite(out, newer, manifest=future, data=None)
    with pytest.raises(CommandError, match=r"newer version.*programs\.9999_from_a_later_version"):
        call_command("restore", str(newer), check_only=True)
