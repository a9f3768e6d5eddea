"""The roster, participant and dashboard pages issue as many queries for 30 men as for 3.

Each page is measured with the group at its usual size (four men in group A), then again
after 27 more men with a full register have joined; the counts must be equal, and stay
under a fixed ceiling.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.participants.models import Enrollment
from tests.factories import add_men
from tests.web.helpers import text

# 25 reads for the page itself, plus one per request since two-factor sign-in (django-otp's
# middleware reads the session's verified device to confirm it still exists and is confirmed),
# plus the one INSERT of the access log (alliance/audit) that every view of a participant's page
# writes after the response, plus the identity panel's one read of his identity (the vault,
# alliance/identity/panels.py), plus three for each enrollment card of the participant page (his
# leaves for the engine and for the card, his program's competencies; issue 15). None grows
# with the number of men: the equal counts for 3 and 30 men below still hold.
# Plus five for the intake panel (his assessment, plan, agreement and documents;
# alliance/intake/panels.py) and the incident flag (alliance/incidents), issue 15.
# Plus one for his safe-but-not-too-safe path (the two zone items of his forms, one read for all
# his enrollments; alliance/measures/statistics/zones.py), issue 19.
# Plus three from issues 14 and 16: his court order's summary (alliance/court), the portal
# acknowledgements of documents about him (alliance/portal), and his stored dropout outlook
# (alliance/engagement, read instead of running the model).
# Plus four for his connection panel (the people in his network and their reviews, his UCLA-3
# totals, an open mentoring match; alliance/connection/selectors.py), issue 19.
CEILING = 25 + 1 + 1 + 1 + 3 + 5 + 1 + 3 + 4


def count_queries(client, path: str) -> int:
    client.get(path)  # warm caches that are filled once per process, not per request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("alice", "roster"),
        ("alice", "participant"),
        ("bob", "participant"),
        ("mona", "dashboard"),
        ("eve", "dashboard"),
    ],
)
def test_the_page_costs_the_same_number_of_queries_for_3_and_30_men(
    world, as_user, django_assert_max_num_queries, django_assert_num_queries, persona, page
):
    path = {
        "roster": reverse("group", args=[world.group_a.pk]),
        "participant": reverse("participant", args=[world.breach.participant_id]),
        "dashboard": reverse("dashboard"),
    }[page]
    client = as_user(getattr(world, persona))
    small = count_queries(client, path)

    add_men(world, 27)
    assert Enrollment.objects.filter(assignments__group=world.group_a).count() == 31
    large = count_queries(client, path)

    assert small == large
    with django_assert_max_num_queries(CEILING):
        response = client.get(path)
    with django_assert_num_queries(small):
        client.get(path)
    if page == "roster":
        assert "RIV-526" in text(response)
    if page == "dashboard":
        assert "Enrollments by status (33)" in text(response)
