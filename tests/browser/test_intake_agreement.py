"""On a tablet, a supervisor records a man's intake assessment, then hands him the tablet: he
reads the agreement, types his name and draws his signature with the pointer; the PDF is stored
with the drawing and is downloadable from his intake record.

Built on the real date (like ``test_attendance_flow``): the browser keeps its own clock.
"""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone

from alliance.intake.agreements import save_agreement_text
from alliance.intake.models import Assessment, SignedAgreement
from tests.browser.conftest import log_in
from tests.factories import TIME_ZONE, build_world
from tests.reports.conftest import pdf_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TABLET = {"viewport": {"width": 768, "height": 1024}, "device_scale_factor": 2, "has_touch": True}


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


def test_intake_assessment_then_a_drawn_signature_gives_a_stored_downloadable_pdf(
    world, live_server, browser
):
    save_agreement_text(
        actor=world.mona,
        program=world.program,
        text="Come every week.\nWhat you say stays in the group, except threats of harm.",
        now=timezone.now(),
    )
    man = world.in_intake
    context = browser.new_context(**TABLET, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "bob")

    page.goto(f"{live_server.url}/enrollments/{man.pk}/intake/")
    page.get_by_role("link", name="Start the assessment").click()
    page.get_by_label("Violence history").fill("Pushed his partner in January.")
    page.get_by_label("Threats (to kill, to harm, to take the children)").select_option("no")
    page.get_by_label("Access to weapons (firearms included)").select_option("yes")
    page.get_by_label("Weapons notes").fill("A hunting rifle at his brother's.")
    page.get_by_label("Protective order:", exact=True).select_option("active")
    page.get_by_role("button", name="Save the assessment").click()
    page.get_by_text("Assessment saved.").wait_for()
    assert page.get_by_text("A hunting rifle at his brother's.").is_visible()
    assessment = Assessment.objects.get(enrollment=man)
    assert assessment.weapons_access == "yes"
    assert assessment.updated_by == world.bob

    page.get_by_role("link", name="Sign on this tablet").click()
    page.get_by_role("heading", name="Participant agreement").wait_for()
    assert page.get_by_text("What you say stays in the group").is_visible()
    # Nothing is wider than the tablet.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.get_by_label("Your full name").fill("John Example")
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 20):
        page.mouse.move(
            box["x"] + 30 + step * 15, box["y"] + box["height"] * (0.7 - 0.02 * (step % 5))
        )
    page.mouse.up()
    page.get_by_role("button", name="Sign the agreement").click()
    page.get_by_role("heading", name="Thank you").wait_for()

    signed = SignedAgreement.objects.get(enrollment=man)
    assert signed.method == "drawn"
    assert signed.channel == "tablet"
    assert bytes(signed.signature_png).startswith(b"\x89PNG")
    assert "John Example" in pdf_text(bytes(signed.pdf))

    page.goto(f"{live_server.url}/enrollments/{man.pk}/intake/")
    assert page.get_by_text("Signed version 1").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    path = download.value.path()
    with open(path, "rb") as downloaded:
        assert downloaded.read() == bytes(signed.pdf)
    context.close()
