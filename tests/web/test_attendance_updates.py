"""An attendance tap updates the rest of the session page, and "Mark everyone present".

The HTMX answer to a tap carries, beside the man's row, out-of-band pieces for the session's
status, the check-out and rating table and the notes form (whose status select would
otherwise put the session back to "Scheduled"), and a sentence for the live region.
"""

from __future__ import annotations

import re

from django.urls import reverse

from alliance.programs.models import Attendance, Session
from tests.web.helpers import HTMX, text


def tap(client, session, enrollment, mark, minutes=""):
    return client.post(
        reverse("mark-attendance", args=[session.pk, enrollment.pk]),
        {"mark": mark, "minutes_late": minutes},
        headers=HTMX,
    )


def test_a_tap_answers_the_row_and_the_parts_below_it(world, as_user):
    response = tap(as_user(world.alice), world.todays_session_a, world.good, "present")

    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="row-{world.good.pk}"')
    status = re.search(r'<span id="session-status"[^>]*hx-swap-oob="true">([^<]*)</span>', body)
    assert status is not None
    assert status.group(1) == "Held"
    live = '<span id="attendance-live" hx-swap-oob="innerHTML">Marked present: RIV-101</span>'
    assert live in body
    # The rating table now offers Alice the form for RIV-101 (he attended)...
    panel = body[body.index('id="session-measures-panel"') :]
    rating_row = panel[panel.index(f'id="rating-{world.good.pk}"') :]
    rating_row = rating_row[: rating_row.index("</tr>")]
    assert "did not attend" not in rating_row
    assert reverse("rate-man", args=[world.todays_session_a.pk, world.good.pk]) in rating_row
    # ...and the notes form shows the session held, not the stale "Scheduled".
    notes = body[body.index('id="session-notes"') :]
    assert re.search(r'<option value="held" selected>', notes)
    # The pressed button is marked for the focus script; every button has a stable id.
    assert f'id="mark-{world.good.pk}-present"' in body
    assert re.search(rf'id="mark-{world.good.pk}-present"[^>]*data-focus', body)


def test_the_announcement_names_the_minutes_of_a_late_mark(world, as_user):
    body = text(tap(as_user(world.alice), world.todays_session_a, world.good, "late", "7"))

    assert "Marked late (7 min): RIV-101" in body


def test_late_without_minutes_is_refused_with_the_field_named_not_stored_as_ten(world, as_user):
    response = tap(as_user(world.alice), world.todays_session_a, world.good, "late", "")

    assert response.status_code == 409
    assert "minutes late" in text(response)
    assert "Not saved for RIV-101" in text(response)
    assert not Attendance.objects.filter(session=world.todays_session_a, enrollment=world.good)


def test_the_minutes_box_has_a_visible_label_and_no_default(world, as_user):
    body = text(as_user(world.alice).get(reverse("session", args=[world.todays_session_a.pk])))

    box = re.search(rf'<input id="late-{world.good.pk}"[^>]*>', body)
    assert box is not None
    assert 'value=""' in box.group(0)
    assert "required" in box.group(0)
    assert f'<label for="late-{world.good.pk}">Minutes late</label>' in body


def test_mark_everyone_present_marks_only_the_unmarked_men(world, as_user):
    session = world.todays_session_a
    client = as_user(world.alice)
    tap(client, session, world.at_limit, "late", "5")

    response = client.post(reverse("attendance-all-present", args=[session.pk]), headers=HTMX)

    assert response.status_code == 200
    marks = dict(
        Attendance.objects.filter(session=session).values_list(
            "enrollment__participant__code", "mark"
        )
    )
    # RIV-102 keeps his late mark; the other three on today's list (RIV-104 since week 5)
    # are marked.
    assert marks["RIV-102"] == "late"
    assert marks["RIV-101"] == "present"
    assert marks["RIV-103"] == "present"
    assert marks["RIV-104"] == "present"
    assert "RIV-105" not in marks  # at intake, in no group
    body = text(response)
    assert body.lstrip().startswith('<div id="attendance-table">')
    assert "Marked present: 3 men (RIV-101, RIV-103, RIV-104)." in body
    assert "(everyone has a mark)" in body
    assert Session.objects.get(pk=session.pk).status == "held"


def test_mark_everyone_present_without_htmx_redirects_with_a_message(world, as_user):
    session = world.todays_session_a
    client = as_user(world.alice)
    response = client.post(reverse("attendance-all-present", args=[session.pk]), follow=True)

    assert response.status_code == 200
    assert "Now change the marks of anyone late or absent." in text(response)
    again = client.post(reverse("attendance-all-present", args=[session.pk]), follow=True)
    assert "Everyone on the list already has a mark; nothing changed." in text(again)


def test_mark_everyone_present_is_refused_outside_her_groups(world, as_user):
    response = as_user(world.charlie).post(
        reverse("attendance-all-present", args=[world.todays_session_a.pk])
    )

    assert response.status_code == 404
    assert not Attendance.objects.filter(session=world.todays_session_a).exists()
