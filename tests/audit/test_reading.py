"""GET /audit/ and /audit/access-log.csv — supervisors read who viewed which record."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from alliance.audit.models import AccessEvent
from tests.web.helpers import assert_redirects_to_login, text


@pytest.fixture
def viewed(world, as_user):
    """Alice opens RIV-101, Charlie opens RIV-201 (South) and tries RIV-101 (refused)."""
    as_user(world.alice).get(reverse("participant", args=[world.good.participant_id]))
    as_user(world.charlie).get(reverse("participant", args=[world.man_b.participant_id]))
    as_user(world.charlie).get(reverse("participant", args=[world.good.participant_id]))
    assert AccessEvent.objects.count() == 3
    return world


def rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_supervisor_sees_views_of_the_men_in_her_sites_only(viewed, as_user):
    response = as_user(viewed.bob).get(reverse("access-log"))

    assert response.status_code == 200
    body = text(response)
    # Staff by name and the outcome in words (issue 18, D12/D23).
    assert "<td>Alice Tester</td>" in body
    assert "<td>Charlie Tester</td>" in body  # his refused attempt at RIV-101, a North man
    assert "<td>Refused</td>" in body
    assert "RIV-201" not in body  # a South man: not Bob's scope (nor among his code choices)


def test_the_org_admin_sees_every_site(viewed, as_user):
    body = text(as_user(viewed.olga).get(reverse("access-log")))

    assert "RIV-201" in body[body.index("<table") :]
    assert "RIV-101" in body


@pytest.mark.parametrize("persona", ["alice", "charlie", "eve", "petra"])
def test_other_roles_and_outsiders_get_the_same_not_found(viewed, as_user, persona):
    client = as_user(getattr(viewed, persona))
    assert client.get(reverse("access-log")).status_code == 404
    assert client.get(reverse("access-log-csv")).status_code == 404


def test_the_admin_of_another_organization_sees_none_of_riverside(viewed, as_user):
    client = as_user(viewed.outsider)
    assert "No views recorded" in text(client.get(reverse("access-log")))
    assert rows(client.get(reverse("access-log-csv"))) == []


def test_anonymous_is_sent_to_login(client, world):
    assert_redirects_to_login(client.get(reverse("access-log")), reverse("access-log"))


def test_filters_by_participant_user_and_dates(viewed, as_user):
    client = as_user(viewed.olga)
    by_man = rows(
        client.get(reverse("access-log-csv"), {"participant": viewed.good.participant_id})
    )
    assert {r["user"] for r in by_man} == {"alice", "charlie"}
    assert {r["participant_code"] for r in by_man} == {"RIV-101"}

    by_user = rows(client.get(reverse("access-log-csv"), {"user": viewed.charlie.pk}))
    assert sorted(r["participant_code"] for r in by_user) == ["RIV-101", "RIV-201"]
    assert sorted(r["outcome"] for r in by_user) == ["refused", "shown"]

    today = viewed.today.isoformat()
    tomorrow = (viewed.today + dt.timedelta(days=1)).isoformat()
    assert len(rows(client.get(reverse("access-log-csv"), {"date_from": today}))) == 3
    assert rows(client.get(reverse("access-log-csv"), {"date_from": tomorrow})) == []


def test_the_export_has_one_row_per_view_with_ids_in_the_path(viewed, as_user):
    exported = rows(as_user(viewed.olga).get(reverse("access-log-csv")))

    assert len(exported) == 3
    first = exported[-1]  # oldest last
    assert first["user"] == "alice"
    assert first["page"] == "participant"
    assert first["method"] == "GET"
    assert first["status"] == "200"
    assert first["path"] == f"/participants/{viewed.good.participant_id}/"
    assert first["when"].startswith("2025-03-10T09:45")  # Auckland time


def test_a_bad_date_is_refused_naming_the_field(viewed, as_user):
    client = as_user(viewed.bob)
    page = client.get(reverse("access-log"), {"date_from": "10/03/2025x"})
    assert page.status_code == 400
    assert "From:" in text(page)

    export = client.get(
        reverse("access-log-csv"), {"date_from": "2025-03-10", "date_to": "2025-03-01"}
    )
    assert export.status_code == 400
    assert "date_to" in text(export)


def test_a_man_outside_her_scope_cannot_be_chosen_as_a_filter(viewed, as_user):
    response = as_user(viewed.bob).get(
        reverse("access-log"), {"participant": viewed.man_b.participant_id}
    )
    assert response.status_code == 400


def test_his_page_links_supervisors_to_who_viewed_it(world, as_user):
    participant_id = world.good.participant_id
    link = f"{reverse('access-log')}?participant={participant_id}"
    assert link in text(as_user(world.bob).get(reverse("participant", args=[participant_id])))
    assert link not in text(as_user(world.alice).get(reverse("participant", args=[participant_id])))
