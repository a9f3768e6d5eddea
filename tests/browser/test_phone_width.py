"""No staff page scrolls sideways on a phone (issue 18, D4; WCAG 1.4.10 reflow).

Each staff role signs in on a 390x844 screen and every page it reaches by following links
(tests/browser/staff_crawl.py) must be no wider than the screen:
``document.documentElement.scrollWidth <= 390``. The failure lists every page too wide, with
its width; a screenshot of each is saved to test-artifacts/screens/.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the browser fixture's settings)
from tests.browser.staff_crawl import ROLES, build_demo_cohort, crawl, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

WIDTH, HEIGHT = 390, 844
#: The element reaching furthest right: where to look first.
WIDEST = """() => {
  let worst = null, right = 0;
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 1 && r.width > 0) { right = r.right; worst = el; }
  }
  if (!worst) { return ''; }
  const cls = worst.className ? '.' + String(worst.className).split(' ')[0] : '';
  return worst.tagName.toLowerCase() + cls;
}"""


class WidthCheck:
    def __init__(self, role: str) -> None:
        self.role = role
        self.failures: list[str] = []

    def __call__(self, page, path: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            widest = page.evaluate(WIDEST)
            self.failures.append(f"{path}: {width} px wide (widest: {widest})")
            screenshot(page, f"phone-too-wide-{self.role}-{path}")


@pytest.fixture
def demo_cohort(transactional_db) -> None:
    build_demo_cohort()


@pytest.mark.parametrize("role", ROLES)
def test_no_staff_page_scrolls_sideways_at_390_px(browser, live_server, demo_cohort, role) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        start = sign_in(page, live_server.url, role)
        screenshot(page, f"phone-landing-{role}")
        check = WidthCheck(role)
        visited = crawl(page, live_server.url, start, check, role)
    finally:
        context.close()
    assert len(visited) >= 2, f"{role} reached only {visited}"
    assert not check.failures, f"{role}: pages wider than {WIDTH} px:\n" + "\n".join(check.failures)
