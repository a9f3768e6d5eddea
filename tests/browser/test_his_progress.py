"""His progress page on a phone-sized screen (390×844), in English and in Spanish: reached from
his practice home, no sideways scrolling, his answers in a table, his practice days marked."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from alliance.measures.administration.services import submit_administration
from alliance.measures.administration.tokens import create_participant_link
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.participants.services import program_today
from alliance.practice.tokens import create_practice_link
from tests.factories import TIME_ZONE, build_world, make_sessions

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

WORDS = {
    "English": {
        "lang": "en",
        "link": "See your progress",
        "heading": "Your progress",
        "trend": "Your answers have gone up over your last sessions.",
        "next": "Your next session",
    },
    "Spanish": {
        "lang": "es",
        "link": "Ver tu progreso",
        "heading": "Tu progreso",
        "trend": "Tus respuestas han subido en tus últimas sesiones.",
        "next": "Tu próxima sesión",
    },
}


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


@pytest.mark.parametrize("language", sorted(WORDS))
def test_his_progress_page_on_his_phone(world, live_server, browser, language):
    words = WORDS[language]
    man = world.good
    man.participant.primary_language = language
    man.participant.save(update_fields=["primary_language"])
    today = program_today(man)
    definition = definition_for(CHECKOUT)
    for index, value in enumerate([3, 4, 5, 8, 8, 9]):
        link, _ = create_participant_link(
            actor=world.alice,
            enrollment=man,
            definition=definition,
            administered_on=today - dt.timedelta(days=7 * (6 - index)),
        )
        submit_administration(
            actor=None,
            administration=link.administration,
            answers={item.id: float(value) for item in definition.items},
            submission_key=f"browser-{index}",
        )
    make_sessions(world.group_a, [today + dt.timedelta(days=3)])
    _, token = create_practice_link(actor=world.alice, enrollment=man, now=timezone.now())

    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{token}/")
    page.get_by_role("link", name=words["link"]).tap()
    page.get_by_role("heading", name=words["heading"], level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == words["lang"]
    main = page.locator("main").inner_text()
    assert words["trend"] in main
    assert words["next"] in main
    # His six check-outs, newest first, each of his four answers.
    rows = page.locator("section[aria-labelledby=checkout-h] tbody tr")
    assert rows.count() == 6
    assert rows.first.locator("td").all_inner_texts() == ["9", "9", "9", "9"]
    # The month's calendar has every day of the month.
    days = page.locator("table.calendar tbody td").filter(has_text=str(today.day))
    assert days.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
