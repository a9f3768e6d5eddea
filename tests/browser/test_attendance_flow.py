"""A facilitator takes attendance in a real browser and sees the roster update.

The world is built on the real date (in the program's time zone) rather than a frozen
clock: the browser keeps its own time for cookies, so the server's clock must agree with it.
"""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone

from alliance.core.vocabulary import AttendanceMark
from alliance.programs.models import Attendance
from tests.browser.conftest import log_in
from tests.factories import TIME_ZONE, build_world, mark

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The live server starts before the test points STATIC_ROOT at a temporary directory.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_a_facilitator_takes_attendance_and_sees_the_roster_update(world, live_server, browser):
    page = browser.new_page()
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="Group A").first.click()
    page.wait_for_url(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    assert page.evaluate("typeof htmx") == "object", "htmx did not load from /static/"
    # A full page load would drop this marker; an HTMX swap keeps it.
    page.evaluate("window.__sameDocument = true")

    good = page.locator(f"#row-{world.good.pk}")
    good.get_by_role("button", name="Present").click()
    good.locator("td.current").get_by_text("Present").wait_for()

    at_limit = page.locator(f"#row-{world.at_limit.pk}")
    at_limit.get_by_label("Minutes late").fill("7")
    at_limit.get_by_role("button", name="Late").click()
    at_limit.locator("td.current").get_by_text("Late (7 min)").wait_for()

    assert page.evaluate("window.__sameDocument") is True
    assert good.get_by_role("button", name="Present").get_attribute("aria-pressed") == "true"
    marks = dict(
        Attendance.objects.filter(session=world.todays_session_a).values_list(
            "enrollment__participant__code", "mark"
        )
    )
    assert marks == {"RIV-101": "present", "RIV-102": "late"}
    assert (
        Attendance.objects.get(
            session=world.todays_session_a, enrollment=world.at_limit
        ).minutes_late
        == 7
    )

    page.locator(".crumbs").get_by_role("link", name="Group A").click()
    page.wait_for_url(f"{live_server.url}/groups/{world.group_a.pk}/")
    today_column = page.locator("table.roster tbody tr")
    row_101 = today_column.filter(has_text="RIV-101")
    row_102 = today_column.filter(has_text="RIV-102")
    assert row_101.locator("td.cell").last.inner_text().strip() == "P"
    assert row_102.locator("td.cell").last.inner_text().strip() == "L"
    # The cell says the mark and what the compliance engine counts it as (7 minutes is under
    # the program's late-as-absence limit).
    title = row_102.locator("td.cell").last.locator("span").get_attribute("title")
    assert title == "Late: Attended (late)"
    page.close()


def test_a_refused_tap_shows_its_message_in_the_row(world, live_server, browser):
    page = browser.new_page()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    page.wait_for_function("typeof htmx === 'object'")
    # Fred marks RIV-101 from his own phone after Alice opened the page.
    mark(world.todays_session_a, world.good, AttendanceMark.PRESENT, actor=world.fred)

    row = page.locator(f"#row-{world.good.pk}")
    with page.expect_response(lambda r: "/attendance/" in r.url) as answer:
        row.get_by_role("button", name="Excused").click()
    assert answer.value.status == 409
    page.wait_for_timeout(300)

    assert "Someone else marked him present" in page.locator(f"#row-{world.good.pk}").inner_text()
    page.close()


def test_a_keyboard_tap_keeps_focus_announces_it_and_updates_the_page_below(
    world, live_server, browser
):
    page = browser.new_page()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    page.wait_for_function("typeof htmx === 'object'")
    assert page.locator("#session-status").inner_text() == "Scheduled"
    rating_row = page.locator(f"#rating-{world.good.pk}")
    assert "did not attend" in rating_row.inner_text()

    present = page.locator(f"#mark-{world.good.pk}-present")
    present.focus()
    page.keyboard.press("Enter")
    page.locator("#attendance-live").get_by_text("Marked present: RIV-101").wait_for()

    # Focus stays on the button he pressed (not <body>), in the swapped-in row.
    assert page.evaluate("document.activeElement.id") == f"mark-{world.good.pk}-present"
    assert present.get_attribute("aria-pressed") == "true"
    # The parts below the register changed without a reload.
    assert page.locator("#session-status").inner_text() == "Held"
    assert "did not attend" not in rating_row.inner_text()
    assert page.locator("#id_status").input_value() == "held"
    # The live region is announced politely.
    assert page.locator("p.live").get_attribute("aria-live") == "polite"
    page.close()


def test_mark_everyone_present_then_change_an_exception(world, live_server, browser):
    page = browser.new_page()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    page.wait_for_function("typeof htmx === 'object'")

    page.get_by_role("button", name="Mark everyone present").click()
    page.locator("#attendance-live").get_by_text("Marked present:").wait_for()
    assert "RIV-102" in page.locator("#attendance-live").inner_text()
    assert page.evaluate("document.activeElement.id") == "mark-all-present"

    row = page.locator(f"#row-{world.at_limit.pk}")
    # Late without minutes: the browser asks for them; nothing is sent or changed.
    row.get_by_role("button", name="Late").click()
    assert row.locator("td.current").inner_text().startswith("Present")
    row.get_by_label("Minutes late").fill("12")
    row.get_by_role("button", name="Late").click()
    row.locator("td.current").get_by_text("Late (12 min)").wait_for()
    assert page.evaluate("document.activeElement.id") == f"mark-{world.at_limit.pk}-late"
    assert (
        Attendance.objects.get(session=world.todays_session_a, enrollment=world.at_limit).mark
        == "late"
    )
    page.close()
