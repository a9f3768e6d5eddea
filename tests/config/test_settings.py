"""The settings module: SQLite pragmas, PostgreSQL switch, refusal of unknown engines."""

from __future__ import annotations

import subprocess
import sys

from django.db import connection


def settings_in_subprocess(env: dict[str, str], expr: str) -> subprocess.CompletedProcess[str]:
    code = f"import alliance.settings as s; print({expr})"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        check=False,
    )


def test_sqlite_is_the_default_with_wal_foreign_keys_and_a_busy_timeout() -> None:
    result = settings_in_subprocess({}, "s.DATABASES['default']")
    assert "sqlite3" in result.stdout
    assert "journal_mode=WAL" in result.stdout
    assert "foreign_keys=ON" in result.stdout
    assert "'timeout': 20" in result.stdout
    assert "IMMEDIATE" in result.stdout


def test_a_postgres_url_switches_the_engine_without_code_changes() -> None:
    result = settings_in_subprocess(
        {"DATABASE_URL": "postgres://u:p@db.example:5433/alliance"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['PORT']",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql 5433"


def test_an_unsupported_database_is_refused_by_name() -> None:
    result = settings_in_subprocess({"DATABASE_URL": "mysql://u:p@h/db"}, "1")
    assert result.returncode != 0
    assert "DATABASE_URL: unsupported database engine" in result.stderr


def test_a_bad_boolean_stops_start_up_naming_the_variable() -> None:
    result = settings_in_subprocess({"ALLIANCE_DEBUG": "sometimes"}, "1")
    assert result.returncode != 0
    assert "ALLIANCE_DEBUG: expected one of" in result.stderr


def test_the_sqlite_connection_really_has_foreign_keys_and_wal(db: object) -> None:
    if connection.vendor != "sqlite":
        return  # the PostgreSQL run checks the same suite against the other engine
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_e_mail_settings_come_from_the_environment_and_parse_strictly() -> None:
    result = settings_in_subprocess(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "587",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "alliance@example.org",
        },
        "s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL",
    )
    assert result.stdout.strip() == "smtp.example.org 587 True alliance@example.org"
    bad_port = settings_in_subprocess({"EMAIL_PORT": "smtp"}, "1")
    assert bad_port.returncode != 0
    assert "EMAIL_PORT" in bad_port.stderr
    both = settings_in_subprocess({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "1")
    assert both.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in both.stderr


def test_the_console_e_mail_backend_is_the_default() -> None:
    result = settings_in_subprocess({}, "s.EMAIL_BACKEND")
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_the_research_export_threshold_defaults_to_11_and_parses_strictly() -> None:
    assert settings_in_subprocess({}, "s.RESEARCH_EXPORT_MIN_CELL").stdout.strip() == "11"
    five = settings_in_subprocess({"RESEARCH_EXPORT_MIN_CELL": "5"}, "s.RESEARCH_EXPORT_MIN_CELL")
    assert five.stdout.strip() == "5"
    for bad, message in (
        ("eleven", "RESEARCH_EXPORT_MIN_CELL: expected a whole number"),
        ("1", "RESEARCH_EXPORT_MIN_CELL: expected a whole number from 2 to 100, got 1"),
        ("0", "RESEARCH_EXPORT_MIN_CELL: expected a whole number from 2 to 100, got 0"),
        ("101", "RESEARCH_EXPORT_MIN_CELL: expected a whole number from 2 to 100, got 101"),
    ):
        result = settings_in_subprocess({"RESEARCH_EXPORT_MIN_CELL": bad}, "1")
        assert result.returncode != 0
        assert message in result.stderr
