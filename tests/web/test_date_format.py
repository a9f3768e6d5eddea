"""One date format on the staff pages: "4 Dec 2026" (issue 18, D21; alliance/formats)."""

from __future__ import annotations

import datetime as dt
import re

from django.template import Context, Template
from django.urls import reverse

from tests.web.helpers import text

FRIDAY = dt.date(2026, 12, 4)


def test_the_default_formats_write_the_month_as_a_word_without_leading_zeros() -> None:
    rendered = Template(
        '{{ d|date }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date }}|{{ t|time }}'
    ).render(Context({"d": FRIDAY, "t": dt.datetime(2026, 12, 4, 18, 30)}))
    assert rendered == "4 Dec 2026|Fri 4 Dec|4 Dec 2026|18:30"


def test_roster_headers_are_not_day_month_numerals(world, as_user) -> None:
    body = text(as_user(world.alice).get(reverse("group", args=[world.group_a.pk])))
    headers = re.findall(r'<a href="/sessions/\d+/"[^>]*>([^<]+)</a></th>', body)
    assert headers
    for header in headers:
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", header), header
