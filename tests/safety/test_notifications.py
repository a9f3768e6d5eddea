"""Partner notifications: prepared only under a release, told only once the worker confirms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alliance.core.enrollment import EnrollmentStatus
from alliance.incidents.services import save_procedure
from alliance.participants.services import change_enrollment_status
from alliance.programs.models import Holiday
from alliance.safety import services
from alliance.safety.models import NotificationStatus, PartnerNotification
from tests.web.helpers import text


def start(world) -> None:
    change_enrollment_status(
        actor=world.alice,
        enrollment=world.in_intake,
        target=EnrollmentStatus.ACTIVE,
        effective_on=world.today,
        reason="Started",
        group=world.group_a,
        today=world.today,
    )


@pytest.fixture
def intake_partner(world):
    return services.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=world.in_intake.participant,
        name="Dana Example",
        cautions="Never leave a voicemail",
    )


def release(world, record, kind: str, *, days_ago: int = 10):
    return services.record_release(
        actor=world.petra,
        record=record,
        kind=kind,
        signed_on=world.today - dt.timedelta(days=days_ago),
        today=world.today,
    )


def test_starting_the_program_prepares_a_draft_under_an_enrollment_release(
    world, intake_partner
) -> None:
    release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    assert (draft.partner_id, draft.kind, draft.status) == (
        intake_partner.pk,
        "enrollment",
        NotificationStatus.PENDING,
    )
    assert draft.enrollment_id == world.in_intake.pk
    assert draft.event_on == world.today
    assert "began attending Respectful Relationships" in draft.message
    assert draft.closed_at is None  # nothing is told yet


def test_nothing_is_prepared_without_a_release_for_that_kind(world, intake_partner) -> None:
    release(world, intake_partner, "completion")
    start(world)
    assert not PartnerNotification.objects.exists()


def test_nothing_is_prepared_under_a_revoked_release(world, intake_partner) -> None:
    signed = release(world, intake_partner, "enrollment")
    services.revoke_release(
        actor=world.petra, release=signed, revoked_on=world.today - dt.timedelta(days=1)
    )
    start(world)
    assert not PartnerNotification.objects.exists()


def test_a_dropout_prepares_a_termination_draft(world, partners) -> None:
    change_enrollment_status(
        actor=world.bob,
        enrollment=world.good,
        target=EnrollmentStatus.DROPPED_OUT,
        effective_on=world.today,
        reason="Stopped coming",
        today=world.today,
    )
    draft = PartnerNotification.objects.get()
    assert draft.kind == "termination"
    assert "did not complete" in draft.message


def test_the_worker_must_confirm_it_is_safe_before_it_counts_as_told(
    world, intake_partner, as_user
) -> None:
    release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    petra = as_user(world.petra)
    page = petra.get(reverse("safety-notification", args=[draft.pk]))
    assert "Never leave a voicemail" in text(page)  # her preferences beside the form
    assert '<label for="id_method">' in text(page)

    refused = petra.post(
        reverse("safety-notification", args=[draft.pk]),
        {"method": "phone", "message": "He began the program."},
    )
    assert refused.status_code == 400
    assert "confirmed_safe:" in text(refused)
    draft.refresh_from_db()
    assert draft.status == NotificationStatus.PENDING

    sent = petra.post(
        reverse("safety-notification", args=[draft.pk]),
        {"confirmed_safe": "on", "method": "phone", "message": "He began the program today."},
    )
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.status == NotificationStatus.SENT
    assert (draft.closed_by_id, draft.method, draft.message) == (
        world.petra.pk,
        "phone",
        "He began the program today.",
    )
    assert draft.closed_at is not None


def test_a_draft_cannot_be_sent_after_its_release_was_revoked(
    world, intake_partner, as_user
) -> None:
    signed = release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    services.revoke_release(actor=world.petra, release=signed, revoked_on=world.today)
    draft.refresh_from_db()
    assert draft.status == NotificationStatus.CANCELLED  # withdrawn with the release
    response = as_user(world.petra).post(
        reverse("safety-notification", args=[draft.pk]),
        {"confirmed_safe": "on", "method": "phone", "message": "x"},
    )
    assert response.status_code == 400
    assert "no longer pending" in text(response)


def test_the_worker_may_decide_not_to_send(world, intake_partner, as_user) -> None:
    release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    petra = as_user(world.petra)
    empty = petra.post(reverse("safety-notification-cancel", args=[draft.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert "reason:" in text(empty)
    done = petra.post(
        reverse("safety-notification-cancel", args=[draft.pk]),
        {"reason": "She asked for no contact this month."},
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == NotificationStatus.CANCELLED
    assert draft.closing_note == "She asked for no contact this month."


def test_pending_drafts_are_listed_on_the_safety_home(world, intake_partner, as_user) -> None:
    release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    page = text(as_user(world.petra).get(reverse("safety-home")))
    assert "Notifications to confirm (1)" in page
    assert reverse("safety-notification", args=[draft.pk]) in page


def test_other_personas_cannot_open_a_draft(world, intake_partner, as_user) -> None:
    release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    for persona in ("alice", "bob", "olga", "outsider"):
        response = as_user(getattr(world, persona)).get(
            reverse("safety-notification", args=[draft.pk])
        )
        assert response.status_code == 404


def test_a_transfer_recorded_by_bob_prepares_a_transfer_task_due_in_two_business_days(
    world, partners, as_user
) -> None:
    # RIV-101's current partner asked to be told of every kind of news (tests/safety/conftest).
    response = as_user(world.bob).post(
        f"/enrollments/{world.good.pk}/transfer/",
        {"effective_on": "2025-03-07", "reason": "Moved to the South site", "confirm": "on"},
    )
    assert response.status_code == 302
    draft = PartnerNotification.objects.get(kind="transfer")
    assert draft.partner_id == partners.current.pk
    assert draft.event_on == dt.date(2025, 3, 7)
    # Counted from the day it was recorded (Monday 10 March), not the back-dated Friday.
    assert draft.due_on == dt.date(2025, 3, 12)
    assert "another program or site" in draft.message
    assert "South" not in draft.message  # where he went is not told


def test_a_holiday_and_the_program_s_clock_move_the_due_date(world, partners) -> None:
    Holiday.objects.create(organization=world.riverside, day=dt.date(2025, 3, 11), name="Day")
    save_procedure(
        actor=world.mona,
        organization=world.riverside,
        program=world.program,
        text="Tell her the same day where you can.",
        respond_within_hours=24,
        immediate_within_hours=1,
        partner_notice_business_days=1,
    )
    change_enrollment_status(
        actor=world.bob,
        enrollment=world.good,
        target=EnrollmentStatus.DROPPED_OUT,
        effective_on=world.today,
        reason="Stopped coming",
        today=world.today,
    )
    draft = PartnerNotification.objects.get(kind="termination")
    assert draft.due_on == dt.date(2025, 3, 12)


def test_an_overdue_task_is_shown_overdue_on_the_safety_home(
    world, intake_partner, as_user, frozen_clock
) -> None:
    release(world, intake_partner, "enrollment")
    start(world)
    draft = PartnerNotification.objects.get()
    assert draft.due_on == dt.date(2025, 3, 12)
    page = text(as_user(world.petra).get(reverse("safety-home")))
    assert "due 12 Mar 2025" in page
    assert "Overdue" not in page
    frozen_clock.shift(dt.timedelta(days=3))  # Thursday 13 March in Auckland
    page = text(as_user(world.petra).get(reverse("safety-home")))
    assert "Notifications to confirm (1, <strong>1 overdue</strong>)" in page
    assert '<span class="tag overdue">Overdue</span>' in page
