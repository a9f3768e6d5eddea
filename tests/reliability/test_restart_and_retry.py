"""A man's check-out survives the server crashing half-way, and a retried submission is one row.

The server is the real one (``alliance serve``: gunicorn, two workers) on 127.0.0.1, killed
with SIGKILL between his answers and started again; the phone and the tablet are HTTP
sessions that keep their cookies, as a browser does.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from alliance.measures.administration.tokens import (
    create_participant_link,
    issue_kiosk_pin,
    open_kiosk,
)
from alliance.measures.models import CHECKOUT, Administration, ItemResponse, Occasion, Score
from alliance.measures.registry import definition_for
from alliance.practice.models import Practice, PracticeLog
from alliance.practice.services import Via, log_practice
from tests.factories import TIME_ZONE, World, build_world
from tests.reliability.conftest import TODAY, source_db
from tests.reliability.server import Server
from tests.reliability.test_concurrent_writers import _race

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS = [item.id for item in definition_for(CHECKOUT).items]


@pytest.fixture
def live_world() -> World:
    """The personas on the real calendar: the server runs on the real clock."""
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(TIME_ZONE)).date()
    return build_world(today)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(source_db(), tmp_path / "static")
    running.start()
    try:
        yield running
    finally:
        running.crash()


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} field in the page"
    return found.group(1)


def chosen(html: str, item: str) -> str | None:
    found = re.search(rf'name="item_{item}" value="([^"]*)" checked', html)
    return found.group(1) if found else None


def test_a_link_check_out_survives_a_crash_and_a_retried_send_is_stored_once(
    live_world: World, server: Server
) -> None:
    world = live_world
    _link, token = create_participant_link(
        actor=world.alice,  # type: ignore[arg-type]
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
        session=world.todays_session_a,
        occasion=Occasion.SESSION,
    )
    phone = requests.Session()
    url = f"{server.url}/r/{token}/"
    page = phone.get(url, timeout=30)
    assert page.status_code == 200
    csrf = hidden(page.text, "csrfmiddlewaretoken")
    saved = phone.post(
        url + "save/",
        {"csrfmiddlewaretoken": csrf, f"item_{ITEMS[0]}": "9"},
        headers={"HX-Request": "true", "Referer": url},
        timeout=30,
    )
    assert saved.status_code == 200

    server.crash()
    server.start()

    again = phone.get(url, timeout=30)
    assert again.status_code == 200
    assert chosen(again.text, ITEMS[0]) == "9"  # his first answer was kept
    key = hidden(again.text, "key")
    form = {
        "csrfmiddlewaretoken": hidden(again.text, "csrfmiddlewaretoken"),
        "key": key,
        **{f"item_{item}": "7" for item in ITEMS[1:]},
    }
    first = phone.post(url, form, headers={"Referer": url}, timeout=30)
    retry = phone.post(url, form, headers={"Referer": url}, timeout=30)  # reply was lost
    assert first.status_code == retry.status_code == 200
    assert "Thank you" in retry.text

    administration = Administration.objects.get(enrollment=world.good)
    assert administration.status == "complete"
    assert administration.submission_key == key
    answers = dict(
        ItemResponse.objects.filter(administration=administration).values_list("item_id", "value")
    )
    assert answers == {ITEMS[0]: 9.0, **{item: 7.0 for item in ITEMS[1:]}}
    scales = Score.objects.filter(administration=administration).values_list("scale_id", flat=True)
    assert len(scales) == len(set(scales)) > 0

    other = phone.post(url, {**form, "key": "a-different-form"}, headers={"Referer": url})
    assert other.status_code == 410
    assert Administration.objects.count() == 1


def test_a_kiosk_check_out_survives_a_crash_and_a_double_tap_is_stored_once(
    live_world: World, server: Server, settings
) -> None:
    world = live_world
    # The PIN is checked by the server, which knows only the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    _kiosk, token = open_kiosk(actor=world.alice, session=world.todays_session_a)  # type: ignore[arg-type]
    pin = issue_kiosk_pin(actor=world.alice, enrollment=world.good)  # type: ignore[arg-type]
    tablet = requests.Session()
    roster = f"{server.url}/kiosk/{token}/"
    page = tablet.get(roster, timeout=30)
    assert page.status_code == 200
    pin_url = f"{roster}man/{world.good.pk}/"
    pin_page = tablet.get(pin_url, timeout=30)
    signed_in = tablet.post(
        pin_url,
        {"csrfmiddlewaretoken": hidden(pin_page.text, "csrfmiddlewaretoken"), "pin": pin},
        headers={"Referer": pin_url},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code == 302
    checkout = f"{roster}checkout/"
    form_page = tablet.get(checkout, timeout=30)
    assert form_page.status_code == 200
    saved = tablet.post(
        checkout + "save/",
        {
            "csrfmiddlewaretoken": hidden(form_page.text, "csrfmiddlewaretoken"),
            f"item_{ITEMS[0]}": "8",
        },
        headers={"HX-Request": "true", "Referer": checkout},
        timeout=30,
    )
    assert saved.status_code == 200

    server.crash()
    server.start()

    resumed = tablet.get(checkout, timeout=30)
    assert resumed.status_code == 200  # still signed in: the session lives in the database
    assert chosen(resumed.text, ITEMS[0]) == "8"
    form = {
        "csrfmiddlewaretoken": hidden(resumed.text, "csrfmiddlewaretoken"),
        "key": hidden(resumed.text, "key"),
        **{f"item_{item}": "6" for item in ITEMS[1:]},
    }
    first = tablet.post(checkout, form, headers={"Referer": checkout}, timeout=30)
    double_tap = tablet.post(checkout, form, headers={"Referer": checkout}, timeout=30)
    assert first.status_code == double_tap.status_code == 200
    assert "Thank you" in double_tap.text

    administration = Administration.objects.get()
    assert administration.status == "complete"
    assert administration.responses.count() == len(ITEMS)
    assert administration.responses.get(item_id=ITEMS[0]).value == 8.0


def test_two_copies_of_one_practice_log_arriving_at_once_are_stored_once(
    frozen_clock,
) -> None:
    world = build_world(TODAY)
    practice = Practice.objects.create(
        slug="steady", title="Steady", purpose="Calm", steps="Breathe", script="In, out", minutes=5
    )

    def send():  # type: ignore[no-untyped-def]
        return log_practice(
            enrollment=world.good,
            practice=practice,
            assignment=None,
            logged_on=TODAY - dt.timedelta(days=1),
            done=True,
            minutes=10,
            ratings={},
            note="",
            via=Via.LINK,
            idempotency_key="one-form",
        )

    first, second = _race(send, send)
    assert not isinstance(first, BaseException), first
    assert not isinstance(second, BaseException), second
    assert first.log.pk == second.log.pk
    assert [first.created, second.created] == [True, False]
    assert PracticeLog.objects.filter(idempotency_key="one-form").count() == 1
