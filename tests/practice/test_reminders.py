from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alliance.practice.models import Assignment, Practice, PracticeLog, ReminderSettings, Via


def _homework(world) -> Assignment:
    return Assignment.objects.create(
        practice=Practice.objects.get(slug="partner-experience"),
        group=world.group_a,
        due_on=world.today + dt.timedelta(days=1),
    )


def test_it_reminds_men_with_homework_due_without_clinical_content(world) -> None:
    _homework(world)
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    ReminderSettings.objects.create(
        enrollment=world.at_limit, email="man102@example.org", opted_out=True
    )
    ReminderSettings.objects.create(enrollment=world.man_b, email="man201@example.org")
    call_command("send_reminders")
    assert [m.to for m in mail.outbox] == [["man101@example.org"]]
    text = (mail.outbox[0].subject + mail.outbox[0].body).lower()
    for word in ("partner", "violence", "practice", "respectful", "court", "homework", "score"):
        assert word not in text
    assert ReminderSettings.objects.get(enrollment=world.good).last_sent_on is not None
    call_command("send_reminders")
    assert len(mail.outbox) == 1  # once a day


def test_it_skips_homework_already_logged(world) -> None:
    assignment = _homework(world)
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    PracticeLog.objects.create(
        enrollment=world.good,
        practice=assignment.practice,
        assignment=assignment,
        logged_on=world.today,
        done=True,
        via=Via.LINK,
        idempotency_key="k",
    )
    call_command("send_reminders")
    assert mail.outbox == []


def test_a_man_turns_reminders_off_from_his_phone(world, phone_token, as_user, client) -> None:
    as_user(world.alice).post(
        f"/enrollments/{world.good.pk}/reminders/", {"email": "man101@example.org"}
    )
    assert ReminderSettings.objects.get(enrollment=world.good).email == "man101@example.org"
    token = phone_token()
    client.logout()
    assert "Stop reminders" in client.get(f"/p/{token}/").content.decode()
    client.post(f"/p/{token}/reminders/", {"want": "no"})
    assert ReminderSettings.objects.get(enrollment=world.good).opted_out
    _homework(world)
    call_command("send_reminders")
    assert mail.outbox == []


def test_phone_forms_work_with_csrf_checks(world, phone_token) -> None:
    from django.test import Client

    token = phone_token()
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(f"/p/{token}/account/")
    csrf = page.cookies["csrftoken"].value
    response = strict.post(
        f"/p/{token}/account/",
        {"key": "c1", "situation": "s", "what_he_did": "d", "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 200


def _checkout_link(world, enrollment, *, now=None):
    from alliance.measures.administration.tokens import create_participant_link
    from alliance.measures.models import CHECKOUT
    from alliance.measures.registry import definition_for

    link, _ = create_participant_link(
        actor=world.alice,
        enrollment=enrollment,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
        now=now,
    )
    return link


def test_it_reminds_men_with_a_check_out_waiting_without_clinical_content(world) -> None:
    _checkout_link(world, world.good)
    _checkout_link(world, world.at_limit)
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    ReminderSettings.objects.create(
        enrollment=world.at_limit, email="man102@example.org", opted_out=True
    )
    ReminderSettings.objects.create(enrollment=world.man_b, email="man201@example.org")
    call_command("send_reminders")
    assert [m.to for m in mail.outbox] == [["man101@example.org"]]
    text = (mail.outbox[0].subject + mail.outbox[0].body).lower()
    for word in ("check-out", "checkout", "measure", "score", "feel", "partner", "court"):
        assert word not in text
    call_command("send_reminders")
    assert len(mail.outbox) == 1  # once a day, however many things are waiting


def test_one_message_for_homework_and_a_check_out_together(world) -> None:
    _homework(world)
    _checkout_link(world, world.good)
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    call_command("send_reminders")
    assert len(mail.outbox) == 1


def test_a_finished_or_expired_check_out_is_not_reminded(world) -> None:
    from alliance.measures.models import Status

    done = _checkout_link(world, world.good)
    done.administration.status = Status.COMPLETE
    done.administration.save(update_fields=["status"])
    _checkout_link(world, world.at_limit, now=timezone.now() - dt.timedelta(days=30))
    ReminderSettings.objects.create(enrollment=world.good, email="man101@example.org")
    ReminderSettings.objects.create(enrollment=world.at_limit, email="man102@example.org")
    call_command("send_reminders")
    assert mail.outbox == []
