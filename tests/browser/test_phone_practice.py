"""A man opens his practice link on a phone-sized screen, follows a practice with the timer,
and logs it; the log is in the database once.

Built on the real date (like ``test_attendance_flow``): the browser keeps its own clock.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alliance.practice.models import Assignment, Practice, PracticeLog, Via
from alliance.practice.tokens import create_practice_link
from tests.factories import TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_a_man_follows_a_practice_with_the_timer_and_logs_it_once(world, live_server, browser):
    from alliance.practice.services import ensure_builtin_library

    ensure_builtin_library()  # a transactional test starts from empty tables
    practice = Practice.objects.get(slug="steady-breath", organization=None)
    assignment = Assignment.objects.create(
        practice=practice, group=world.group_a, due_on=world.today + dt.timedelta(days=2)
    )
    _, token = create_practice_link(actor=world.alice, enrollment=world.good, now=timezone.now())

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{token}/")
    assert page.get_by_role("heading", name="Your practice").is_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name=practice.title).click()
    page.wait_for_url(f"{live_server.url}/p/{token}/do/{assignment.pk}/")
    assert page.get_by_role("heading", name=practice.title).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    timer = page.locator("#timer")
    timer.tap()
    assert timer.get_attribute("aria-pressed") == "true"
    # Polled from Python: the page's Content-Security-Policy forbids Playwright's string eval.
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^{practice.minutes - 1}:5"))
    timer.tap()  # he stops after a few seconds
    assert page.locator("#clock").inner_text() == "Stopped."
    assert page.locator("#minutes").input_value() == "1"

    # The 0-10 chips, tapped as he would (the label holds the radio button).
    page.locator("label.chip:has(input[name=calm_before][value='3'])").tap()
    page.locator("label.chip:has(input[name=calm_after][value='7'])").tap()
    page.get_by_label("Note (optional)").fill("Easier the second time.")
    page.get_by_role("button", name="Save").tap()
    page.get_by_role("heading", name="Saved. Thank you.").wait_for()

    log = PracticeLog.objects.get()  # exactly one
    assert log.enrollment == world.good
    assert log.assignment == assignment
    assert log.done is True
    assert log.minutes == 1
    assert (log.calm_before, log.calm_after) == (3, 7)
    assert log.via == Via.LINK

    # Back on his list, the practice shows as done once.
    page.get_by_role("link", name="Back to your practice").tap()
    assert "done once" in page.locator("main").inner_text()
    assert PracticeLog.objects.count() == 1
    context.close()
