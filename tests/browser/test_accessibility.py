"""axe-core finds no WCAG 2.1 A/AA violation on any staff page a role reaches (issue 18).

The same crawl as the phone-width test (tests/browser/staff_crawl.py), on a desktop screen;
axe-core comes bundled in the ``axe-playwright-python`` package (no download at run time).
The failure lists each page, rule and the first offending elements.
"""

from __future__ import annotations

import pytest

from tests.browser.staff_crawl import ROLES, build_demo_cohort, crawl, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class AxeCheck:
    def __init__(self, role: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.role = role
        self.failures: list[str] = []

    def __call__(self, page, path: str) -> None:
        results = self.axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]},
        )
        violations = results.response.get("violations", [])
        for violation in violations:
            targets = [", ".join(node.get("target", [])) for node in violation["nodes"][:3]]
            self.failures.append(
                f"{path}: {violation['id']} ({violation['impact']}) x{len(violation['nodes'])}: "
                f"{violation['help']} — {'; '.join(targets)}"
            )
        if violations:
            screenshot(page, f"axe-{self.role}-{path}")


@pytest.fixture
def demo_cohort(transactional_db) -> None:
    build_demo_cohort()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_has_no_wcag_violation(
    browser, live_server, demo_cohort, role
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        start = sign_in(page, live_server.url, role)
        screenshot(page, f"desktop-landing-{role}")
        check = AxeCheck(role)
        visited = crawl(page, live_server.url, start, check, role)
    finally:
        context.close()
    assert len(visited) >= 2, f"{role} reached only {visited}"
    assert not check.failures, f"{role}: axe found:\n" + "\n".join(check.failures)
