"""The training pages fit a phone, and a supervisor records an observation through the form."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance.organizations.models import Membership
from alliance.practice.models import Supervision
from alliance.training import services
from alliance.training.models import Observation
from tests.browser.conftest import log_in
from tests.factories import TIME_ZONE, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world():
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE))
    world = build_world(today)
    now = timezone.now()
    services.set_training_requirement(
        actor=world.mona, program=world.program, preset="california", now=now
    )
    alice = Membership.objects.get(user=world.alice)
    services.record_training_entry(
        actor=world.alice,
        person=alice,
        kind="core",
        topic="Intake and assessment of violence history, threats and substance abuse",
        provider="A county shelter-based training team with a long name",
        completed_on=today - dt.timedelta(days=3),
        hours=Decimal(8),
        evidence_note="Certificate number 2025-000123-ABCDEFGHIJKLMNOP kept in the staff file.",
        now=now,
    )
    services.record_credential(
        actor=world.alice,
        person=alice,
        name="Licensed clinical social worker licence",
        issuer="State board",
        issued_on=today - dt.timedelta(days=700),
        expires_on=today + dt.timedelta(days=20),
        now=now,
    )
    services.raise_credential_alerts(now=now)
    # Bob supervises Alice: her credential alert reaches him too.
    Supervision.objects.create(supervisor=world.bob, facilitator=world.alice)
    return world


def test_a_supervisor_observes_on_a_phone_and_no_page_scrolls_sideways(world, live_server, browser):
    page = browser.new_context(**PHONE).new_page()
    log_in(page, live_server, "bob")
    assert page.get_by_text("Credentials to renew").is_visible()
    page.goto(f"{live_server.url}/training/observations/new/?facilitator={world.alice.pk}")
    page.locator("input[name=score_accountability_without_shaming][value='2']").check()
    page.locator("input[name=score_welcome][value='1']").check()
    page.get_by_label("Feedback").fill("Leave a longer pause after a hard question.")
    page.get_by_role("button", name="Record observation").click()
    page.wait_for_url("**/training/observations/*/")
    observation = Observation.objects.get()
    assert observation.scores == {"accountability_without_shaming": 2, "welcome": 1}
    member = Membership.objects.get(user=world.alice).pk
    for path in (
        "/training/",
        "/training/team/",
        "/training/alerts/",
        f"/training/people/{member}/",
        "/training/observations/",
        "/training/observations/new/",
        f"/training/observations/{observation.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        wide = page.evaluate(
            "Array.from(document.querySelectorAll('body *')).filter(e => "
            "e.getBoundingClientRect().right > 390).map(e => e.tagName + '.' + e.className + "
            "'#' + (e.id || '') + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (path, wide)
