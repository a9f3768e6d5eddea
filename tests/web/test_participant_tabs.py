"""His page in tabs (issue 18, item 2): the overview first with the latest and the due; each
tab its own address with ``aria-current``; queries that do not grow with men or records;
labels in words (D18, D23, D30)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.audit.models import AccessEvent
from alliance.participants.models import Enrollment
from tests.factories import add_men, make_sessions
from tests.web.helpers import text

TABS = ["overview", "attendance", "measures", "practice", "accountability", "documents", "history"]


def url(world, tab: str | None = None) -> str:
    path = reverse("participant", args=[world.breach.participant_id])
    return f"{path}?tab={tab}" if tab else path


def test_every_tab_is_a_link_and_the_open_one_is_marked_current(world, as_user):
    bob = as_user(world.bob)
    base = reverse("participant", args=[world.breach.participant_id])
    for tab in TABS:
        body = bob.get(url(world, tab)).content.decode()
        nav = body[
            body.index('<nav class="tabs"') : body.index("</nav>", body.index('class="tabs"'))
        ]
        assert nav.count('aria-current="page"') == 1, tab
        current = f'{base}?tab={tab}"' if tab != "overview" else f'{base}"'
        assert f'href="{current} aria-current="page"' in nav, tab
        for other in TABS[1:]:
            assert f'href="{base}?tab={other}"' in nav


def test_the_overview_holds_the_latest_and_the_due_and_not_the_timeline(world, as_user):
    body = text(as_user(world.alice).get(url(world)))
    assert "Next session:" in body
    assert "Group A" in body
    assert "Due actions" in body
    assert '<span class="standing in_breach">In breach</span>' in body
    assert 'id="timeline"' not in body
    assert "<dt>Language</dt><dd>English</dd>" in body  # not "en" (D18)


def test_each_tab_shows_its_own_part(world, as_user):
    bob = as_user(world.bob)
    attendance = text(bob.get(url(world, "attendance")))
    assert "Group A: Absent" in attendance
    assert "excused 0" in attendance
    measures = text(bob.get(url(world, "measures")))
    assert 'id="participant-measures"' in measures
    assert "Create a one-time link" in measures
    history = text(bob.get(url(world, "history")))
    assert 'id="timeline"' in history
    assert "Record history" in history
    documents = text(bob.get(url(world, "documents")))
    assert "Reports and notices to the referral agency" in documents
    assert "No practice logged yet." in text(bob.get(url(world, "practice")))
    assert "No goals yet." in text(bob.get(url(world, "accountability")))


def test_an_unknown_tab_shows_the_overview(world, as_user):
    response = as_user(world.alice).get(url(world, "nonsense"))
    assert response.status_code == 200
    assert "Next session:" in text(response)


def test_every_tab_is_logged_as_a_view_of_his_page(world, as_user):
    alice = as_user(world.alice)
    AccessEvent.objects.all().delete()
    for tab in TABS:
        alice.get(url(world, tab))
    logged = AccessEvent.objects.values_list("participant_id", "url_name", "outcome")
    assert list(logged) == [(world.breach.participant_id, "participant", "shown")] * len(TABS)


def test_the_timeline_names_who_changed_his_status_by_full_name(world, as_user):
    response = as_user(world.mona).post(
        reverse("enrollment-action", args=[world.breach.pk, "discharge"]),
        {
            "effective_on": "2025-03-10",
            "reason": "Third unexcused absence.",
            "discharge_reason": "non_compliance",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    history = text(as_user(world.bob).get(url(world, "history")))
    assert "by Mona Tester" in history
    assert "by mona<" not in history


def test_a_man_who_met_the_criteria_reads_criteria_met_not_completed(world, as_user):
    Enrollment.objects.filter(pk=world.good.pk).update(standing="completed")
    listing = text(as_user(world.olga).get(reverse("participants")))
    assert 'Active · <span class="standing completed">Criteria met</span>' in listing
    assert '· <span class="standing completed">Completed' not in listing
    assert Enrollment.objects.get(pk=world.good.pk).get_standing_display() == "Criteria met"


@pytest.mark.parametrize("tab", TABS)
def test_no_tab_costs_more_queries_with_more_men_and_records(
    world, as_user, django_assert_max_num_queries, tab
):
    bob = as_user(world.bob)
    path = url(world, tab)
    bob.get(path)  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        assert bob.get(path).status_code == 200

    add_men(world, 12)
    # More men in his group, and more sessions ahead of him (the overview's next session).
    make_sessions(world.group_a, [world.today + dt.timedelta(days=k) for k in range(1, 7)])
    with django_assert_max_num_queries(len(few)):
        assert bob.get(path).status_code == 200
