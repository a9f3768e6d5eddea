from __future__ import annotations

from alliance.practice.models import AccountabilityLog, Feedback, PlanGoal
from alliance.practice.selectors import reportable_practice

ACCOUNT = {
    "situation": "She asked where I had been.",
    "what_he_did": "I shouted and slammed the door.",
    "what_he_wanted": "To be left alone.",
    "belief_then": "That she was checking up on me.",
    "effect_on_partner": "She was scared.",
    "effect_on_children": "My son hid upstairs.",
    "minimising": "on",
    "blaming": "on",
    "could_do_instead": "Say I need a time-out.",
    "repair_step": "Keep my word about Saturday with my son.",
}


def _write(client, token, key="a1", **extra):
    return client.post(f"/p/{token}/account/", {**ACCOUNT, "key": key, **extra})


def test_a_man_writes_an_accountability_log_once_even_if_retried(world, phone_token, client):
    token = phone_token()
    assert _write(client, token).status_code == 200
    assert _write(client, token).status_code == 200
    log = AccountabilityLog.objects.get()
    assert log.enrollment == world.good
    assert (log.minimising, log.denying, log.blaming) == (True, False, True)
    assert log.effect_on_children == "My son hid upstairs."


def test_it_requires_the_situation_and_what_he_did(world, phone_token, client) -> None:
    token = phone_token()
    assert _write(client, token, what_he_did="").status_code == 400
    assert not AccountabilityLog.objects.exists()


def test_the_facilitator_reads_replies_and_sees_tallies(world, phone_token, as_user) -> None:
    token = phone_token()
    _write(as_user(world.alice), token, key="a1")
    _write(as_user(world.alice), token, key="a2", minimising="", denying="on")
    alice = as_user(world.alice)
    page = alice.get(f"/participants/{world.good.participant_id}/practice/").content.decode()
    assert "I shouted and slammed the door." in page
    assert '<th scope="row">All</th><td>2</td><td>1</td><td>1</td><td>2</td>' in page
    log = AccountabilityLog.objects.first()
    alice.post(f"/accountability/{log.pk}/feedback/", {"body": "Thank you for naming it."})
    assert Feedback.objects.get().author == world.alice
    assert (
        "Thank you for naming it."
        in alice.get(f"/participants/{world.good.participant_id}/practice/").content.decode()
    )


def test_other_staff_cannot_read_or_reply(world, phone_token, as_user) -> None:
    _write(as_user(world.alice), phone_token())
    log = AccountabilityLog.objects.get()
    for user in (world.charlie, world.petra, world.eve, world.outsider):
        client = as_user(user)
        assert client.get(f"/participants/{world.good.participant_id}/practice/").status_code == 404
        assert client.post(f"/accountability/{log.pk}/feedback/", {"body": "x"}).status_code == 404
    assert not Feedback.objects.exists()


def test_a_facilitator_sets_plan_goals_with_review_dates(world, as_user) -> None:
    client = as_user(world.alice)
    client.post(
        f"/enrollments/{world.good.pk}/plan/",
        {"goal": "Use a time-out before shouting", "review_on": "2025-04-07"},
    )
    goal = PlanGoal.objects.get()
    assert goal.enrollment == world.good
    assert str(goal.review_on) == "2025-04-07"
    assert (
        as_user(world.charlie)
        .post(f"/enrollments/{world.good.pk}/plan/", {"goal": "x", "review_on": "2025-04-07"})
        .status_code
        == 404
    )


def test_nothing_here_is_reportable_even_with_data(world, phone_token, as_user) -> None:
    _write(as_user(world.alice), phone_token())
    assert AccountabilityLog.objects.exists()
    assert all(rows == [] for rows in reportable_practice(world.good).values())
