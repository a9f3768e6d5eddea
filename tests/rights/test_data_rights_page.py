"""The organization admin's data-rights page: retention in force, exports made, purges run."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from alliance.organizations.models import Membership
from alliance.rights.models import DataExport, RetentionPolicy, RetentionPurge
from tests.web.conftest import TODAY
from tests.web.helpers import assert_same_not_found, text

URL = "/rights/"


def cutoff(years: int) -> str:
    return f"{TODAY.replace(year=TODAY.year - years):%-d %b %Y}"


def other_org(world):
    return Membership.objects.get(user=world.outsider).organization


@override_settings(RETENTION_YEARS=7)
def test_the_org_admin_sees_the_default_policy_and_its_cutoff(world, as_user):
    response = as_user(world.olga).get(URL)

    assert response.status_code == 200
    body = text(response)
    assert "7 years" in body
    assert "the default; this organization has set none" in body
    assert cutoff(7) in body


def test_the_org_admin_sets_and_clears_the_policy_and_each_change_is_recorded(world, as_user):
    client = as_user(world.olga)

    response = client.post(URL, {"years": "3"})

    assert response.status_code == 302
    assert RetentionPolicy.objects.get(organization=world.riverside).years == 3
    body = text(client.get(URL))
    assert "this organization's policy; the default is" in body
    assert cutoff(3) in body

    response = client.post(URL, {"clear": "1"})

    assert response.status_code == 302
    assert not RetentionPolicy.objects.filter(organization=world.riverside).exists()
    changes = list(
        RetentionPolicy.history.filter(organization_id=world.riverside.pk).order_by("history_id")
    )
    assert [(c.history_type, c.years, c.history_user_id) for c in changes] == [
        ("+", 3, world.olga.pk),
        ("-", 3, world.olga.pk),
    ]
    body = text(client.get(URL))
    assert "Set to 3 years" in body
    assert "Cleared (default applies)" in body


def test_bad_years_are_refused_naming_the_field_and_nothing_is_written(world, as_user):
    client = as_user(world.olga)
    for bad in ["0", "51", "2.5", "seven", ""]:
        response = client.post(URL, {"years": bad})

        assert response.status_code == 400, bad
        assert "Retention years:" in text(response), bad
    assert not RetentionPolicy.objects.filter(organization=world.riverside).exists()
    assert not RetentionPolicy.history.exists()


def test_the_policy_of_another_organization_is_neither_shown_nor_changed(world, as_user):
    RetentionPolicy.objects.create(organization=world.riverside, years=11)
    client = as_user(world.outsider)

    body = text(client.get(URL))
    assert "11 year" not in body

    client.post(URL, {"years": "2"})

    assert RetentionPolicy.objects.get(organization=world.riverside).years == 11
    assert RetentionPolicy.objects.get(organization=other_org(world)).years == 2


def test_exports_show_who_when_and_the_mans_id_with_his_code_only_for_a_man_she_may_see(
    world, as_user
):
    man = world.good.participant
    now = timezone.now()
    DataExport.objects.create(
        organization=world.riverside,
        participant_pk=man.pk,
        actor=world.mona,
        exported_at=now,
        row_count=42,
    )
    DataExport.objects.create(  # a man since purged: only his id is left
        organization=world.riverside,
        participant_pk=987654,
        actor=world.olga,
        exported_at=now - dt.timedelta(days=1),
        row_count=5,
    )

    body = text(as_user(world.olga).get(URL))

    assert (world.mona.get_full_name() or "mona") in body
    assert f"id {man.pk}" in body
    assert man.code in body
    assert f'href="/participants/{man.pk}/"' in body
    assert "id 987654" in body
    assert "42" in body

    outsider_body = text(as_user(world.outsider).get(URL))
    assert man.code not in outsider_body
    assert "987654" not in outsider_body
    assert "No exports yet." in outsider_body


def test_purge_runs_show_when_how_many_policy_and_cutoff_for_her_organization_only(world, as_user):
    RetentionPurge.objects.create(
        organization=world.riverside,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        policy_years=9,
        cutoff=dt.date(2016, 3, 9),
        purged_count=4,
        purged_ids=[1, 2, 3, 4],
    )

    body = text(as_user(world.olga).get(URL))
    assert "9 years" in body
    assert "2016-03-09" in body
    assert "<td>4</td>" in body

    outsider_body = text(as_user(world.outsider).get(URL))
    assert "2016-03-09" not in outsider_body
    assert "No purge runs yet." in outsider_body


def test_everyone_but_an_org_admin_gets_the_404_of_a_missing_page(world, as_user):
    missing = as_user(world.mona).get("/no-such-page/")
    for person in [world.mona, world.bob, world.alice, world.eve, world.petra]:
        client = as_user(person)
        assert_same_not_found(client.get(URL), client.get("/rights-missing/"))
        assert client.post(URL, {"years": "2"}).status_code == 404
    assert missing.status_code == 404
    assert not RetentionPolicy.objects.exists()


def test_only_the_org_admin_gets_the_navigation_link(world, as_user):
    assert f'href="{URL}"' in text(as_user(world.olga).get("/"))
    assert f'href="{URL}"' not in text(as_user(world.mona).get("/"))
