"""``alliance check --deploy`` is clean under production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "ALLIANCE_DEBUG": "false",
    "ALLIANCE_REQUIRE_SECRET": "true",
    "SECRET_KEY": "v8#Jq2-production-only-0f6c1e9d4b7a2c5e8f1a3d6b9c2e5f8a1d4b7c0e3f6a9",
    "ALLOWED_HOSTS": "alliance.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
}


def deploy_check(overrides: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "ALLIANCE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="alliance.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **overrides,
    )
    return subprocess.run(
        [sys.executable, "-m", "alliance.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    result = deploy_check(PRODUCTION, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    # Only the HSTS preload reminder is silenced, and only while preload is off (settings.py).
    assert "System check identified no issues (1 silenced)" in result.stdout


def test_with_preload_nothing_is_silenced(tmp_path):
    result = deploy_check({**PRODUCTION, "SECURE_HSTS_PRELOAD": "true"}, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_the_check_does_catch_insecure_cookies(tmp_path):
    result = deploy_check({**PRODUCTION, "SECURE_COOKIES": "false"}, tmp_path)

    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
