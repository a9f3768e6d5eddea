"""Under CI=true no skip passes: not a test's, and not a whole module's at collection.

A run once ended "9 passed, 1 skipped" with exit 0 under CI because a module-level
``pytest.importorskip`` skips while the module is collected. Each test here runs pytest inside
pytest (``pytester``) with only the policy of :mod:`tests.ci_policy` loaded.
"""

from __future__ import annotations

import pytest

PASSING = "def test_one():\n    assert True\n"
IMPORTORSKIP = (
    "import pytest\n\n"
    'pytest.importorskip("a_component_that_is_not_installed")\n\n\n'
    "def test_needs_it():\n    assert True\n"
)
MODULE_SKIP = (
    "import pytest\n\n"
    'pytest.skip("no browser here", allow_module_level=True)\n\n\n'
    "def test_needs_it():\n    assert True\n"
)
TEST_SKIP = 'import pytest\n\n\ndef test_needs_it():\n    pytest.skip("no database here")\n'


def run(pytester: pytest.Pytester, module: str) -> pytest.RunResult:
    pytester.makepyfile(test_plain=PASSING, test_optional=module)
    return pytester.runpytest_inprocess(
        "-p", "tests.ci_policy", "-p", "no:django", "-p", "no:xdist", "-p", "no:cacheprovider"
    )


@pytest.mark.parametrize("module", [IMPORTORSKIP, MODULE_SKIP], ids=["importorskip", "skip"])
def test_a_module_level_skip_fails_the_run_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.setenv("CI", "true")

    result = run(pytester, module)

    assert result.ret != pytest.ExitCode.OK
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*Skipped under CI=true, which is not allowed (test_optional.py)*"]
    )


@pytest.mark.parametrize("module", [IMPORTORSKIP, MODULE_SKIP], ids=["importorskip", "skip"])
def test_a_module_level_skip_only_skips_outside_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.delenv("CI", raising=False)

    result = run(pytester, module)

    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=1)


def test_a_skip_inside_a_test_fails_it_under_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")

    result = run(pytester, TEST_SKIP)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=1)
