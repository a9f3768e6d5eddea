"""His practice page as polished as his check-out (findings D29): 0–10 chips, "Threat"
explained, primary actions as large buttons."""

from __future__ import annotations

import re

from alliance.practice.models import Assignment
from tests.practice.test_homework import LOG, _assign_group

RATINGS = (
    "calm_before",
    "threat_before",
    "connection_before",
    "calm_after",
    "threat_after",
    "connection_after",
)


def test_each_rating_is_eleven_chips_from_0_to_10(world, as_user, phone_token, client):
    _assign_group(world, as_user)
    token = phone_token()
    assignment = Assignment.objects.get()
    page = client.get(f"/p/{token}/do/{assignment.pk}/").content.decode()

    for name in RATINGS:
        values = re.findall(rf'<input type="radio" name="{name}" value="(\d+)"', page)
        assert values == [str(v) for v in range(11)], name
    assert 'type="number" name="calm_before"' not in page
    assert "Threat: how much you feel on guard" in page
    assert page.count('class="chip"') == 66


def test_a_refused_log_keeps_the_chips_he_chose(world, as_user, phone_token, client):
    _assign_group(world, as_user)
    token = phone_token()
    assignment = Assignment.objects.get()
    bad = {**LOG, "key": "k", "minutes": "999"}
    page = client.post(f"/p/{token}/do/{assignment.pk}/", bad).content.decode()

    assert '<input type="radio" name="threat_before" value="8" checked>' in page


def test_his_home_shows_homework_and_the_log_as_large_buttons(world, as_user, phone_token, client):
    _assign_group(world, as_user)
    token = phone_token()
    home = client.get(f"/p/{token}/").content.decode()

    assignment = Assignment.objects.get()
    assert f'<a class="button big" href="/p/{token}/do/{assignment.pk}/">' in home
    assert re.search(r'<a class="button big" href="[^"]*">Write an accountability log</a>', home)


def test_the_page_is_in_his_language(world, as_user, phone_token, client):
    from tests.i18n.test_his_pages import speaks

    _assign_group(world, as_user)
    token = phone_token()
    assignment = Assignment.objects.get()
    speaks(world.good, "es")
    page = client.get(f"/p/{token}/do/{assignment.pk}/").content.decode()
    assert "Cómo te sientes, de 0 a 10" in page
    assert "Amenaza: qué tan en guardia" in page
