"""POST /sessions/<id>/edit/ — notes and status, without losing a colleague's edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliance.programs.models import Session
from tests.web.helpers import MISSING_ID, assert_redirects_to_login, assert_same_not_found, text


def url(session_id: int) -> str:
    return reverse("session-edit", args=[session_id])


def test_it_saves_notes_and_status_and_bumps_the_revision(world, as_user):
    session = world.todays_session_a
    response = as_user(world.alice).post(
        url(session.pk), {"notes": "  Check-in ran long.  ", "status": "held", "revision": "0"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("session", args=[session.pk])
    session.refresh_from_db()
    assert (session.notes, session.status, session.revision) == ("Check-in ran long.", "held", 1)
    last = session.history.latest("history_id")
    assert last.history_user == world.alice


def test_a_stale_second_edit_is_refused_with_its_text_given_back_and_both_end_in_history(
    world, as_user, client
):
    session = world.todays_session_a
    # Both opened the page at revision 0. Alice saves first.
    as_user(world.alice).post(
        url(session.pk),
        {"notes": "Alice: role-play on time-outs.", "status": "held", "revision": "0"},
    )
    as_user(world.fred)
    stale = client.post(
        url(session.pk),
        {"notes": "Fred: RIV-102 left early.", "status": "held", "revision": "0"},
        follow=True,
    )

    body = text(stale)
    assert "Someone else saved this session" in body
    assert "Fred: RIV-102 left early." in body  # his text is not lost
    session.refresh_from_db()
    assert (session.notes, session.revision) == ("Alice: role-play on time-outs.", 1)

    # He adds his change to the current version and saves again.
    again = client.post(
        url(session.pk),
        {
            "notes": "Alice: role-play on time-outs.\nFred: RIV-102 left early.",
            "status": "held",
            "revision": "1",
        },
    )

    assert again.status_code == 302
    session.refresh_from_db()
    assert session.revision == 2
    assert "Alice" in session.notes
    assert "Fred" in session.notes
    edits = list(
        session.history.filter(revision__gt=0)
        .order_by("history_id")
        .values_list("history_user", "notes")
    )
    assert edits == [
        (world.alice.pk, "Alice: role-play on time-outs."),
        (world.fred.pk, "Alice: role-play on time-outs.\nFred: RIV-102 left early."),
    ]


def test_it_refuses_an_unknown_status_and_writes_nothing(world, as_user):
    session = world.todays_session_a
    response = as_user(world.alice).post(
        url(session.pk), {"notes": "x", "status": "postponed", "revision": "0"}, follow=True
    )

    assert "status" in text(response)
    session.refresh_from_db()
    assert (session.notes, session.revision) == ("", 0)


@pytest.mark.parametrize("persona", ["charlie", "petra", "eve", "outsider"])
def test_it_is_denied_like_a_missing_session(world, as_user, persona):
    client = as_user(getattr(world, persona))
    data = {"notes": "intrusion", "status": "cancelled", "revision": "0"}
    forbidden = client.post(url(world.todays_session_a.pk), data)
    missing = client.post(url(MISSING_ID), data)

    assert_same_not_found(forbidden, missing)
    session = Session.objects.get(pk=world.todays_session_a.pk)
    assert (session.notes, session.status, session.revision) == ("", "scheduled", 0)


def test_it_sends_anonymous_visitors_to_log_in(world, client):
    path = url(world.todays_session_a.pk)
    response = client.post(path, {"notes": "x", "status": "held", "revision": "0"})

    assert_redirects_to_login(response, path)
    assert Session.objects.get(pk=world.todays_session_a.pk).revision == 0
