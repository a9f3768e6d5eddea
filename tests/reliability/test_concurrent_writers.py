"""Writers at the same moment: they queue, and a stale edit is refused, never lost.

Each thread has its own database connection, as each gunicorn worker does. On SQLite (a file
in WAL mode, ``BEGIN IMMEDIATE``, a busy timeout) a second writer waits for the first; on
PostgreSQL row locks and the unique constraint decide. Runs on both engines.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from alliance.core.vocabulary import AttendanceMark
from alliance.measures.models import Administration
from alliance.programs.models import Attendance, Session, SessionStatus
from alliance.programs.services import EditConflict, record_attendance, update_session
from tests.factories import add_men, build_world
from tests.reliability.conftest import TODAY, source_db
from tests.reliability.server import ROOT, database_url
from tests.reliability.writes import submit_checkout

pytestmark = pytest.mark.django_db(transaction=True)

P, L, E, U = (AttendanceMark.PRESENT, AttendanceMark.LATE, AttendanceMark.EXCUSED,
              AttendanceMark.UNEXCUSED)  # fmt: skip


def in_threads(*jobs: Callable[[], Any]) -> list[Any]:
    """Run each job in its own thread (own connection); results or the exceptions raised."""
    results: list[Any] = [None] * len(jobs)

    def run(k: int) -> None:
        try:
            results[k] = jobs[k]()
        except BaseException as exc:
            results[k] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout() -> None:
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # row locks; nothing to configure
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


def test_ten_men_checking_out_while_attendance_is_taken_all_succeed(frozen_clock) -> None:
    world = build_world(TODAY)
    men = add_men(world, 10)
    session = world.todays_session_a
    start = threading.Barrier(len(men))

    def man_and_his_mark(man):  # type: ignore[no-untyped-def]
        def job() -> None:
            start.wait(30)
            for _ in range(3):  # a double tap and a retry mark the same thing
                record_attendance(actor=world.alice, session=session, enrollment=man, mark=P)
            submit_checkout(world, man)

        return job

    results = in_threads(*(man_and_his_mark(man) for man in men))

    assert [r for r in results if r is not None] == []
    assert Attendance.objects.filter(session=session).count() == len(men)
    done = Administration.objects.filter(session=session, status="complete")
    assert sorted(done.values_list("enrollment_id", flat=True)) == sorted(m.pk for m in men)
    assert Session.objects.get(pk=session.pk).marks_total == len(men)


WORKER = """
import os, sys, time, pathlib
os.environ["DJANGO_SETTINGS_MODULE"] = "alliance.settings"
import django
django.setup()
from tests.reliability.writes import mark_and_check_out
ready, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
while not go.exists():
    time.sleep(0.01)
mark_and_check_out(int(sys.argv[3]), [int(x) for x in sys.argv[4].split(",")], int(sys.argv[5]))
"""


def test_four_processes_writing_at_once_all_succeed(frozen_clock, tmp_path) -> None:
    """Like four gunicorn workers: separate processes, separate connections."""
    world = build_world(TODAY)
    men = add_men(world, 8)
    session = world.todays_session_a
    env = {**os.environ, "DATABASE_URL": database_url(source_db())}
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(tmp_path / f"ready{k}"),
                str(go),
                str(session.pk),
                ",".join(str(m.pk) for m in men[k::4]),
                str(world.alice.pk),
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for k in range(4)
    ]
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready{k}").exists() for k in range(4)):
        assert time.monotonic() < deadline, "the worker processes did not start"
        assert all(w.poll() is None for w in workers), [w.stderr.read() for w in workers]  # type: ignore[union-attr]
        time.sleep(0.05)
    go.touch()
    outcomes = [(w.wait(120), w.stderr.read().decode()) for w in workers]  # type: ignore[union-attr]

    assert [code for code, _ in outcomes] == [0, 0, 0, 0], outcomes
    assert Attendance.objects.filter(session=session).count() == len(men)
    assert Administration.objects.filter(session=session, status="complete").count() == len(men)
    assert Session.objects.get(pk=session.pk).marks_total == len(men)


def _race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[Any, Any]:
    """``first`` writes inside a transaction and holds it open while ``second`` starts; then
    ``first`` commits. The second writer meets the first one's uncommitted change."""
    inside, release = threading.Event(), threading.Event()

    def hold() -> Any:
        try:
            with transaction.atomic():
                result = first()
                inside.set()
                release.wait(30)
            return result
        finally:
            inside.set()

    def then() -> Any:
        inside.wait(30)
        return second()

    def let_go() -> None:
        inside.wait(30)
        time.sleep(0.5)  # the second writer is now waiting on the first one's lock
        release.set()

    results = in_threads(hold, then, let_go)
    return results[0], results[1]


