"""A new staff member sets up two-factor sign-in in a real browser."""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from alliance.organizations.models import Authenticator
from tests.browser.conftest import code_for
from tests.factories import PASSWORD, TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_a_new_facilitator_scans_confirms_and_keeps_his_recovery_codes(world, live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/two-factor/setup/?next=%2F")

    assert page.locator("figure.qr svg").count() == 1
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Two-factor sign-in is set up").wait_for()

    shown = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(shown) == 10
    assert Authenticator.objects.get(user=world.alice).confirmed
    assert StaticToken.objects.filter(device__user=world.alice).count() == 10
    page.get_by_role("link", name="I have kept them safe — continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Group A").first.is_visible()
    assert page.evaluate("typeof htmx") == "object"
