"""Suite-wide rules.

Under ``CI=true`` a skipped test is a failure: CI installs every component the suite needs,
so a skip there means something is missing, not optional.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest
from django.conf import settings as _settings
from django.core.exceptions import ImproperlyConfigured

ON_CI = os.environ.get("CI", "").lower() == "true"

# The suite's partner-safety key (alliance/safety/crypto.py): a fixed test-only key, so that
# `make test` and CI need no set-up. Set in the environment for the `alliance` subprocesses,
# and in the settings, which pytest-django may have loaded before this file.
TEST_PARTNER_KEY = "rUzQzkNHJs_or9iDswPB98llCPe20XKgBgBX6Rm2L0I="
os.environ.setdefault("ALLIANCE_PARTNER_KEY", TEST_PARTNER_KEY)
try:
    if not getattr(_settings, "ALLIANCE_PARTNER_KEY", ""):
        _settings.ALLIANCE_PARTNER_KEY = os.environ["ALLIANCE_PARTNER_KEY"]
except ImproperlyConfigured:  # settings not chosen yet: they will read the environment
    pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which is not allowed: {report.longrepr}"