def test_two_facilitators_correcting_one_mark_one_wins_the_other_is_told(frozen_clock) -> None:
    world = build_world(TODAY)
    session = world.sessions_a[0]
    seen = Attendance.objects.get(session=session, enrollment=world.good)
    versions = seen.history.count()

    alice, fred = _race(
        lambda: record_attendance(
            actor=world.alice,
            session=session,
            enrollment=world.good,
            mark=L,
            minutes_late=10,
            expected_revision=seen.revision,
        ),
        lambda: record_attendance(
            actor=world.fred,
            session=session,
            enrollment=world.good,
            mark=E,
            expected_revision=seen.revision,
        ),
    )

    assert isinstance(alice, Attendance)
    assert isinstance(fred, EditConflict), fred
    assert "Someone else marked him late" in str(fred)
    now = Attendance.objects.get(pk=seen.pk)
    assert (now.mark, now.minutes_late, now.revision) == ("late", 10, seen.revision + 1)
    assert fred.current_revision == now.revision
    assert now.history.count() == versions + 1


def test_two_facilitators_marking_an_unmarked_man_at_once_get_a_conflict_not_an_error(
    frozen_clock,
) -> None:
    world = build_world(TODAY)
    session = world.todays_session_a

    alice, fred = _race(
        lambda: record_attendance(
            actor=world.alice, session=session, enrollment=world.good, mark=P
        ),
        lambda: record_attendance(actor=world.fred, session=session, enrollment=world.good, mark=U),
    )

    assert isinstance(alice, Attendance)
    assert isinstance(fred, EditConflict), fred
    assert "Someone else marked him present" in str(fred)
    assert list(Attendance.objects.filter(session=session).values_list("mark", flat=True)) == [
        "present"
    ]


def test_the_same_mark_from_two_facilitators_at_once_is_recorded_once(frozen_clock) -> None:
    world = build_world(TODAY)
    session = world.todays_session_a

    alice, fred = _race(
        lambda: record_attendance(
            actor=world.alice, session=session, enrollment=world.good, mark=P
        ),
        lambda: record_attendance(actor=world.fred, session=session, enrollment=world.good, mark=P),
    )

    assert isinstance(alice, Attendance), alice
    assert isinstance(fred, Attendance), fred
    assert alice.pk == fred.pk
    assert Attendance.objects.filter(session=session).count() == 1
    assert Session.objects.get(pk=session.pk).marks_total == 1


def test_two_facilitators_saving_session_notes_at_once_lose_nothing(frozen_clock) -> None:
    world = build_world(TODAY)
    session = world.todays_session_a

    alice, fred = _race(
        lambda: update_session(
            actor=world.alice,  # type: ignore[arg-type]
            session=session,
            notes="Alice: the group talked about repair.",
            status=SessionStatus.HELD,
            expected_revision=session.revision,
        ),
        lambda: update_session(
            actor=world.fred,  # type: ignore[arg-type]
            session=session,
            notes="Fred: two men arrived late.",
            status=SessionStatus.HELD,
            expected_revision=session.revision,
        ),
    )

    assert isinstance(alice, Session)
    assert isinstance(fred, EditConflict), fred
    assert "Someone else saved this session" in str(fred)
    stored = Session.objects.get(pk=session.pk)
    assert stored.notes == "Alice: the group talked about repair."
    assert stored.revision == session.revision + 1
