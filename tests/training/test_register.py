"""My training and a colleague's register: recording hours and credentials, refusals naming the
field, and who may write to whose register."""

from __future__ import annotations

from decimal import Decimal

from alliance.organizations.models import Membership
from alliance.training.models import Credential, TrainingEntry


def entry(**overrides):
    data = {
        "kind": "core",
        "topic": "Intake and assessment",
        "provider": "County shelter",
        "completed_on": "2025-03-08",
        "hours": "4",
        "evidence_note": "Certificate 42",
    }
    return {**data, **overrides}


def membership(user) -> Membership:
    return Membership.objects.get(user=user)


def test_she_records_her_own_core_hours_and_the_page_shows_them(world, as_user):
    client = as_user(world.alice)
    response = client.post(f"/training/people/{membership(world.alice).pk}/entries/", entry())
    assert response.status_code == 302
    assert response["Location"] == "/training/"
    row = TrainingEntry.objects.get(person=world.alice)
    assert (row.kind, row.hours, row.recorded_by) == ("core", Decimal("4.00"), world.alice)
    assert row.history.count() == 1
    page = client.get("/training/").content.decode()
    assert "Intake and assessment" in page
    assert "Certificate 42" in page


def test_hours_must_be_above_zero_and_at_most_24(world, as_user):
    client = as_user(world.alice)
    url = f"/training/people/{membership(world.alice).pk}/entries/"
    zero = client.post(url, entry(hours="0"), follow=True).content.decode()
    assert "hours: must be more than 0." in zero
    many = client.post(url, entry(hours="25"), follow=True).content.decode()
    assert "hours: at most 24 in one day&#x27;s entry" in many
    assert not TrainingEntry.objects.exists()


def test_completed_training_cannot_be_dated_in_the_future(world, as_user):
    client = as_user(world.alice)
    url = f"/training/people/{membership(world.alice).pk}/entries/"
    page = client.post(url, entry(completed_on="2025-03-11"), follow=True).content.decode()
    assert "date: 11 Mar 2025 is in the future" in page
    assert not TrainingEntry.objects.exists()


def test_a_missing_topic_is_named(world, as_user):
    client = as_user(world.alice)
    url = f"/training/people/{membership(world.alice).pk}/entries/"
    page = client.post(url, entry(topic=""), follow=True).content.decode()
    assert "topic: This field is required." in page


def test_a_credential_must_expire_after_it_was_issued(world, as_user):
    client = as_user(world.alice)
    url = f"/training/people/{membership(world.alice).pk}/credentials/"
    page = client.post(
        url,
        {"name": "LCSW licence", "issued_on": "2024-05-01", "expires_on": "2024-04-30"},
        follow=True,
    ).content.decode()
    assert "expires on: must be after the issue date (1 May 2024)" in page
    assert not Credential.objects.exists()
    client.post(url, {"name": "LCSW licence", "issued_on": "2024-05-01", "expires_on": ""})
    assert Credential.objects.get(person=world.alice).expires_on is None


def test_her_supervisor_records_training_for_her(world, as_user):
    client = as_user(world.bob)
    url = f"/training/people/{membership(world.alice).pk}/entries/"
    response = client.post(url, entry(kind="trainee", topic="Co-facilitated group A"))
    assert response["Location"] == f"/training/people/{membership(world.alice).pk}/"
    row = TrainingEntry.objects.get(person=world.alice)
    assert row.recorded_by == world.bob
    assert "Co-facilitated group A" in client.get(response["Location"]).content.decode()


def test_a_colleague_can_neither_read_nor_write_her_register(world, as_user):
    client = as_user(world.charlie)
    pk = membership(world.alice).pk
    assert client.get(f"/training/people/{pk}/").status_code == 404
    assert client.post(f"/training/people/{pk}/entries/", entry()).status_code == 404
    assert not TrainingEntry.objects.exists()


def test_another_organizations_admin_gets_404(world, as_user):
    client = as_user(world.outsider)
    pk = membership(world.alice).pk
    assert client.get(f"/training/people/{pk}/").status_code == 404
    assert client.post(f"/training/people/{pk}/credentials/", {"name": "x"}).status_code == 404
