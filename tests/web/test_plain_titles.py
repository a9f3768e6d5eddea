"""Every staff page of the session, roster, dashboard, evaluation and reports areas has a plain
text <title> (findings D3: the roster's title held the schedule form and its CSRF token)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests.web.helpers import text


def _pages(world) -> list[tuple[str, str]]:
    return [
        ("alice", reverse("home")),
        ("alice", reverse("group", args=[world.group_a.pk])),
        ("alice", reverse("session", args=[world.todays_session_a.pk])),
        ("mona", reverse("group", args=[world.group_a.pk])),  # with the schedule form
        ("mona", reverse("session", args=[world.todays_session_a.pk])),
        ("mona", reverse("dashboard")),
        ("mona", reverse("evaluation")),
        ("mona", reverse("enrollment-reports", args=[world.good.pk])),
        ("mona", reverse("program-reports", args=[world.program.pk])),
        ("mona", reverse("enrollment-document", args=[world.good.pk, "compliance_report"])),
    ]


@pytest.mark.parametrize("index", range(10))
def test_the_title_is_plain_text(world, as_user, index):
    persona, path = _pages(world)[index]
    response = as_user(getattr(world, persona)).get(path)
    assert response.status_code == 200, path
    titles = re.findall(r"<title>(.*?)</title>", text(response), re.S)
    assert len(titles) == 1, path
    title = html.unescape(titles[0])
    assert "<" not in title, (path, title)
    assert "csrf" not in title.lower(), path
    assert "\n" not in title.strip(), (path, title)
    assert title.strip().endswith("· Alliance"), (path, title)
