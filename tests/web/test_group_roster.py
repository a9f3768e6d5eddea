"""GET /groups/<id>/ — men × sessions grid."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.web.helpers import MISSING_ID, assert_redirects_to_login, assert_same_not_found, text


def url(group_id: int) -> str:
    return reverse("group", args=[group_id])


def row_of(body: str, code: str) -> str:
    start = body.index(f">{code}</a></th>")
    return body[start : body.index("</tr>", start)]


def test_it_shows_every_mark_as_a_text_symbol_with_its_name(world, as_user):
    response = as_user(world.alice).get(url(world.group_a.pk))

    assert response.status_code == 200
    body = text(response)
    # RIV-103's register: P U P U P U P P, and nothing yet today.
    cells = re.findall(r'<td class="cell">(.*?)</td>', row_of(body, "RIV-103"))
    symbols = [re.sub(r"<[^>]+>", "", c) for c in cells]
    assert symbols == ["P", "A", "P", "A", "P", "A", "P", "P", ""]
    assert '<span class="mark unexcused" title="Absent: Unexcused absence">A</span>' in body
    # The key spells out each symbol, so colour is never the only cue.
    for symbol, label in (("P", "Present"), ("L", "Late"), ("E", "Excused"), ("A", "Absent")):
        assert re.search(rf">{symbol}</span> {label}", body)


def test_it_shows_status_and_standing_in_words(world, as_user):
    body = text(as_user(world.alice).get(url(world.group_a.pk)))

    assert "In breach" in row_of(body, "RIV-103")
    assert "At limit" in row_of(body, "RIV-102")
    assert "Good standing" in row_of(body, "RIV-101")


def test_it_shows_a_mark_just_taken(world, as_user):
    client = as_user(world.alice)
    client.post(
        reverse("mark-attendance", args=[world.todays_session_a.pk, world.good.pk]),
        {"mark": "late", "minutes_late": "5"},
    )

    cells = re.findall(
        r'<td class="cell">(.*?)</td>', row_of(text(client.get(url(world.group_a.pk))), "RIV-101")
    )
    assert cells[-1] == '<span class="mark late" title="Late: Attended (late)">L</span>'


def test_a_late_mark_past_the_programs_limit_says_it_counts_as_an_absence(world, as_user):
    # Respectful Relationships counts 30 minutes late or more as an unexcused absence; the
    # roster says so, and his totals are the compliance engine's.
    client = as_user(world.alice)
    client.post(
        reverse("mark-attendance", args=[world.todays_session_a.pk, world.good.pk]),
        {"mark": "late", "minutes_late": "35"},
    )

    row = row_of(text(client.get(url(world.group_a.pk))), "RIV-101")
    cells = re.findall(r'<td class="cell">(.*?)</td>', row)
    assert cells[-1] == (
        '<span class="mark late" title="Late: Late, counted as an unexcused absence">L</span>'
    )
    assert "<td>8</td><td>1</td><td>0</td>" in row


def test_it_lists_only_the_men_of_this_group(world, as_user):
    body = text(as_user(world.alice).get(url(world.group_a.pk)))

    assert "RIV-301" not in body
    assert "RIV-201" not in body
    assert "RIV-105" not in body


def test_it_is_open_to_the_site_supervisor(world, as_user):
    assert as_user(world.bob).get(url(world.group_a.pk)).status_code == 200


@pytest.mark.parametrize("persona", ["charlie", "petra", "eve", "outsider"])
def test_it_answers_404_to_staff_who_may_not_see_it_exactly_as_for_a_missing_group(
    world, as_user, persona
):
    client = as_user(getattr(world, persona))

    assert_same_not_found(client.get(url(world.group_a.pk)), client.get(url(MISSING_ID)))


def test_alice_cannot_open_a_group_of_her_program_that_she_does_not_run(world, as_user):
    client = as_user(world.alice)

    assert_same_not_found(client.get(url(world.group_c.pk)), client.get(url(MISSING_ID)))


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.group_a.pk)

    assert_redirects_to_login(client.get(path), path)
