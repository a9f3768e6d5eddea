"""One crawl of the staff pages per role, shared by the phone-width and accessibility tests.

The demo (alliance/demo, a small cohort) is built into the test database; each role signs in
through the real forms (password, then a code from its authenticator), and the crawl follows
links from the landing page: same origin, GET only, no downloads and no sign-out, one page per
URL pattern (``/participants/12/`` and ``/participants/40/`` are one pattern), at most
``CAP`` pages per role (``ALLIANCE_CRAWL_CAP`` to change it). Each page reached is handed to
the test's ``check``; failures are collected, never stop the crawl.

Screenshots go to ``test-artifacts/screens/`` (CI keeps the folder; git ignores it).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tests.browser.conftest import code_for

ROLES = ["facilitator", "supervisor", "manager", "admin", "safety", "intake", "evaluator"]
CAP = int(os.environ.get("ALLIANCE_CRAWL_CAP", "45"))
SCREENS = Path(os.environ.get("ALLIANCE_SCREENS", "test-artifacts/screens"))
TODAY = dt.date.today()

#: Links the crawl never follows: they sign out, download a file, or are a man's own pages
#: (his phone links and the kiosk are tested as phone pages elsewhere).
SKIP = re.compile(
    r"(/logout/|\.csv$|\.pdf$|\.xlsx$|\.json$|/download/|/export|/pdf/|/file/|/r/[^/]+/|"
    r"/kiosk/|/practice/|/api/|/static/|/media/)"
)


def build_demo_cohort() -> None:
    from alliance.demo.loader import build_demo

    build_demo(participants=24, seed=11, today=TODAY, history_weeks=12)


def sign_in(page, base: str, username: str, password: str | None = None) -> str:
    """Signs ``username`` in (the demo's password unless ``password`` is given): password, then
    a code from his authenticator; returns the landing page's URL, wherever his role lands."""
    from django.contrib.auth import get_user_model

    from alliance.demo.loader import DEMO_PASSWORD
    from alliance.organizations.twofactor import base32_secret
    from tests.web.conftest import confirmed_device

    device = confirmed_device(get_user_model().objects.get(username=username))
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/two-factor/.*"))
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        code_for(base32_secret(device))
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    if "/two-factor/" in page.url:
        raise AssertionError(f"{username} could not complete two-factor sign-in")
    return page.url


def pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def crawl(
    page, base: str, start: str, check: Callable[[object, str], None], role: str, cap: int = CAP
) -> list[str]:
    """Visits pages breadth first from ``start``; returns the paths visited."""
    origin = urlsplit(base).netloc
    queue, seen_patterns, visited = [start], set(), []
    started = time.monotonic()
    while queue and len(visited) < cap:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = pattern(parts.path)
        if parts.netloc != origin or key in seen_patterns or SKIP.search(parts.path):
            continue
        seen_patterns.add(key)
        try:
            response = page.goto(url, wait_until="load")
        except Exception:
            continue
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 400:
            check.failures.append(f"{parts.path}: answered {response.status}")  # type: ignore[attr-defined]
            continue
        if urlsplit(page.url).netloc != origin:
            continue
        visited.append(parts.path)
        check(page, parts.path)
        hrefs = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            target = urljoin(page.url, href).split("#", 1)[0].split("?", 1)[0]
            if pattern(urlsplit(target).path) not in seen_patterns:
                queue.append(target)
    print(f"{role}: {len(visited)} pages in {time.monotonic() - started:.1f} s", flush=True)
    return visited


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:120]
    page.screenshot(path=str(SCREENS / f"{safe}.png"), full_page=False)
