"""A man whose language is Spanish or French does his phone check-out and a practice on a
phone-sized screen, entirely in his language, and what he sends is stored once."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from alliance.measures.administration.tokens import create_participant_link
from alliance.measures.models import CHECKOUT, Administration, Occasion
from alliance.measures.registry import definition_for
from alliance.practice.models import Assignment, Practice, PracticeLog
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

WORDS = {
    "Spanish": {
        "question": "Hoy me sentí respetado por los facilitadores y por el grupo.",
        "send": "Enviar mis respuestas",
        "thanks": "Gracias",
        "practice": "Respiración pausada",
        "done": "¿La hiciste?",
        "save": "Guardar",
        "saved": "Guardado. Gracias.",
        "stop": "Detener el temporizador",
    },
    "French": {
        "question": "Aujourd’hui, je me suis senti respecté par les animateurs et par le groupe.",
        "send": "Envoyer mes réponses",
        "thanks": "Merci",
        "practice": "Respirer calmement",
        "done": "L’as-tu faite?",
        "save": "Enregistrer",
        "saved": "Enregistré. Merci.",
        "stop": "Arrêter la minuterie",
    },
}


@pytest.fixture
def world():
    return build_world(timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE)))


@pytest.mark.parametrize("language", sorted(WORDS))
def test_his_check_out_and_his_practice_in_his_language(world, live_server, browser, language):
    from alliance.practice.services import ensure_builtin_library

    words = WORDS[language]
    man = world.good.participant
    man.primary_language = language
    man.save(update_fields=["primary_language"])
    ensure_builtin_library()
    _, checkout = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
        occasion=Occasion.OTHER,
    )
    practice = Practice.objects.get(slug="steady-breath", organization=None)
    Assignment.objects.create(
        practice=practice, group=world.group_a, due_on=world.today + dt.timedelta(days=2)
    )
    _, token = create_practice_link(actor=world.alice, enrollment=world.good, now=timezone.now())

    context = browser.new_context(**PHONE)
    page = context.new_page()

    page.goto(f"{live_server.url}/r/{checkout}/")
    assert page.locator("html").get_attribute("lang") in ("es", "fr-ca")
    question = page.get_by_role("group", name=words["question"])
    question.locator('input[value="7"]').check()
    page.get_by_role("button", name=words["send"]).tap()
    page.get_by_role("heading", name=words["thanks"]).wait_for()
    administration = Administration.objects.get(enrollment=world.good, instrument_id=CHECKOUT)
    assert administration.status == "complete"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/p/{token}/")
    page.get_by_role("link", name=words["practice"]).tap()
    page.get_by_role("heading", name=words["practice"]).wait_for()
    timer = page.locator("#timer")
    timer.tap()
    assert timer.inner_text() == words["stop"]
    timer.tap()
    page.get_by_role("group", name=words["done"]).wait_for()
    page.get_by_role("button", name=words["save"]).tap()
    page.get_by_role("heading", name=words["saved"]).wait_for()
    assert PracticeLog.objects.filter(enrollment=world.good).count() == 1
    assert "Your practice" not in page.locator("main").inner_text()
    context.close()
