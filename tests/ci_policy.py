"""Under ``CI=true`` nothing skips: a skip anywhere fails the run.

CI installs every component the suite needs, so a skip there means something is missing, not
optional (DESIGN.md, "Setup contract"). A run once ended "9 passed, 1 skipped" with exit 0
because a module-level ``pytest.importorskip`` skips at *collection*, which the per-test check
never saw. Three hooks close every path:

- a test skipped in setup, call or teardown (``pytest.skip``, ``skipif``) is reported failed;
- a module skipped while it is collected (``importorskip`` or ``skip(allow_module_level=True)``
  at module level) becomes a collection error;
- and whatever skip still reached the summary (another plugin's report) makes the exit status
  non-zero.

``tests/conftest.py`` installs these hooks; ``tests/test_ci_policy.py`` loads this module into
an inner pytest run with ``-p tests.ci_policy``. CI is read at every hook, not at import.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

REFUSAL = "Skipped under CI=true, which is not allowed"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()
    if on_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"{REFUSAL}: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()
    if on_ci() and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"{REFUSAL} ({collector.nodeid}): {report.longrepr}"


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if on_ci() and skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
