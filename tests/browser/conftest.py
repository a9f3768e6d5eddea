"""Browser tests drive Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import base64
import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, monkeypatch) -> None:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made from
    # the test itself would otherwise be refused as "async unsafe".
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Serve static files from the source tree through whitenoise's finders, without the
    # manifest that `collectstatic` writes.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def code_for(secret_base32: str) -> str:
    """What an authenticator app shows now for this key (computed as the app would)."""
    from django_otp.oath import totp

    return f"{totp(base64.b32decode(secret_base32)):06d}"


def log_in(page, live_server, username: str) -> None:
    """Sign in through the real forms: password, then a code from his authenticator."""
    from django.contrib.auth import get_user_model

    from alliance.organizations.twofactor import base32_secret
    from tests.factories import PASSWORD
    from tests.web.conftest import confirmed_device

    device = confirmed_device(get_user_model().objects.get(username=username))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/two-factor/?next=%2F")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        code_for(base32_secret(device))
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
