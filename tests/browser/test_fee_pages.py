"""The fee pages fit a phone: a program manager at the desk on a 390-px-wide screen.

No entry is posted here: the ledger's table is append-only and outlives a transactional
test's flush (as the access log does), so browser tests leave it empty.
"""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone

from alliance.core.fees import AbsenceCharge
from alliance.fees import services
from tests.browser.conftest import code_for
from tests.factories import TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world():
    world = build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))
    services.save_schedule(
        actor=world.mona,
        program=world.program,
        intake_fee=5000,
        session_fee=2500,
        materials_fee=1500,
        absences_charged=AbsenceCharge.NONE,
        charge_makeups=False,
    )
    services.load_scale(
        actor=world.mona,
        program=world.program,
        text="band,household_size,max_income,fee_percent\nLow,1,20000,20\nFull,1,,100\n",
    )
    return world


def log_in_manager(page, live_server) -> None:
    """As ``conftest.log_in``, for a program manager, whose home is the dashboard."""
    from django.contrib.auth import get_user_model

    from alliance.organizations.twofactor import base32_secret
    from tests.factories import PASSWORD
    from tests.web.conftest import confirmed_device

    device = confirmed_device(get_user_model().objects.get(username="mona"))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/two-factor/?next=%2F")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        code_for(base32_secret(device))
    )
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")


def test_the_fee_pages_do_not_scroll_sideways_on_a_phone(world, live_server, browser):
    page = browser.new_context(**PHONE).new_page()
    log_in_manager(page, live_server)
    for path in (
        "/fees/",
        f"/fees/enrollments/{world.good.pk}/",
        f"/fees/programs/{world.program.pk}/",
        "/fees/payers/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        wide = page.evaluate(
            "Array.from(document.querySelectorAll('body *')).filter(e => "
            "e.getBoundingClientRect().right > 390).map(e => e.tagName + '.' + e.className + "
            "'#' + (e.id || '') + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (path, wide)
    page.goto(f"{live_server.url}/fees/enrollments/{world.good.pk}/")
    assert page.get_by_role("heading", name="Fees · RIV-101").is_visible()
