"""The group-room kiosk: roster by initials, PIN per man, his own check-out only."""

from __future__ import annotations

import datetime as dt

import time_machine

from alliance.measures.administration import tokens
from alliance.measures.administration.tokens import hash_token
from alliance.measures.models import Administration, ItemResponse, Kiosk, KioskAttempt
from tests.factories import World
from tests.measures.conftest import checkout, token_in
from tests.web.helpers import HTMX, MISSING_ID, assert_same_not_found, text


def open_kiosk(client, world: World) -> str:
    response = client.post(f"/sessions/{world.todays_session_a.pk}/kiosk/")
    assert response.status_code == 200
    return token_in(text(response), "/kiosk/")


def sign_in(tablet, token: str, enrollment_id: int, pin: str):
    return tablet.post(f"/kiosk/{token}/man/{enrollment_id}/", {"pin": pin})


def test_a_facilitator_opens_a_kiosk_until_the_end_of_the_day(world: World, as_user) -> None:
    token = open_kiosk(as_user(world.alice), world)
    kiosk = Kiosk.objects.get()
    assert kiosk.token_hash == hash_token(token)
    assert kiosk.opened_by == world.alice
    local_end = kiosk.expires_at.astimezone(world.program.tzinfo)
    assert (local_end.date(), local_end.time()) == (dt.date(2025, 3, 11), dt.time(0))


def test_another_groups_facilitator_cannot_open_a_kiosk(world: World, as_user) -> None:
    client = as_user(world.charlie)
    forbidden = client.post(f"/sessions/{world.todays_session_a.pk}/kiosk/")
    missing = client.post(f"/sessions/{MISSING_ID}/kiosk/")
    assert_same_not_found(forbidden, missing)
    assert not Kiosk.objects.exists()


def test_the_roster_shows_initials_only(world: World, as_user, anonymous, pins) -> None:
    token = open_kiosk(as_user(world.alice), world)
    body = text(anonymous.get(f"/kiosk/{token}/"))
    for initials in ("AB", "CD", "EF", "GH"):
        assert f">{initials}</a>" in body
    assert "RIV-" not in body
    assert "Group A" not in body


def test_a_signed_in_staff_browser_is_signed_out_before_it_becomes_a_kiosk(
    world: World, as_user
) -> None:
    client = as_user(world.alice)
    token = open_kiosk(client, world)
    page = client.get(f"/kiosk/{token}/")
    assert "Sign out and start the kiosk" in text(page)
    assert ">AB</a>" not in text(page)  # (a bare "AB" may occur in the random token)
    client.post(f"/kiosk/{token}/")
    assert client.get("/").status_code == 302  # staff pages now ask for a login


