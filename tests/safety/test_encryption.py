"""Partner fields are encrypted at rest, and the key is required, checked and rotatable."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alliance import encryption as crypto
from alliance.safety.models import (
    BreakGlassAccess,
    PartnerNotification,
    PartnerRecord,
    PartnerRelease,
    SafetyConcern,
)
from alliance.safety.services import log_contact, open_break_glass
from tests.safety.conftest import SENTINEL

SAFETY_MODELS = (
    PartnerRecord,
    PartnerRecord.history.model,
    PartnerRelease,
    PartnerNotification,
    SafetyConcern,
    SafetyConcern.history.model,
    BreakGlassAccess,
)
SAFETY_TABLES = [m._meta.db_table for m in SAFETY_MODELS]


def raw_rows(table: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return list(cursor.fetchall())


def test_raw_database_rows_hold_no_plaintext(world, partners) -> None:
    log_contact(
        actor=world.petra,
        record=partners.current,
        contacted_on=world.today,
        method="phone",
        message=f"{SENTINEL}-CONTACT-MESSAGE",
        today=world.today,
    )
    open_break_glass(
        actor=world.olga,
        record=partners.current,
        reason=f"{SENTINEL}-BREAK-GLASS-REASON court order received today",
        now=timezone.now(),
    )
    dump = repr([raw_rows(t) for t in SAFETY_TABLES])
    assert "gAAAAA" in dump  # Fernet tokens are there...
    assert SENTINEL not in dump  # ...and no plaintext
    with connection.cursor() as cursor:
        cursor.execute("SELECT level FROM safety_safetyconcern")
        assert cursor.fetchone()[0].startswith("gAAAAA")  # the concern's level is sealed too
    # Read through the model, the values come back intact.
    record = PartnerRecord.objects.get(pk=partners.current.pk)
    assert record.name == f"{SENTINEL}-CUR-NAME"
    assert record.cautions == f"{SENTINEL}-CUR-CAUTIONS"
    assert SafetyConcern.objects.get().narrative == f"{SENTINEL}-CONCERN-NARRATIVE"


def test_raw_sqlite_file_pages_hold_no_plaintext(world, partners) -> None:
    # The same check on the bytes of the database file, where the engine keeps one.
    if connection.vendor != "sqlite" or connection.settings_dict["NAME"].startswith(
        ("file:", ":memory:")
    ):
        rows = repr([raw_rows(t) for t in SAFETY_TABLES])
        assert SENTINEL not in rows
        return
    data = Path(connection.settings_dict["NAME"]).read_bytes()
    assert SENTINEL.encode() not in data


def test_it_refuses_a_missing_key_naming_the_variable() -> None:
    with pytest.raises(crypto.PartnerKeyError, match="ALLIANCE_PARTNER_KEY"):
        crypto.parse_keys("")


# A fixed truncated key: a random one would name the test differently on each xdist worker.
TRUNCATED_KEY = "dGeWYuFr0HBbdxasv7QidbhCRgDxEPXb364sWKOL"  # 44-character key, last 4 cut


@pytest.mark.parametrize("bad", ["not-a-key", "abc,def", TRUNCATED_KEY])
def test_it_refuses_a_malformed_key_naming_the_variable(bad: str) -> None:
    with pytest.raises(crypto.PartnerKeyError, match=r"ALLIANCE_PARTNER_KEY: key 1 is not"):
        crypto.parse_keys(bad)


def test_reading_a_record_without_the_key_stops_with_the_variable_name(
    world, partners, settings
) -> None:
    settings.ALLIANCE_PARTNER_KEY = ""
    with pytest.raises(crypto.PartnerKeyError, match="ALLIANCE_PARTNER_KEY"):
        PartnerRecord.objects.get(pk=partners.current.pk)


def test_a_replaced_key_does_not_open_old_records(world, partners, settings) -> None:
    settings.ALLIANCE_PARTNER_KEY = crypto.new_key()
    with pytest.raises(crypto.PartnerKeyError, match="replaced instead of rotated"):
        PartnerRecord.objects.get(pk=partners.current.pk)


def test_rotation_re_encrypts_under_the_new_key(world, partners, settings) -> None:
    old = settings.ALLIANCE_PARTNER_KEY
    new = crypto.new_key()
    settings.ALLIANCE_PARTNER_KEY = f"{new},{old}"
    call_command("rotate_partner_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ALLIANCE_PARTNER_KEY = new  # the old key is gone now
    assert PartnerRecord.objects.get(pk=partners.current.pk).name == f"{SENTINEL}-CUR-NAME"
    assert SafetyConcern.objects.get().level == "high"
    versions = PartnerRecord.history.filter(id=partners.current.pk)
    assert [v.name for v in versions] == [f"{SENTINEL}-CUR-NAME"]  # history re-encrypted too


def test_rotation_covers_every_encrypted_column_including_authenticator_secrets() -> None:
    from alliance.ops.management.commands.rotate_partner_key import encrypted_columns
    from alliance.organizations.models import Authenticator

    covered = {model for model, _columns in encrypted_columns()}
    assert {*SAFETY_MODELS, Authenticator} - {PartnerRelease} <= covered


def python_with(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_PARTNER_KEY")}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_wsgi_application_does_not_start_without_a_key() -> None:
    result = python_with({}, "import alliance.wsgi")
    assert result.returncode != 0
    assert "ALLIANCE_PARTNER_KEY is not set" in result.stderr


def test_the_wsgi_application_does_not_start_with_a_malformed_key() -> None:
    result = python_with({"ALLIANCE_PARTNER_KEY": "secret"}, "import alliance.wsgi")
    assert result.returncode != 0
    assert "ALLIANCE_PARTNER_KEY: key 1 is not a Fernet key" in result.stderr


def test_the_wsgi_application_starts_with_a_key_file(tmp_path: Path) -> None:
    key_file = crypto.ensure_key_file(tmp_path / "partner.key")
    result = python_with({"ALLIANCE_PARTNER_KEY_FILE": str(key_file)}, "import alliance.wsgi")
    assert result.returncode == 0, result.stderr


def test_alliance_serve_stops_before_doing_anything_without_a_key(tmp_path: Path) -> None:
    db = tmp_path / "serve.sqlite3"
    result = python_with(
        {"DATABASE_URL": f"sqlite:///{db}"},
        "import sys; from alliance.cli import main; sys.exit(main(['serve']))",
    )
    assert result.returncode == 2
    assert "alliance serve: ALLIANCE_PARTNER_KEY is not set" in result.stderr
    assert not db.exists()  # stopped before migrating


def test_the_demo_makes_an_owner_only_key_file_next_to_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alliance import cli

    monkeypatch.delenv("ALLIANCE_PARTNER_KEY", raising=False)
    # setenv first, so that monkeypatch remembers the variable was unset and removes what
    # _demo_partner_key writes: a leftover would reach every later subprocess on this worker.
    monkeypatch.setenv("ALLIANCE_PARTNER_KEY_FILE", "")
    monkeypatch.delenv("ALLIANCE_PARTNER_KEY_FILE")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    cli._demo_partner_key()
    key_file = tmp_path / "demo.sqlite3.partner-key"
    assert os.environ["ALLIANCE_PARTNER_KEY_FILE"] == str(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    crypto.parse_keys(key_file.read_text())  # a valid key
    first = key_file.read_text()
    monkeypatch.delenv("ALLIANCE_PARTNER_KEY_FILE")
    cli._demo_partner_key()  # a second demo keeps the same key (its records stay readable)
    assert key_file.read_text() == first


def test_the_demo_uses_a_configured_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alliance import cli

    monkeypatch.setenv("ALLIANCE_PARTNER_KEY", crypto.new_key())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    cli._demo_partner_key()
    assert not (tmp_path / "demo.sqlite3.partner-key").exists()


def test_rotation_without_a_key_stops_naming_the_variable(db, settings) -> None:
    from django.core.management.base import CommandError

    settings.ALLIANCE_PARTNER_KEY = ""
    with pytest.raises(CommandError, match="ALLIANCE_PARTNER_KEY is not set"):
        call_command("rotate_partner_key")


def test_alliance_partner_key_prints_a_new_usable_key(capsys: pytest.CaptureFixture[str]) -> None:
    from alliance.cli import main

    assert main(["partner-key"]) == 0
    key = capsys.readouterr().out.strip()
    crypto.parse_keys(key)
    assert main(["partner-key"]) == 0
    assert capsys.readouterr().out.strip() != key
