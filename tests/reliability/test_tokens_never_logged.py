"""No participant token reaches the server's log, and the log names the real client (M1, M5).

A real ``alliance serve`` (gunicorn, its access log on stdout, Django's loggers on stderr) runs
behind a stand-in reverse proxy: every request comes from 127.0.0.1, which is in
TRUSTED_PROXIES, with ``X-Forwarded-For`` and ``X-Forwarded-Proto: https``, and HTTPS is
required (``SECURE_SSL_REDIRECT``). A man opens his phone link and writes in it, the group-room
tablet opens the kiosk, a wrong PIN is typed, a form is posted without its CSRF cookie, and
dead or unknown tokens are tried (404, 410). Then the captured output is scanned.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from alliance.measures.administration.tokens import (
    create_participant_link,
    issue_kiosk_pin,
    open_kiosk,
)
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.practice.tokens import create_practice_link
from tests.factories import TIME_ZONE, World, build_world
from tests.reliability.conftest import source_db
from tests.reliability.server import Server

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = "198.51.100.7"


@pytest.fixture
def live_world() -> World:
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(TIME_ZONE)).date()
    return build_world(today)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "server.log"


@pytest.fixture
def server(tmp_path: Path, log: Path) -> Iterator[Server]:
    running = Server(
        source_db(),
        tmp_path / "static",
        log_file=log,
        env={
            "LOG_LEVEL": "WARNING",  # the default, at which django.request logs every 4xx
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "SECURE_SSL_REDIRECT": "true",
        },
    )
    running.start()
    try:
        yield running
    finally:
        running.crash()


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} field in the page"
    return found.group(1)


def test_links_kiosks_wrong_pins_and_dead_tokens_leave_no_token_in_the_log(
    live_world: World, server: Server, log: Path, settings
) -> None:
    world = live_world
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    _, phone = create_practice_link(actor=world.alice, enrollment=world.good, now=timezone.now())  # type: ignore[arg-type]
    _, kiosk = open_kiosk(actor=world.alice, session=world.todays_session_a)  # type: ignore[arg-type]
    pin = issue_kiosk_pin(actor=world.alice, enrollment=world.good)  # type: ignore[arg-type]
    _, expired = create_participant_link(
        actor=world.alice,  # type: ignore[arg-type]
        enrollment=world.at_limit,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
        now=timezone.now() - dt.timedelta(days=4),
    )
    _, replaced = create_practice_link(
        actor=world.alice, enrollment=world.breach, now=timezone.now()
    )  # type: ignore[arg-type]
    create_practice_link(actor=world.alice, enrollment=world.breach, now=timezone.now())  # type: ignore[arg-type]
    unknown = "x" * 43
    tokens = [phone, kiosk, expired, replaced, unknown]

    browser = requests.Session()
    browser.headers.update({"X-Forwarded-For": f"6.6.6.6, {CLIENT}", "X-Forwarded-Proto": "https"})
    # The peer is a trusted proxy: its X-Forwarded-Proto counts, so no redirect to https.
    home = f"{server.url}/p/{phone}/"
    assert browser.get(home, timeout=30).status_code == 200
    account = browser.get(home + "account/", timeout=30)
    assert account.status_code == 200
    # A post from the page carries the page's URL, with the token, as its referrer.
    secure_home = home.replace("http://", "https://")
    wrote = browser.post(
        home + "account/",
        {"csrfmiddlewaretoken": hidden(account.text, "csrfmiddlewaretoken")},
        headers={"Referer": secure_home + "account/"},
        timeout=30,
        allow_redirects=False,
    )
    assert wrote.status_code in (200, 302, 400)

    roster = f"{server.url}/kiosk/{kiosk}/"
    assert browser.get(roster, timeout=30).status_code == 200
    pin_url = f"{roster}man/{world.good.pk}/"
    pin_page = browser.get(pin_url, timeout=30)
    wrong = f"{(int(pin) + 1) % 10000:04d}"
    refused = browser.post(
        pin_url,
        {"csrfmiddlewaretoken": hidden(pin_page.text, "csrfmiddlewaretoken"), "pin": wrong},
        headers={"Referer": pin_url.replace("http://", "https://")},
        timeout=30,
    )
    assert refused.status_code == 400
    no_csrf = requests.post(
        pin_url,
        {"pin": wrong},
        headers={"X-Forwarded-For": CLIENT, "X-Forwarded-Proto": "https"},
        timeout=30,
    )
    assert no_csrf.status_code == 403
    assert browser.get(f"{server.url}/r/{expired}/", timeout=30).status_code == 410
    assert browser.get(f"{server.url}/p/{replaced}/", timeout=30).status_code == 410
    assert browser.get(f"{server.url}/r/{unknown}/", timeout=30).status_code == 404
    assert browser.get(f"{server.url}/kiosk/{unknown}/", timeout=30).status_code == 404
    # Without the proxy's word the request is plain HTTP, and HTTPS is required.
    plain = requests.get(home, headers={"X-Forwarded-For": CLIENT}, allow_redirects=False)
    assert plain.status_code == 301

    time.sleep(1)  # let the workers write their last lines
    server.crash()
    written = log.read_text(encoding="utf-8", errors="replace")

    for token in tokens:
        assert token not in written
    assert re.search(r'"GET /p/<token>/ HTTP/1\.1" 200', written)
    assert re.search(r'"POST /kiosk/<token>/man/\d+/ HTTP/1\.1" 400', written)
    assert f"https://127.0.0.1:{server.port}/p/<token>/account/" in written  # the referrer
    assert "django.request Bad Request: /kiosk/<token>/man/" in written
    assert "django.request Gone: /r/<token>/" in written
    assert "django.request Not Found: /r/<token>/" in written
    assert re.search(r"django\.security\.csrf Forbidden \(.*\): /kiosk/<token>/man/", written)
    # The access log names the client the proxy vouched for, not the proxy or a forged hop.
    access = [line for line in written.splitlines() if "HTTP/1.1" in line and "/login/" not in line]
    assert access
    assert all(line.startswith(CLIENT + " ") for line in access)
