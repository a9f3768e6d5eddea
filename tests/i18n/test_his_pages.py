"""A man's own pages, texts and reminders speak his language; staff pages stay in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from alliance.core.instruments import get_bundled
from alliance.measures.administration.tokens import create_participant_link
from alliance.measures.models import CHECKOUT, Occasion
from alliance.measures.registry import definition_for, item_wording
from alliance.practice.library import LIBRARY
from alliance.practice.library_es import SPANISH
from alliance.practice.library_fr import FRENCH
from alliance.practice.models import Assignment, Practice, ReminderSettings
from tests.web.helpers import text


def speaks(enrollment, language: str) -> None:
    participant = enrollment.participant
    participant.primary_language = language
    participant.save(update_fields=["primary_language"])


def checkout_link(world, enrollment) -> str:
    _, token = create_participant_link(
        actor=world.alice,
        enrollment=enrollment,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
        session=world.todays_session_a,
        occasion=Occasion.SESSION,
    )
    return f"/r/{token}/"


@pytest.mark.parametrize(
    ("language", "html_lang", "question", "button"),
    [
        ("Spanish", "es", "Hoy me sentí respetado por los facilitadores", "Enviar mis respuestas"),
        (
            "français",
            "fr-ca",
            "je me suis senti respecté par les animateurs",
            "Envoyer mes réponses",
        ),
        ("English", "en", "Today I felt respected by the facilitators", "Send my answers"),
    ],
)
def test_his_phone_check_out_is_in_his_language(
    world, client, language, html_lang, question, button
):
    speaks(world.good, language)
    response = client.get(checkout_link(world, world.good))
    body = response.content.decode()
    assert f'<html lang="{html_lang}">' in body
    assert question in body
    assert button in body
    assert response["Content-Language"] == html_lang
    assert "not yet translated" not in body
    assert "no están traducidas" not in body


def test_a_language_alliance_lacks_falls_back_to_his_groups_then_english(world, client):
    speaks(world.good, "Punjabi")
    world.group_a.language = "Spanish"
    world.group_a.save(update_fields=["language"])
    assert "Enviar mis respuestas" in client.get(checkout_link(world, world.good)).content.decode()
    world.group_a.language = "Punjabi"
    world.group_a.save(update_fields=["language"])
    assert "Send my answers" in client.get(checkout_link(world, world.good)).content.decode()


def test_an_item_without_wording_in_his_language_is_shown_in_english_and_says_so():
    scs = get_bundled("alliance_checkout")
    item = scs.items[0]
    assert item_wording(scs, item, "es").fallback is False
    # A language the definition has no wording in: the English, marked.
    wording = item_wording(scs, item, "fr")
    assert wording.fallback is True
    assert wording.text == item.text


def test_the_fallback_is_visible_on_his_page(world, client, monkeypatch):
    speaks(world.good, "Spanish")
    definition = definition_for(CHECKOUT)
    monkeypatch.setitem(definition.translations["es"].items, "checkout_matters", None)  # type: ignore[index]
    monkeypatch.delitem(definition.translations["es"].items, "checkout_matters")  # type: ignore[attr-defined]
    body = client.get(checkout_link(world, world.good)).content.decode()
    assert "Algunas preguntas aparecen en inglés" in body
    assert '<span lang="en">Today we worked on things that matter to me.</span>' in body
    assert "(en inglés)" in body


def test_a_closed_link_speaks_the_browsers_language_before_it_knows_him(world, client):
    url = checkout_link(world, world.good)
    client.post(url, {"item_checkout_respected": "5", "key": "k1"})
    body = Client(HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").get(url).content.decode()
    assert "Cette page n’est pas disponible" in body or "Ce lien a déjà été utilisé" in body


def test_staff_pages_stay_in_english_whatever_the_browser_asks(world, as_user):
    client = as_user(world.alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    response = client.get(f"/participants/{world.good.participant_id}/")
    assert response["Content-Language"] == "en"


def _homework(world, slug: str = "steady-breath") -> Assignment:
    return Assignment.objects.create(
        practice=Practice.objects.get(slug=slug, organization=None),
        group=world.group_a,
        due_on=world.today + dt.timedelta(days=1),
    )


def phone_link(world, as_user) -> str:
    page = as_user(world.alice).post(f"/enrollments/{world.good.pk}/practice-link/")
    return re.search(r"/p/[^/]+/", page.content.decode()).group(0)


def test_his_practice_is_in_his_language(world, as_user):
    speaks(world.good, "French")
    assignment = _homework(world)
    url = phone_link(world, as_user)
    man = Client()
    home = text(man.get(url))
    assert "Ta pratique" in home
    assert "Respirer calmement" in home
    practice = text(man.get(f"{url}do/{assignment.pk}/"))
    assert "Inspire par le nez en comptant jusqu’à quatre." in practice
    assert "L’as-tu faite?" in practice


def test_a_practice_the_agency_rewrote_is_shown_as_they_wrote_it(world, as_user):
    speaks(world.good, "Spanish")
    assignment = _homework(world)
    practice = assignment.practice
    practice.title = "Respiración lenta (versión del programa)"
    practice.save(update_fields=["title"])
    url = phone_link(world, as_user)
    assert "Respiración lenta (versión del programa)" in text(Client().get(url))


def test_every_built_in_practice_has_spanish_and_french_wording():
    slugs = {p.slug for p in LIBRARY}
    for table in (SPANISH, FRENCH):
        assert set(table) == slugs
        for slug, wording in table.items():
            shipped = next(p for p in LIBRARY if p.slug == slug)
            assert len(wording.steps) == len(shipped.steps), slug


def test_his_email_reminder_is_in_his_language(world):
    speaks(world.good, "Español")
    _homework(world)
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    call_command("send_reminders")
    assert mail.outbox[0].subject == "Un recordatorio"
    assert mail.outbox[0].body.startswith("Hola:")
