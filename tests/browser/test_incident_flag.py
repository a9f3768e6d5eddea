"""A facilitator flags a safety incident from the session page on a tablet, and the
partner-safety worker sees it on her home in the next request; his page shows Alice only the
receipt.

The world is built on the real date (see test_attendance_flow.py: the browser keeps its own
time for cookies)."""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone

from alliance.incidents.models import Incident
from tests.browser.conftest import log_in
from tests.factories import TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TABLET = {"width": 820, "height": 1180}
ACCOUNT = "Said he would wait for her outside the school on Friday."


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_a_flag_from_the_session_page_reaches_the_safety_home_at_once(world, live_server, browser):
    page = browser.new_page(viewport=TABLET)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    page.get_by_text("Something said or seen in this session puts someone at risk").click()
    page.get_by_label("Who").select_option(label="RIV-102")
    page.get_by_label("Threat").check()
    page.get_by_label("What was said or seen").fill(ACCOUNT)
    page.locator("input[name=immediate_risk][value=no]").check()
    page.get_by_role("button", name="Send to the safety team").click()
    page.wait_for_url(f"{live_server.url}/sessions/{world.todays_session_a.pk}/")
    assert "Sent at" in page.locator(".messages").inner_text()
    incident = Incident.objects.get()
    assert incident.participant_id == world.at_limit.participant_id

    page.goto(f"{live_server.url}/participants/{world.at_limit.participant_id}/")
    his_page = page.content()
    assert "Your flags about him: sent" in his_page
    assert ACCOUNT not in his_page
    page.close()

    safety = browser.new_page(viewport=TABLET)
    log_in(safety, live_server, "petra")
    safety.goto(f"{live_server.url}/safety/")
    safety.get_by_role("link", name="Threat: RIV-102").click()
    safety.wait_for_url(f"{live_server.url}/incidents/{incident.pk}/")
    assert ACCOUNT in safety.content()
    safety.close()
