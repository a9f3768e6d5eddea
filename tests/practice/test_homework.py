from __future__ import annotations

import datetime as dt

import time_machine

from alliance.practice.models import Assignment, LinkAttempt, PracticeLink, PracticeLog
from alliance.practice.tokens import MAX_FAILURES


def _steady():
    from alliance.practice.models import Practice

    return Practice.objects.get(slug="steady-breath")


def _assign_group(world, as_user, user=None):
    return as_user(user or world.alice).post(
        f"/groups/{world.group_a.pk}/homework/",
        {
            "practice": _steady().pk,
            "due_on": "2025-03-17",
            "session": world.todays_session_a.pk,
        },
    )


LOG = {
    "done": "yes",
    "minutes": "6",
    "calm_before": "3",
    "calm_after": "7",
    "threat_before": "8",
    "threat_after": "4",
    "connection_before": "2",
    "connection_after": "5",
    "note": "Hard to start.",
}


def test_a_facilitator_assigns_homework_to_her_group(world, as_user) -> None:
    assert _assign_group(world, as_user).status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.group == world.group_a
    assert assignment.session == world.todays_session_a
    assert assignment.due_on == dt.date(2025, 3, 17)
    assert assignment.assigned_by == world.alice


def test_another_groups_facilitator_cannot_assign(world, as_user) -> None:
    assert _assign_group(world, as_user, world.charlie).status_code == 404
    assert not Assignment.objects.exists()


def test_a_man_follows_and_logs_his_homework_by_phone(world, as_user, phone_token, client):
    _assign_group(world, as_user)
    token = phone_token()
    client.logout()
    home = client.get(f"/p/{token}/")
    assert home.status_code == 200
    assert "Steady breathing" in home.content.decode()
    assignment = Assignment.objects.get()
    page = client.get(f"/p/{token}/do/{assignment.pk}/")
    assert "Breathe in through the nose" in page.content.decode()
    assert 'id="timer"' in page.content.decode()
    response = client.post(f"/p/{token}/do/{assignment.pk}/", {**LOG, "key": "k1"})
    assert response.status_code == 200
    log = PracticeLog.objects.get()
    assert log.enrollment == world.good
    assert log.assignment == assignment
    assert log.done
    assert (log.minutes, log.calm_before, log.calm_after, log.threat_after) == (6, 3, 7, 4)
    assert "done once" in client.get(f"/p/{token}/").content.decode()


def test_a_retried_log_is_stored_once(world, as_user, phone_token, client) -> None:
    _assign_group(world, as_user)
    token = phone_token()
    assignment = Assignment.objects.get()
    for _ in range(3):
        assert (
            client.post(f"/p/{token}/do/{assignment.pk}/", {**LOG, "key": "same"}).status_code
            == 200
        )
    assert PracticeLog.objects.count() == 1
    client.post(f"/p/{token}/do/{assignment.pk}/", {**LOG, "key": "other", "done": "no"})
    assert PracticeLog.objects.count() == 2


def test_a_bad_rating_is_refused_and_nothing_is_stored(world, as_user, phone_token, client):
    _assign_group(world, as_user)
    token = phone_token()
    assignment = Assignment.objects.get()
    bad = {**LOG, "key": "k", "calm_after": "11"}
    assert client.post(f"/p/{token}/do/{assignment.pk}/", bad).status_code == 400
    assert not PracticeLog.objects.exists()


def test_another_mans_homework_is_unreachable(world, as_user, phone_token, client) -> None:
    as_user(world.charlie).post(
        f"/enrollments/{world.man_b.pk}/homework/",
        {"practice": _steady().pk, "due_on": "2025-03-17"},
    )
    theirs = Assignment.objects.get(enrollment=world.man_b)
    token = phone_token(world.good)
    assert client.get(f"/p/{token}/do/{theirs.pk}/").status_code == 404
    assert client.post(f"/p/{token}/do/{theirs.pk}/", {**LOG, "key": "x"}).status_code == 404
    assert "Steady" not in client.get(f"/p/{token}/").content.decode()
    assert not PracticeLog.objects.exists()


def test_an_expired_link_is_refused(world, as_user, phone_token, client) -> None:
    token = phone_token()
    with time_machine.travel(dt.datetime(2025, 3, 17, 21, tzinfo=dt.UTC), tick=False):
        response = client.get(f"/p/{token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_new_link_revokes_the_old_one(world, as_user, phone_token, client) -> None:
    old = phone_token()
    new = phone_token()
    assert client.get(f"/p/{old}/").status_code == 410
    assert client.get(f"/p/{new}/").status_code == 200
    assert PracticeLink.objects.filter(revoked_at__isnull=True).count() == 1
    assert all(len(link.token_hash) == 64 for link in PracticeLink.objects.all())
    assert not PracticeLink.objects.filter(token_hash=new).exists()


def test_guessing_tokens_is_rate_limited_but_his_own_link_still_opens(
    world, phone_token, client
) -> None:
    token = phone_token()
    for k in range(MAX_FAILURES):
        assert client.get(f"/p/guess-{k}/").status_code == 404
    assert client.get("/p/one-more-guess/").status_code == 429
    assert LinkAttempt.objects.count() == MAX_FAILURES
    # Whoever guessed from his address (the group room, a proxy) cannot take his link away.
    assert client.get(f"/p/{token}/").status_code == 200


def test_only_staff_who_see_him_can_issue_his_link(world, as_user) -> None:
    assert (
        as_user(world.charlie).post(f"/enrollments/{world.good.pk}/practice-link/").status_code
        == 404
    )
    assert (
        as_user(world.petra).post(f"/enrollments/{world.good.pk}/practice-link/").status_code == 404
    )
    assert not PracticeLink.objects.exists()
