"""The `alliance` command: demo build, createadmin, Django passthrough.

Each test runs the real console entry point in a subprocess against its own SQLite file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

STATUSES = "SELECT status, count(*) FROM participants_enrollment GROUP BY status ORDER BY status"


def alliance(
    db: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", **(extra_env or {})}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from alliance.cli import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def rows(db: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(query).fetchall()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    result = alliance(db, "demo", "--no-serve", "--participants", "60", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return db


def test_the_demo_prints_a_login_for_every_role(demo_db: Path) -> None:
    logins = rows(demo_db, "SELECT role FROM organizations_membership")
    assert {r for (r,) in logins} == {
        "org_admin",
        "program_manager",
        "supervisor",
        "facilitator",
        "partner_safety",
        "intake",
        "evaluator",
    }


def test_the_demo_has_men_at_every_stage_and_attendance(demo_db: Path) -> None:
    statuses = dict(rows(demo_db, STATUSES))
    assert {"active", "dropped_out", "intake"} <= set(statuses)
    assert sum(statuses.values()) == 60
    assert rows(demo_db, "SELECT count(*) FROM programs_attendance")[0][0] > 100
    assert rows(demo_db, "SELECT count(*) FROM programs_group")[0][0] == 8
    assert rows(demo_db, "SELECT count(*) FROM programs_program")[0][0] == 3


def test_the_same_seed_builds_the_same_demo(demo_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    result = alliance(again, "demo", "--no-serve", "--participants", "60", "--seed", "7")
    assert result.returncode == 0, result.stderr
    marks = "SELECT enrollment_id, session_id, mark, minutes_late FROM programs_attendance"
    marks += " ORDER BY 1, 2"
    assert rows(again, marks) == rows(demo_db, marks)
    assert rows(again, STATUSES) == rows(demo_db, STATUSES)


def test_rebuilding_the_demo_replaces_it(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    result = alliance(copy, "demo", "--no-serve", "--participants", "30", "--seed", "1")
    assert result.returncode == 0, result.stderr
    assert rows(copy, "SELECT count(*) FROM participants_participant")[0][0] == 30


def test_the_demo_refuses_to_overwrite_a_real_organization(tmp_path: Path) -> None:
    db = tmp_path / "real.sqlite3"
    created = alliance(
        db,
        "createadmin",
        "--username",
        "root",
        "--organization",
        "Real Program",
        extra_env={"ALLIANCE_ADMIN_PASSWORD": "a-long-enough-secret"},
    )
    assert created.returncode == 0, created.stderr
    result = alliance(db, "demo", "--no-serve", "--participants", "30")
    assert result.returncode != 0
    assert "holds organizations other than the demo" in result.stderr
    assert rows(db, "SELECT slug FROM organizations_organization") == [("real-program",)]


def test_too_few_demo_participants_is_refused_naming_the_option(tmp_path: Path) -> None:
    result = alliance(tmp_path / "x.sqlite3", "demo", "--no-serve", "--participants", "5")
    assert result.returncode == 2
    assert "--participants must be at least 20" in result.stderr


def test_django_commands_pass_through(tmp_path: Path) -> None:
    result = alliance(tmp_path / "x.sqlite3", "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_demo_database_and_its_side_files_are_owner_only(demo_db: Path) -> None:
    import stat

    files = [demo_db, *(demo_db.with_name(demo_db.name + s) for s in ("-wal", "-shm"))]
    modes = {f.name: stat.S_IMODE(os.stat(f).st_mode) for f in files if f.exists()}
    assert modes[demo_db.name] == 0o600
    assert set(modes.values()) == {0o600}


def test_totp_code_prints_the_current_code_of_a_demo_login(demo_db: Path) -> None:
    from cryptography.fernet import Fernet
    from django_otp.oath import TOTP

    result = alliance(demo_db, "totp-code", "facilitator")
    assert result.returncode == 0, result.stderr
    (sealed,) = rows(
        demo_db,
        "SELECT d.key FROM organizations_authenticator d JOIN auth_user u ON u.id = d.user_id"
        " WHERE u.username = 'facilitator' AND d.confirmed",
    )[0]
    # The column holds a Fernet token under the at-rest key, never the hex seed.
    key = Fernet(os.environ["ALLIANCE_PARTNER_KEY"]).decrypt(str(sealed)).decode()
    assert str(sealed).startswith("gAAAAA")
    assert key not in str(sealed)
    assert rows(demo_db, "SELECT count(*) FROM otp_totp_totpdevice") == [(0,)]
    totp = TOTP(bytes.fromhex(key))
    assert totp.verify(int(result.stdout.strip()), tolerance=1)


def test_totp_code_is_refused_outside_a_demo_database(tmp_path: Path) -> None:
    db = tmp_path / "real.sqlite3"
    made = alliance(
        db,
        "createadmin",
        "--username",
        "root",
        "--organization",
        "Real Agency",
        extra_env={"ALLIANCE_ADMIN_PASSWORD": "a long enough password"},
    )
    assert made.returncode == 0, made.stderr
    assert "Two-factor sign-in is required" in made.stdout
    assert "recovery codes" in made.stdout

    refused = alliance(db, "totp-code", "root")

    assert refused.returncode != 0
    assert "only on the demo database" in refused.stderr


def test_the_demo_prints_each_logins_authenticator_key_and_recovery_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import datetime as dt

    from alliance.demo.loader import DemoSummary, print_logins

    summary = DemoSummary(
        logins=[("facilitator", "Facilitator", "alliance-demo")],
        participants=1,
        enrollments_by_status={},
        sessions=0,
        attendance=0,
        today=dt.date(2026, 1, 5),
        second_factor={"facilitator": ("JBSWY3DPEHPK3PXP", ["abcde-fgh", "ijklm-nop"])},
    )
    print_logins(summary)
    out = capsys.readouterr().out
    assert "alliance totp-code USERNAME" in out
    assert "facilitator    key: JBSWY3DPEHPK3PXP  recovery: abcde-fgh ijklm-nop" in out
