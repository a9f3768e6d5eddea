"""Alerts, named per man: low check-out, a drop from his previous one, a low rating, a missed
check-out; shown on the facilitator's home and his page, with acknowledgement."""

from __future__ import annotations

import datetime as dt

from alliance.measures.administration.services import (
    start_administration,
    submit_administration,
)
from alliance.measures.alerts.services import flag_missed_checkouts
from alliance.measures.models import Alert, MeasureSettings
from alliance.measures.registry import definition_for
from alliance.programs.models import Session
from tests.factories import World
from tests.web.helpers import HTMX, MISSING_ID, assert_same_not_found, text


def record_checkout(world: World, enrollment, session: Session, *values: float) -> None:
    """A check-out as the kiosk would record it (the services are tested through HTTP
    elsewhere; here only the alert rules matter)."""
    administration = start_administration(
        actor=None,
        enrollment=enrollment,
        definition=definition_for("alliance_checkout"),
        respondent="participant",
        channel="kiosk",
        administered_on=session.held_on,
        idempotency_key=f"c{session.pk}-{enrollment.pk}",
        session=session,
        occasion="session",
    )
    items = [i.id for i in definition_for("alliance_checkout").items]
    submit_administration(
        actor=None,
        administration=administration,
        answers=dict(zip(items, values, strict=True)),
        submission_key=f"s{session.pk}-{enrollment.pk}",
    )


def test_a_check_out_below_the_cutoff_raises_an_alert(world: World) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 5, 5, 6, 5)
    alert = Alert.objects.get()
    assert alert.kind == "low_checkout"
    assert alert.enrollment == world.good
    assert alert.session == world.sessions_a[-2]
    assert "5.2 on 3 Mar 2025 is below the program's cutoff of 6" in alert.detail


def test_the_cutoff_is_the_programs_own(world: World) -> None:
    MeasureSettings.objects.create(program=world.program, checkout_cutoff=4)
    record_checkout(world, world.good, world.sessions_a[-2], 5, 5, 6, 5)
    assert not Alert.objects.exists()


def test_a_drop_from_his_own_previous_check_out_raises_an_alert(world: World) -> None:
    record_checkout(world, world.good, world.sessions_a[-3], 9, 9, 9, 9)
    record_checkout(world, world.good, world.sessions_a[-2], 7, 7, 7, 6)
    alert = Alert.objects.get()
    assert alert.kind == "checkout_drop"
    assert "fell from 9.0 to 6.8" in alert.detail


def test_a_small_dip_raises_nothing(world: World) -> None:
    record_checkout(world, world.good, world.sessions_a[-3], 9, 9, 9, 9)
    record_checkout(world, world.good, world.sessions_a[-2], 8, 8, 7, 8)
    assert not Alert.objects.exists()


def test_a_man_who_attended_without_a_check_out_is_flagged_once(world: World) -> None:
    session = world.sessions_a[5]  # RIV-102 and RIV-103 were absent; RIV-101 and 104 came
    record_checkout(world, world.good, session, 8, 8, 8, 8)
    flag_missed_checkouts(session=session)
    flag_missed_checkouts(session=session)
    missed = Alert.objects.filter(kind="missed_measure")
    assert [a.enrollment.participant.code for a in missed] == ["RIV-104"]
    assert "which he attended" in missed[0].detail


def test_a_late_check_out_resolves_the_missed_alert(world: World) -> None:
    session = world.sessions_a[-2]
    flag_missed_checkouts(session=session)
    record_checkout(world, world.breach, session, 8, 8, 8, 8)
    alert = Alert.objects.get(kind="missed_measure", enrollment=world.breach)
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_by is None


def test_the_home_page_names_the_man_for_his_facilitator_only(world: World, as_user) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    home = text(as_user(world.alice).get("/"))
    assert "Low check-out" in home
    assert "RIV-101" in home
    assert "RIV-101" not in text(as_user(world.charlie).get("/"))
    assert "Low check-out" not in text(as_user(world.petra).get("/"))


def test_his_page_shows_his_alerts(world: World, as_user) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    page = text(as_user(world.bob).get(f"/participants/{world.good.participant_id}/"))
    assert "Low check-out" in page
    other = text(as_user(world.bob).get(f"/participants/{world.breach.participant_id}/"))
    assert "Low check-out" not in other


def test_acknowledging_records_who_and_when(world: World, as_user) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    alert = Alert.objects.get()
    client = as_user(world.alice)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", headers=HTMX)
    assert response.status_code == 200
    assert "acknowledged by Alice Tester" in text(response)
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.alice
    assert alert.acknowledged_at == dt.datetime(2025, 3, 9, 20, 45, tzinfo=dt.UTC)
    assert "Low check-out" not in text(client.get("/"))


def test_a_facilitator_cannot_acknowledge_another_groups_alert(world: World, as_user) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    alert = Alert.objects.get()
    client = as_user(world.charlie)
    assert_same_not_found(
        client.post(f"/alerts/{alert.pk}/acknowledge/"),
        client.post(f"/alerts/{MISSING_ID}/acknowledge/"),
    )
    for user in (world.eve, world.petra):
        assert as_user(user).post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledge_redirects_only_to_this_site(world: World, as_user) -> None:
    record_checkout(world, world.good, world.sessions_a[-2], 2, 2, 2, 2)
    alert = Alert.objects.get()
    response = as_user(world.alice).post(
        f"/alerts/{alert.pk}/acknowledge/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
