"""After an HTMX swap, keyboard focus stays on the control that was used and a message can be
announced (issue 18, D7; alliance/static/alliance/shell.js)."""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_a_keyboard_tap_keeps_focus_on_the_re_rendered_button(world, live_server, browser):
    page = browser.new_page()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    row = page.locator(f"#row-{world.good.pk}")
    row.get_by_role("button", name="Present").focus()
    page.keyboard.press("Enter")
    row.get_by_role("button", name="Present").and_(page.locator("[aria-pressed=true]")).wait_for()
    # Polled from Python: the page's Content-Security-Policy forbids Playwright's string eval.
    for _ in range(100):
        if page.evaluate("document.activeElement !== document.body"):
            break
        page.wait_for_timeout(50)
    focused = page.evaluate(
        "[document.activeElement.textContent.trim(), "
        "document.activeElement.closest('tr') && document.activeElement.closest('tr').id]"
    )
    assert focused == ["Present", f"row-{world.good.pk}"]
    page.close()


def test_a_swap_announces_its_data_announce_message(world, live_server, browser):
    page = browser.new_page()
    log_in(page, live_server, "alice")
    assert page.locator("#live-status[aria-live=polite]").count() == 1
    # A fragment carrying data-announce, swapped in the way HTMX swaps any fragment.
    page.evaluate(
        """() => {
          const box = document.createElement('div');
          box.id = 'probe';
          document.querySelector('main').appendChild(box);
          htmx.swap('#probe', '<p data-announce="RIV-101 marked present">Saved</p>',
                    {swapStyle: 'innerHTML'});
        }"""
    )
    # Polled from Python: the page's Content-Security-Policy forbids Playwright's string eval.
    expect(page.locator("#live-status")).to_have_text("RIV-101 marked present")
    page.close()
