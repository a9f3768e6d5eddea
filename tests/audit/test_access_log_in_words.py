"""The access log page in words (issue 18, D12 and D23) and its participant filter as a typed
code with suggestions (D16), not a list of every code."""

from __future__ import annotations

from django.urls import reverse

from alliance.audit.labels import action_label, page_label
from alliance.audit.models import AccessEvent
from tests.web.helpers import text


def test_a_row_reads_who_which_page_what_and_the_outcome_in_words(world, as_user):
    man = world.good.participant_id
    as_user(world.bob).get(reverse("participant-history", args=[man]))
    as_user(world.alice).get(reverse("participant", args=[man]))
    body = text(as_user(world.bob).get(reverse("access-log"), {"participant": man}))

    table = body[body.index("<table") :]
    assert "<td>Participant history</td>" in table
    assert "<td>Participant page</td>" in table
    assert "<td>Viewed</td>" in table
    assert "<td>Shown</td>" in table
    assert "<td>Alice Tester</td>" in table  # her name, not her username
    assert "<td>Bob Tester</td>" in table
    for machine in ("participant-history", "<td>GET</td>", "(200)", "<td>alice</td>"):
        assert machine not in table, machine


def test_the_labels_name_every_page_and_method():
    assert page_label("participant-history") == "Participant history"
    assert page_label("enrollment-document") == "Report or notice"
    assert page_label("some-new-page") == "Some new page"
    assert page_label("programs:program_detail") == "Program detail"
    assert action_label("GET") == "Viewed"
    assert action_label("POST") == "Changed"


def test_the_filter_is_a_code_input_with_suggestions_not_a_select_of_every_code(world, as_user):
    body = as_user(world.bob).get(reverse("access-log")).content.decode()
    assert '<select name="participant"' not in body
    assert 'name="code"' in body
    assert 'list="participant-codes"' in body
    assert '<option value="RIV-101">' in body
    assert '<option value="RIV-201">' not in body  # South: not among the men Bob may see


def test_a_typed_code_leaves_the_address_for_his_id(world, as_user):
    bob = as_user(world.bob)
    response = bob.get(reverse("access-log"), {"code": "riv-101 ", "date_from": "2025-03-01"})
    assert response.status_code == 302
    location = response["Location"]
    assert "RIV-101" not in location.upper()
    assert f"participant={world.good.participant_id}" in location
    assert "date_from=2025-03-01" in location
    shown = bob.get(location).content.decode()
    assert 'value="RIV-101"' in shown  # the input shows whom the log is filtered on


def test_an_unknown_code_is_refused_naming_the_field(world, as_user):
    response = as_user(world.bob).get(reverse("access-log"), {"code": "RIV-201"})
    assert response.status_code == 400
    assert "Participant code: No man with the code “RIV-201”" in text(response)
    assert not AccessEvent.objects.filter(url_name="access-log").exists()
