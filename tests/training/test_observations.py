"""Fidelity observations: recorded by supervisors, read by the facilitator observed (who alone
acknowledges) and by the organization's supervisors, managers and admins; nobody else."""

from __future__ import annotations

from alliance.training.models import Observation


def observe(client, world, **overrides):
    data = {
        "facilitator": str(world.alice.pk),
        "observed_on": "2025-03-10",
        "session": "",
        "score_accountability_without_shaming": "2",
        "score_welcome": "1",
        "score_curiosity": "",
        "strengths": "Named his own pattern first, which set the tone.",
        "feedback": "Leave a longer pause after a hard question.",
        "follow_up": "Talk through the silence in supervision on Friday.",
    }
    return client.post("/training/observations/new/", {**data, **overrides})


def test_the_supervisor_records_an_observation_and_she_reads_and_acknowledges_it(world, as_user):
    response = observe(as_user(world.bob), world)
    record = Observation.objects.get()
    assert response["Location"] == f"/training/observations/{record.pk}/"
    assert record.scores == {"accountability_without_shaming": 2, "welcome": 1}
    assert (record.observer, record.facilitator, record.checklist_version) == (
        world.bob,
        world.alice,
        "1.0.0",
    )

    alice = as_user(world.alice)
    listing = alice.get("/training/observations/").content.decode()
    assert "3 of 4" in listing
    page = alice.get(f"/training/observations/{record.pk}/").content.decode()
    assert "Invited accountability without shaming." in page
    assert "Invited him to name his own behaviour with warmth and firmness." in page
    assert "I have read this observation" in page
    alice.post(f"/training/observations/{record.pk}/acknowledge/", {"comment": "Agreed."})
    record.refresh_from_db()
    assert record.acknowledged_at is not None
    assert record.facilitator_comment == "Agreed."
    assert record.history.count() == 2


def test_only_the_facilitator_observed_acknowledges(world, as_user):
    observe(as_user(world.bob), world)
    record = Observation.objects.get()
    for user in (world.bob, world.mona, world.charlie):
        response = as_user(user).post(f"/training/observations/{record.pk}/acknowledge/")
        assert response.status_code == 404
    record.refresh_from_db()
    assert record.acknowledged_at is None


def test_a_colleague_and_other_roles_never_see_it(world, as_user):
    observe(as_user(world.bob), world)
    record = Observation.objects.get()
    for user in (world.charlie, world.eve, world.petra, world.ines, world.outsider):
        assert as_user(user).get(f"/training/observations/{record.pk}/").status_code == 404
    assert (
        "Leave a longer pause"
        not in as_user(world.charlie).get("/training/observations/").content.decode()
    )
    assert as_user(world.mona).get(f"/training/observations/{record.pk}/").status_code == 200


def test_a_score_outside_the_anchors_and_an_empty_checklist_are_refused(world, as_user):
    client = as_user(world.bob)
    bad = observe(client, world, score_welcome="3")
    assert bad.status_code == 400
    assert "welcomed each man by name" in bad.content.decode().lower()
    # The scores already chosen come back checked.
    assert 'name="score_accountability_without_shaming" value="2" checked' in bad.content.decode()
    empty = observe(
        client, world, score_accountability_without_shaming="", score_welcome=""
    ).content.decode()
    assert "scores: score at least one item (0, 1 or 2)." in empty
    future = observe(client, world, observed_on="2025-03-11").content.decode()
    assert "date: 11 Mar 2025 is in the future." in future
    assert not Observation.objects.exists()


def test_a_facilitator_cannot_record_one(world, as_user):
    assert observe(as_user(world.alice), world).status_code == 404
    assert not Observation.objects.exists()
