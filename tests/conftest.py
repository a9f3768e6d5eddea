"""Suite-wide rules.

Under ``CI=true`` any skip (a test, or a whole module at collection) is a failure: CI installs
every component the suite needs, so a skip there means something is missing, not optional.
The hooks live in :mod:`tests.ci_policy`, where a pytester test can load them on their own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Generator

import pytest
from django.conf import settings as _settings
from django.core.exceptions import ImproperlyConfigured
from django.test.utils import override_settings

from alliance.ops.log_privacy import mask_tokens
from tests.ci_policy import (  # noqa: F401 (hooks: pytest finds them in this module)
    pytest_make_collect_report,
    pytest_runtest_makereport,
)
from tests.ci_policy import pytest_sessionfinish as _refuse_skips_on_ci

# The suite's partner-safety key (alliance/encryption.py): a fixed test-only key, so that
# `make test` and CI need no set-up. Set in the environment for the `alliance` subprocesses,
# and in the settings, which pytest-django may have loaded before this file.
TEST_PARTNER_KEY = "rUzQzkNHJs_or9iDswPB98llCPe20XKgBgBX6Rm2L0I="
os.environ.setdefault("ALLIANCE_PARTNER_KEY", TEST_PARTNER_KEY)
try:
    if not getattr(_settings, "ALLIANCE_PARTNER_KEY", ""):
        _settings.ALLIANCE_PARTNER_KEY = os.environ["ALLIANCE_PARTNER_KEY"]
except ImproperlyConfigured:  # settings not chosen yet: they will read the environment
    pass

# Background tasks run inside the request that enqueues them (django-tasks' ImmediateBackend),
# so a test sees their result at once; tests/tasks/test_worker.py runs the database backend's
# worker for real. Set for the `alliance` subprocesses and for settings already loaded.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
os.environ.setdefault("ALLIANCE_TASKS_BACKEND", "immediate")
try:
    if _settings.TASKS != IMMEDIATE_TASKS:
        override_settings(TASKS=IMMEDIATE_TASKS, TASKS_BACKEND="immediate").enable()
except ImproperlyConfigured:
    pass


# --- No personal data in logs ---------------------------------------------------------------
# One handler on the root logger captures every record emitted during the session (django.request,
# gunicorn-style loggers and the application's own all propagate to it). After each test, a
# record that carries a participant code of the test world, a participant token (an unmasked
# /r/, /kiosk/ or /p/ path), or a free-text sentinel that tests put into clinical fields, fails
# that test. Under xdist each worker has its own handler.

#: Codes of the test world (tests/factories.py) and of tests that add men.
PARTICIPANT_CODE = re.compile(r"\b(?:RIV|SOU|EXT)-\d+", re.IGNORECASE)
#: Put these into notes and other free text; they must never reach a log line.
CLINICAL_SENTINEL = "CLINICAL-SENTINEL-a7c3"
PARTNER_SENTINEL = "PARTNER-SENTINEL-5e19"
#: A man's identity (alliance.identity) in sentinel strings: the first name may reach a
#: facilitator (with the last initial, "Identsentina I."); the rest reaches only the roles
#: that see identity, his own export and court or probation documents. None reaches a log.
IDENTITY_FIRST_NAME = "Identsentina"
IDENTITY_LAST_NAME = "IDLAST-SENTINEL-9b2e"
IDENTITY_DOCKET = "DOCKET-SENTINEL-31f0"
IDENTITY_ADDRESS = "ADDRESS-SENTINEL-7d4a"
IDENTITY_ALIAS = "ALIAS-SENTINEL-c58d"
IDENTITY_OFFICER = "OFFICER-SENTINEL-e2a9"
IDENTITY_EMAIL = "identity-sentinel-5f3b@example.org"
#: Everything but the first name: what a facilitator (at the default setting) never sees.
IDENTITY_HIDDEN = (
    IDENTITY_LAST_NAME,
    IDENTITY_DOCKET,
    IDENTITY_ADDRESS,
    IDENTITY_ALIAS,
    IDENTITY_OFFICER,
    IDENTITY_EMAIL,
)
IDENTITY_SENTINELS = (IDENTITY_FIRST_NAME, *IDENTITY_HIDDEN)
LOG_SENTINELS = (CLINICAL_SENTINEL, PARTNER_SENTINEL, *IDENTITY_SENTINELS)


class _RecordEverything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_LOG_CAPTURE = _RecordEverything()
_LOG_FORMAT = logging.Formatter("%(name)s %(levelname)s %(message)s")


def _personal_data_in(record: logging.LogRecord) -> str | None:
    try:
        line = _LOG_FORMAT.format(record)
    except Exception as exc:  # a broken record is a bug too, but not this check's business
        line = f"{record.msg!r} {exc}"
    match = PARTICIPANT_CODE.search(line)
    if match:
        return f"participant code {match.group(0)!r}"
    if mask_tokens(line) != line:
        return "a participant token (a /r/, /kiosk/ or /p/ path not masked)"
    for sentinel in LOG_SENTINELS:
        if sentinel in line:
            return f"free-text sentinel {sentinel!r}"
    return None


_CAPTURED_LOGGERS = ("django", "django.request", "django.security", "gunicorn.error")


def _capture_logs() -> None:
    root = logging.getLogger()
    if _LOG_CAPTURE not in root.handlers:  # Django's dictConfig may have replaced the handlers
        root.addHandler(_LOG_CAPTURE)
    # A test that configures logging again (settings reloaded) resets propagation too.
    for name in _CAPTURED_LOGGERS:
        logging.getLogger(name).propagate = True


def pytest_sessionstart(session: pytest.Session) -> None:
    _capture_logs()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_LOG_CAPTURE)
    _refuse_skips_on_ci(session, exitstatus)


@pytest.fixture(autouse=True)
def _texts_stay_in_memory(settings) -> Generator[None]:
    """Every test sends texts to the in-memory backend (alliance.sms.backends.locmem), as
    pytest-django does for e-mail."""
    from alliance.sms.backends import locmem

    settings.SMS_BACKEND = "locmem"
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture(autouse=True)
def no_personal_data_in_logs() -> Generator[None]:
    """Fail the test if anything it caused to be logged names a man or quotes clinical text."""
    _capture_logs()
    _LOG_CAPTURE.records.clear()
    yield
    leaks = []
    for record in _LOG_CAPTURE.records:
        found = _personal_data_in(record)
        if found:
            leaks.append(f"{record.name} {record.levelname}: {found}")
    _LOG_CAPTURE.records.clear()
    if leaks:
        pytest.fail("Personal data reached the log:\n" + "\n".join(leaks), pytrace=False)


@pytest.fixture(autouse=True)
def _fresh_shared_cache() -> Generator[None]:
    """The shared cache (the database cache in the tests) is rolled back with each test's
    transaction; a test that commits (transactional tests, the worker's) must not leave
    entries that a later test with repeated ids would read."""
    yield
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # no database in this test: nothing was cached
        cache.clear()