def test_a_man_with_his_pin_fills_in_his_check_out_item_by_item(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    response = sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    assert response.status_code == 302
    form = anonymous.get(f"/kiosk/{token}/checkout/")
    assert "Today I felt respected" in text(form)
    saved = anonymous.post(
        f"/kiosk/{token}/checkout/save/", {"item_checkout_respected": "9"}, headers=HTMX
    )
    assert saved.status_code == 200
    administration = Administration.objects.get()
    assert administration.enrollment == world.good
    assert administration.session == world.todays_session_a
    assert administration.channel == "kiosk"
    assert administration.status == "partial"
    assert list(administration.responses.values_list("item_id", "value")) == [
        ("checkout_respected", 9.0)
    ]
    done = anonymous.post(f"/kiosk/{token}/checkout/", checkout("", 8, 7, 8, key="d" * 32))
    assert done.status_code == 200
    assert "Thank you" in text(done)
    administration.refresh_from_db()
    assert administration.status == "complete"
    assert administration.scores.get(scale_id="total").value == 8.0


def test_a_double_tap_on_send_records_one_check_out(world: World, as_user, anonymous, pins) -> None:
    token = open_kiosk(as_user(world.alice), world)
    sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    form = checkout(8, 8, 8, 8, key="x" * 32)
    first = anonymous.post(f"/kiosk/{token}/checkout/", form)
    second = anonymous.post(f"/kiosk/{token}/checkout/", form)
    assert first.status_code == second.status_code == 200
    assert "Thank you" in text(second)
    assert Administration.objects.count() == 1
    assert ItemResponse.objects.count() == 4


def test_after_sending_the_next_man_cannot_see_his_answers(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    anonymous.post(f"/kiosk/{token}/checkout/", checkout(3, 4, 3, 4, key="y" * 32))
    after = anonymous.get(f"/kiosk/{token}/checkout/")
    assert after.status_code == 302
    assert after["Location"] == f"/kiosk/{token}/"
    sign_in(anonymous, token, world.at_limit.pk, pins[world.at_limit.pk])
    next_man = text(anonymous.get(f"/kiosk/{token}/checkout/"))
    assert 'value="3" checked' not in next_man
    assert 'value="4" checked' not in next_man


def test_an_unfinished_check_out_is_kept_and_hidden_when_he_walks_away(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    anonymous.post(f"/kiosk/{token}/checkout/save/", {"item_checkout_respected": "2"}, headers=HTMX)
    anonymous.get(f"/kiosk/{token}/")  # back at the roster: he is signed out
    assert anonymous.get(f"/kiosk/{token}/checkout/").status_code == 302
    refused = anonymous.post(
        f"/kiosk/{token}/checkout/save/", {"item_checkout_honest": "1"}, headers=HTMX
    )
    assert refused.status_code == 403
    assert list(ItemResponse.objects.values_list("item_id", "value")) == [
        ("checkout_respected", 2.0)
    ]
    # He comes back: his answer is still there.
    sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    again = text(anonymous.get(f"/kiosk/{token}/checkout/"))
    assert 'name="item_checkout_respected" value="2" checked' in again


def test_five_wrong_pins_lock_the_kiosk_for_ten_minutes(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    right = pins[world.good.pk]
    wrong = f"{(int(right) + 1) % 10000:04d}"
    for _ in range(5):
        assert sign_in(anonymous, token, world.good.pk, wrong).status_code == 400
    locked = sign_in(anonymous, token, world.good.pk, right)
    assert locked.status_code == 429
    assert "Too many wrong PINs" in text(locked)
    assert not Administration.objects.exists()
    assert KioskAttempt.objects.filter(succeeded=False).count() == 5
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10, seconds=1)):
        assert sign_in(anonymous, token, world.good.pk, right).status_code == 302


def test_a_pin_opens_only_its_own_man(world: World, as_user, anonymous, pins) -> None:
    token = open_kiosk(as_user(world.alice), world)
    response = sign_in(anonymous, token, world.good.pk, pins[world.at_limit.pk])
    if pins[world.at_limit.pk] == pins[world.good.pk]:  # 1 in 10,000: nothing to test
        return
    assert response.status_code == 400
    assert not Administration.objects.exists()


def test_a_man_not_on_this_sessions_list_cannot_be_picked(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    other_group = anonymous.get(f"/kiosk/{token}/man/{world.man_b.pk}/")
    missing = anonymous.get(f"/kiosk/{token}/man/{MISSING_ID}/")
    assert_same_not_found(other_group, missing)


def test_the_kiosk_dies_at_the_end_of_the_day(world: World, as_user, anonymous, pins) -> None:
    token = open_kiosk(as_user(world.alice), world)
    tomorrow = dt.datetime(2025, 3, 10, 11, 0, 1, tzinfo=dt.UTC)  # 00:00:01 on 11 March, NZ
    with time_machine.travel(tomorrow):
        page = anonymous.get(f"/kiosk/{token}/")
        pin = sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    assert page.status_code == 410
    assert pin.status_code == 410
    assert not Administration.objects.exists()


def test_a_closed_kiosk_refuses_and_flags_men_without_a_check_out(
    world: World, as_user, anonymous, pins, group_a_present
) -> None:
    client = as_user(world.alice)
    token = open_kiosk(client, world)
    sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    anonymous.post(f"/kiosk/{token}/checkout/", checkout(8, 8, 8, 8, key="z" * 32))
    kiosk = Kiosk.objects.get()
    assert client.post(f"/kiosks/{kiosk.pk}/close/").status_code == 302
    assert anonymous.get(f"/kiosk/{token}/").status_code == 410
    flagged = set(
        world.todays_session_a.group.program.enrollments.filter(
            alerts__kind="missed_measure"
        ).values_list("participant__code", flat=True)
    )
    assert flagged == {"RIV-102", "RIV-103", "RIV-104"}


def test_another_groups_facilitator_cannot_close_the_kiosk(world: World, as_user) -> None:
    open_kiosk(as_user(world.alice), world)
    kiosk = Kiosk.objects.get()
    client = as_user(world.charlie)
    assert_same_not_found(
        client.post(f"/kiosks/{kiosk.pk}/close/"), client.post(f"/kiosks/{MISSING_ID}/close/")
    )
    kiosk.refresh_from_db()
    assert kiosk.closed_at is None


def test_a_man_who_already_checked_out_is_told_so(world: World, as_user, anonymous, pins) -> None:
    token = open_kiosk(as_user(world.alice), world)
    sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    anonymous.post(f"/kiosk/{token}/checkout/", checkout(8, 8, 8, 8, key="q" * 32))
    again = sign_in(anonymous, token, world.good.pk, pins[world.good.pk])
    assert again.status_code == 200
    assert "already received" in text(again)
    assert Administration.objects.count() == 1


def test_wrong_pins_for_one_man_do_not_lock_the_others_out(
    world: World, as_user, anonymous, pins
) -> None:
    token = open_kiosk(as_user(world.alice), world)
    right = pins[world.good.pk]
    wrong = f"{(int(right) + 1) % 10000:04d}"
    for _ in range(5):
        assert sign_in(anonymous, token, world.good.pk, wrong).status_code == 400

    # Someone at the tablet typing wrong PINs for RIV-101 does not shut it for the group.
    other = sign_in(anonymous, token, world.at_limit.pk, pins[world.at_limit.pk])

    assert other.status_code == 302
    assert sign_in(anonymous, token, world.good.pk, right).status_code == 429


def test_wrong_pins_for_many_men_hit_the_cap_of_the_tablet(
    world: World, as_user, anonymous, pins, monkeypatch
) -> None:
    monkeypatch.setattr(tokens, "KIOSK_MAX_FAILURES_PER_KIOSK", 6)
    token = open_kiosk(as_user(world.alice), world)
    men = [world.good, world.at_limit, world.breach]
    for enrollment in men:
        for _ in range(2):
            wrong = f"{(int(pins[enrollment.pk]) + 1) % 10000:04d}"
            assert sign_in(anonymous, token, enrollment.pk, wrong).status_code == 400

    capped = sign_in(anonymous, token, world.late_joiner.pk, pins[world.late_joiner.pk])

    assert capped.status_code == 429
    assert KioskAttempt.objects.count() == 6  # the refused one was not checked
