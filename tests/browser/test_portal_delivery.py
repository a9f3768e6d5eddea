"""A manager sends a progress report through the agency portal; the probation officer signs in
with his second factor, reads it and acknowledges receipt; the acknowledgement shows on the
man's page.

The world is built on the real date (see test_attendance_flow.py: the browser keeps its own
time for cookies)."""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone

from alliance.organizations.twofactor import base32_secret
from alliance.portal.models import Delivery
from alliance.reports.documents import Recipient
from alliance.reports.services import send_enrollment_document
from tests.browser.conftest import code_for
from tests.factories import PASSWORD, TIME_ZONE, build_world
from tests.web.conftest import confirmed_device

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"width": 390, "height": 844}


def sign_in(page, live_server, user, lands_on: str) -> None:
    """Password, then a code from his authenticator app, through the real forms."""
    device = confirmed_device(user)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/two-factor/?next=%2F")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        code_for(base32_secret(device))
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{lands_on}")


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_a_report_sent_through_the_portal_is_read_and_acknowledged(world, live_server, browser):
    document = send_enrollment_document(
        actor=world.mona,
        enrollment=world.good,
        kind="compliance_report",
        recipient=Recipient(kind="probation", name="", organization="Riverside Probation"),
        today=world.today,
    )
    manager = browser.new_page()
    sign_in(manager, live_server, world.mona, "/dashboard/")
    manager.goto(f"{live_server.url}/enrollments/{world.good.pk}/reports/")
    manager.get_by_role("link", name="Send or see deliveries").click()
    manager.get_by_role("button", name="Send through Riverside Probation's portal").click()
    manager.wait_for_url(f"{live_server.url}/reports/sent/{document.pk}/deliveries/")
    assert "on Riverside Probation's portal" in manager.locator(".messages").inner_text()
    delivery = Delivery.objects.get()

    officer = browser.new_page(viewport=PHONE)
    # The officer signs in with his second factor and lands on his agency's portal.
    sign_in(officer, live_server, world.otto, "/portal/")
    assert "Not yet acknowledged" in officer.content()
    officer.get_by_role("link", name="Compliance report").click()
    officer.wait_for_url(f"{live_server.url}/portal/documents/{delivery.pk}/")
    with officer.expect_response(f"**/portal/documents/{delivery.pk}/pdf/") as pdf:
        officer.evaluate(f"fetch('/portal/documents/{delivery.pk}/pdf/')")
    assert pdf.value.headers["content-type"] == "application/pdf"
    # Nothing on the page scrolls sideways on a phone.
    assert officer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    officer.get_by_role("button", name="Acknowledge receipt").click()
    officer.wait_for_url(f"{live_server.url}/portal/documents/{delivery.pk}/")
    assert "Receipt acknowledged" in officer.content()

    manager.goto(f"{live_server.url}/participants/{world.good.participant_id}/?tab=documents")
    his_page = manager.locator("ul.receipts").inner_text()
    assert "receipt acknowledged" in his_page
    assert "Otto Tester" in his_page
