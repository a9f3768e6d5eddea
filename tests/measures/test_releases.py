"""A man's releases: recorded and revoked by supervisors, managers and organization admins,
read by his facilitators, hidden from everyone else; every change names who made it, and
``reportable_scores`` follows what is recorded here."""

from __future__ import annotations

import pytest

from alliance.measures.models import Release
from alliance.measures.releases.selectors import reportable_scores
from alliance.participants.models import Enrollment
from tests.factories import World
from tests.measures.test_confidentiality import TODAY, stored_score
from tests.web.helpers import MISSING_ID, assert_same_not_found, text


def page(world: World, enrollment: Enrollment | None = None) -> str:
    return f"/enrollments/{(enrollment or world.good).pk}/releases/"


def form(**kw: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "recipient_kind": "court",
        "recipient_name": "Riverside District Court",
        "signed_on": "2025-03-03",
        "expires_on": "2025-09-03",
        "instrument_ids": ["scs_sf"],
    }
    fields.update(kw)
    return fields


def released_scores(world: World) -> set[str]:
    mine = Enrollment.objects.filter(pk=world.good.pk)
    out = reportable_scores(mine, releases=Release.objects.filter(enrollment__in=mine), today=TODAY)
    return set(out.values_list("instrument_id", flat=True))


@pytest.mark.parametrize("persona", ["bob", "mona", "olga"])
def test_senior_staff_record_a_release(world: World, as_user, persona: str) -> None:
    user = getattr(world, persona)
    response = as_user(user).post(page(world), form())
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.enrollment == world.good
    assert release.instrument_ids == ["scs_sf"]
    assert not release.all_therapeutic
    assert release.recorded_by == user
    assert release.history.get().history_user == user
    shown = text(as_user(user).get(page(world)))
    assert "Riverside District Court" in shown
    assert f"recorded by {user.get_username()}" in shown
    assert "in force" in shown


def test_a_recorded_release_lets_its_measures_into_reports(world: World, as_user) -> None:
    stored_score(world.good, "scs_sf", "therapeutic")
    stored_score(world.good, "alliance_checkout", "therapeutic")
    assert released_scores(world) == set()
    as_user(world.bob).post(page(world), form())
    assert released_scores(world) == {"scs_sf"}
    as_user(world.bob).post(page(world), form(instrument_ids=[], all_therapeutic="on"))
    assert released_scores(world) == {"scs_sf", "alliance_checkout"}


def test_revoking_stops_the_release_and_names_who_revoked(world: World, as_user) -> None:
    stored_score(world.good, "scs_sf", "therapeutic")
    as_user(world.bob).post(page(world), form())
    release = Release.objects.get()
    client = as_user(world.mona)
    response = client.post(f"/releases/{release.pk}/revoke/")
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revoked_by == world.mona
    first_revocation = release.revoked_at
    assert first_revocation is not None
    assert released_scores(world) == set()
    client.post(f"/releases/{release.pk}/revoke/")
    release.refresh_from_db()
    assert release.revoked_at == first_revocation
    assert [h.history_user for h in release.history.order_by("history_id")] == [
        world.bob,
        world.mona,
    ]
    shown = text(client.get(page(world)))
    assert "revoked by mona" in shown
    assert "recorded by bob" in shown


def test_a_double_click_records_one_release(world: World, as_user) -> None:
    client = as_user(world.bob)
    client.post(page(world), form())
    client.post(page(world), form())
    assert Release.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expires_on": "2025-03-01"}, "must expire on or after the day it is signed"),
        ({"signed_on": "2025-03-11"}, "cannot be signed in the future"),
        ({"instrument_ids": []}, "choose the measures it covers"),
        ({"instrument_ids": ["no_such_measure"]}, "instrument_ids"),
        ({"recipient_kind": "newspaper"}, "recipient_kind"),
    ],
    ids=["expires before signing", "signed tomorrow", "no scope", "unknown measure", "recipient"],
)
def test_a_bad_release_is_refused_and_nothing_is_written(
    world: World, as_user, fields: dict[str, object], message: str
) -> None:
    response = as_user(world.bob).post(page(world), form(**fields))
    assert response.status_code == 400
    assert message in text(response)
    assert not Release.objects.exists()


def test_facilitators_read_releases_but_cannot_record_or_revoke(world: World, as_user) -> None:
    as_user(world.bob).post(page(world), form())
    release = Release.objects.get()
    client = as_user(world.alice)
    shown = client.get(page(world))
    assert shown.status_code == 200
    assert "Riverside District Court" in text(shown)
    assert "Record release" not in text(shown)
    assert "Revoke" not in text(shown)
    assert client.post(page(world), form(recipient_name="Other")).status_code == 404
    assert client.post(f"/releases/{release.pk}/revoke/").status_code == 404
    release.refresh_from_db()
    assert release.revoked_at is None
    assert Release.objects.count() == 1


@pytest.mark.parametrize("persona", ["eve", "petra", "outsider"])
def test_evaluators_partner_safety_and_outsiders_see_nothing(
    world: World, as_user, persona: str
) -> None:
    as_user(world.bob).post(page(world), form())
    release = Release.objects.get()
    client = as_user(getattr(world, persona))
    assert_same_not_found(
        client.get(page(world)), client.get(f"/enrollments/{MISSING_ID}/releases/")
    )
    assert client.post(page(world), form()).status_code == 404
    assert client.post(f"/releases/{release.pk}/revoke/").status_code == 404
    assert Release.objects.get().revoked_at is None


def test_staff_of_another_site_see_nothing_of_his_releases(world: World, as_user) -> None:
    client = as_user(world.charlie)
    assert_same_not_found(
        client.get(page(world)), client.get(f"/enrollments/{MISSING_ID}/releases/")
    )
    # Bob supervises North: RIV-201 at South is not his to release.
    assert as_user(world.bob).post(page(world, world.man_b), form()).status_code == 404
    assert not Release.objects.exists()


def test_his_page_links_to_his_releases(world: World, as_user) -> None:
    shown = as_user(world.alice).get(f"/participants/{world.good.participant_id}/?tab=measures")
    assert page(world) in shown.content.decode()


def test_a_man_who_completed_still_has_his_releases_page(world: World, as_user) -> None:
    Enrollment.objects.filter(pk=world.good.pk).update(status="completed", ended_on=TODAY)
    client = as_user(world.bob)
    shown = client.get(f"/participants/{world.good.participant_id}/?tab=measures").content.decode()
    assert page(world) in shown
    assert "(completed)" in shown
    assert client.post(page(world), form()).status_code == 302
    assert Release.objects.get().enrollment_id == world.good.pk
