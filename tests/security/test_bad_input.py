"""Bad input gets a clear form error or a short error page, never a 500 and never an echo
(issue 11 item 9: a 128 KB value in a text field, and the error handlers' pages)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import alliance
from alliance.engagement.models import OutreachAction, OutreachAlert
from alliance.participants.models import Participant
from alliance.practice.models import Practice
from alliance.safety.models import PartnerRecord
from tests.factories import World

BIG = "Z" * (128 * 1024)
#: An error page is a few hundred bytes; anything near the input's size is an echo.
MAX_ERROR_PAGE = 4096
#: The longest text any staff form takes (a guided practice script).
LONGEST_TEXT = 20_000


def form_classes():
    for module_info in pkgutil.walk_packages(alliance.__path__, "alliance."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", cls


FORMS = sorted(form_classes())


def test_the_walk_finds_the_staff_forms() -> None:
    names = {name for name, _ in FORMS}
    assert "alliance.participants.forms.ReferralForm" in names
    assert "alliance.safety.forms.PartnerForm" in names
    assert len(names) >= 25


@pytest.mark.parametrize(("name", "form_class"), FORMS)
def test_every_text_field_of_every_form_has_a_length_limit(name, form_class) -> None:
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    for field_name, field in form_class.base_fields.items():
        if not isinstance(field, forms.CharField):
            continue
        assert field.max_length is not None, f"{name}.{field_name} takes text of any length"
        assert field.max_length <= LONGEST_TEXT, f"{name}.{field_name}"
        column = _model_field(model, field_name)
        if column is not None and getattr(column, "max_length", None):
            # A longer form limit than the column's would be a database error (a 500).
            assert field.max_length <= column.max_length, f"{name}.{field_name}"


def _model_field(model, field_name):
    if model is None:
        return None
    try:
        return model._meta.get_field(field_name)
    except Exception:
        return None


def test_a_huge_participant_code_is_a_form_error(world: World, as_user) -> None:
    before = Participant.objects.count()

    response = as_user(world.mona).post(reverse("referral-new"), {"code": BIG, "initials": BIG})

    assert response.status_code == 400
    assert "at most 32 characters" in response.content.decode()
    assert Participant.objects.count() == before


def test_a_huge_practice_script_is_a_form_error(world: World, as_user) -> None:
    response = as_user(world.olga).post(
        reverse("practice-new"),
        {"title": "Huge", "slug": "huge-practice", "purpose": BIG, "steps": BIG, "script": BIG},
    )

    assert response.status_code < 500
    page = response.content.decode()
    assert "at most 2000 characters" in page
    assert "at most 20000 characters" in page
    assert not Practice.objects.filter(slug="huge-practice").exists()


def test_a_huge_partner_name_is_a_form_error(world: World, as_user) -> None:
    response = as_user(world.petra).post(
        reverse("safety-partner-new"),
        {"participant": world.good.participant_id, "name": BIG, "address": BIG},
    )

    assert response.status_code < 500
    page = response.content.decode()
    assert "at most 500 characters" in page
    assert "at most 5000 characters" in page
    assert not PartnerRecord.objects.exists()


def test_a_huge_status_change_reason_is_a_form_error(world: World, as_user) -> None:
    url = reverse("enrollment-action", args=[world.good.pk, "discharge"])

    response = as_user(world.olga).post(url, {"reason": BIG, "effective_on": "2025-03-10"})

    assert response.status_code < 500
    assert "at most 500 characters" in response.content.decode()
    world.good.refresh_from_db()
    assert world.good.status != "discharged"


def test_huge_session_notes_are_refused_without_the_text_coming_back(world: World, as_user):
    client = as_user(world.alice)
    session = world.todays_session_a

    response = client.post(
        reverse("session-edit", args=[session.pk]),
        {"notes": BIG, "status": BIG, "revision": "0"},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 5000 characters" in page
    assert BIG[:1000] not in page  # the choice error quotes the value: cut to a line
    session.refresh_from_db()
    assert session.notes != BIG


def test_a_huge_outreach_note_is_refused_not_cut(world: World, as_user) -> None:
    client = as_user(world.alice)
    client.post(reverse("engagement-start-outreach", args=[world.breach.pk]))
    alert = OutreachAlert.objects.get(enrollment=world.breach)

    response = client.post(
        reverse("engagement-action", args=[alert.pk]),
        {"kind": "phone_call", "note": BIG},
        follow=True,
    )

    assert response.status_code == 200
    assert "longer than 500 characters" in response.content.decode()
    assert not OutreachAction.objects.exists()


# --- The error handlers' pages ---------------------------------------------------------------


def _assert_short_and_silent(response, status: int) -> None:
    assert response.status_code == status
    assert len(response.content) < MAX_ERROR_PAGE
    assert b"ZZZZ" not in response.content


def test_the_404_page_is_short_and_does_not_repeat_the_address(world: World, as_user) -> None:
    client = as_user(world.alice)

    _assert_short_and_silent(client.get(f"/{BIG}/"), 404)
    _assert_short_and_silent(client.get(f"/participants/{BIG}/", {"q": BIG}), 404)
    _assert_short_and_silent(client.get("/groups/999999/", {"q": BIG}), 404)


def test_the_400_page_is_short_and_does_not_repeat_the_host(world: World, client) -> None:
    _assert_short_and_silent(client.get("/login/", headers={"host": "Z" * 5000}), 400)


def test_the_403_page_is_short_and_does_not_repeat_the_form(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.olga)

    _assert_short_and_silent(client.post("/login/", {"username": BIG, "next": BIG}), 403)


@pytest.mark.urls("tests.security.error_urls")
def test_the_500_page_is_short_and_does_not_repeat_the_request(world: World, as_user) -> None:
    client = as_user(world.olga)
    client.raise_request_exception = False

    _assert_short_and_silent(client.get(f"/fail/{BIG}/", {"q": BIG}), 500)
