"""Suite-wide rules.

Under ``CI=true`` a skipped test is a failure: CI installs every component the suite needs,
so a skip there means something is missing, not optional.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator

import pytest

ON_CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()
    if ON_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which is not allowed: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fresh_evaluation_cache() -> Generator[None]:
    """The evaluation caches its analyses per process; a rolled-back test database can
    repeat the ids its fingerprint reads, so every test starts with an empty cache."""
    yield
    cache = sys.modules.get("alliance.outcomes.report_cache")
    if cache is not None:
        cache.clear()
