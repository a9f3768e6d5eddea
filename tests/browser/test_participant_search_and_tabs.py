"""Search as you type (issue 18, D16) and his page in tabs at phone width (D4), in Chromium.

A supervisor types part of a code: the results narrow without a page load, the address
follows (so Back and a link work), and opening a man then pressing Back returns to the
results. Every participant page the team owns fits a 390-px phone without sideways
scrolling."""

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

PHONE = {"width": 390, "height": 844}
#: The elements sticking out past the right edge, for the failure message.
WIDEST = """[...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > 392)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.outerHTML.slice(0, 80))"""
TABS = ["overview", "attendance", "measures", "practice", "accountability", "documents", "history"]


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_results_narrow_as_she_types_and_back_returns_to_them(world, live_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/participants/")
    assert page.locator("#results a.code").count() >= 4
    loads = []
    page.on("load", lambda _: loads.append(1))

    page.get_by_label("Code, initials or name").press_sequentially("103", delay=60)
    expect(page.locator("#results a.code")).to_have_count(1)
    assert page.locator("#results a.code").inner_text() == "RIV-103"
    assert loads == []  # no page load: the results were swapped in
    assert "/participants/search/?q=103" in page.url

    page.locator("#results a.code").click()
    page.wait_for_url(f"**/participants/{world.breach.participant_id}/")
    page.go_back()
    page.wait_for_url("**/participants/search/?q=103*")
    expect(page.locator("#results a.code")).to_have_count(1)
    assert page.locator("#results a.code").all_inner_texts() == ["RIV-103"]
    assert page.get_by_label("Code, initials or name").input_value() == "103"


def test_his_page_history_and_the_search_fit_a_phone(world, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    log_in(page, live_server, "bob")
    man = world.breach.participant_id
    paths = [f"/participants/{man}/?tab={tab}" for tab in TABS]
    paths += [f"/participants/{man}/history/", "/participants/search/?q=riv", "/audit/"]
    wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = (width, page.evaluate(WIDEST))
    assert wide == {}
