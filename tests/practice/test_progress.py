"""His own progress page: his check-out answers, practice calendar, competencies and next
session, on his phone link or his code-and-PIN session; in his language; nothing of anyone
else's (partner data, risk, staff notes).

RIV-101 (``world.good``, group A) gets check-outs, practice logs, an approved competency and a
future session. The clock is frozen (tests/web/conftest.py).
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from alliance.measures.administration.services import submit_administration
from alliance.measures.administration.tokens import create_participant_link
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.participants.competencies import approve_competency, sign_off_competency
from alliance.participants.services import program_today
from alliance.practice.models import Practice, Via
from alliance.practice.services import log_practice
from alliance.programs.models import Competency, Session, SessionStatus
from alliance.safety import partner_reports
from alliance.safety import services as safety
from tests.factories import make_sessions
from tests.practice.test_code_sign_in import _set_pin, _sign_in


def give_progress(world) -> dt.date:
    """Check-outs 4, 5, 6, 8, 8, 8 (up), two practice days this month, one approved
    competency, one next session a week on; returns his program's today."""
    man = world.good
    today = program_today(man)
    definition = definition_for(CHECKOUT)
    for index, value in enumerate([4, 5, 6, 8, 8, 8]):
        link, _ = create_participant_link(
            actor=world.alice,
            enrollment=man,
            definition=definition,
            administered_on=today - dt.timedelta(days=7 * (6 - index)),
        )
        answers = {item.id: float(value) for item in definition.items}
        answers["checkout_challenged"] = 3.0
        submit_administration(
            actor=None,
            administration=link.administration,
            answers=answers,
            submission_key=f"progress-{index}",
        )
    tool = Practice.objects.create(
        organization=world.riverside,
        slug="breath",
        title="Breathing",
        purpose="p",
        steps="s",
        minutes=5,
    )
    for index, day in enumerate([today.replace(day=1), today, today]):
        log_practice(
            enrollment=man,
            practice=tool,
            assignment=None,
            logged_on=day,
            done=True,
            minutes=5,
            ratings={},
            note="",
            via=Via.LINK,
            idempotency_key=f"log-{index}",
        )
    competency = Competency.objects.create(program=man.program, name="Uses time-out")
    sign_off = sign_off_competency(
        actor=world.alice, enrollment=man, competency=competency, evidence_note="STAFF-NOTE-X"
    )
    approve_competency(actor=world.bob, sign_off=sign_off)
    Competency.objects.create(program=man.program, name="Names his feelings")  # not yet
    make_sessions(world.group_a, [today + dt.timedelta(days=7)])
    return today


def test_his_progress_on_his_phone_link(world, phone_token) -> None:
    today = give_progress(world)
    token = phone_token()
    response = Client().get(f"/p/{token}/progress/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Your progress" in page
    # His own answers (newest first), never a total he has not seen.
    assert "<td>8</td><td>8</td><td>8</td><td>3</td>" in page
    assert "Your answers have gone up over your last sessions." in page
    # Two practice days this month (the same day twice counts once).
    assert "You practised on 2 days this month. Well done." in page
    assert page.count("✓") == (2 if today.day != 1 else 1)
    assert "Uses time-out" in page
    assert "Names his feelings" not in page
    # The next session not yet started (today's, if it is still to come), in his time zone.
    upcoming = (
        Session.objects.filter(group=world.group_a, starts_at__gte=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    local = timezone.localtime(upcoming.starts_at, world.good.program.tzinfo)
    assert f"{local:%A} {local.day} {local:%B} at {local:%H:%M}" in page
    assert "STAFF-NOTE-X" not in page


def test_his_progress_through_his_code_and_pin_session(world, as_user) -> None:
    give_progress(world)
    _, (code, pin) = _set_pin(world, as_user)
    man = Client(REMOTE_ADDR="10.1.0.9")
    assert _sign_in(man, code, pin).status_code == 302
    page = man.get("/practice/progress/").content.decode()
    assert "Uses time-out" in page
    home = man.get("/practice/").content.decode()
    assert 'href="/practice/progress/"' in home


def test_without_a_session_or_with_a_bad_link_he_sees_nothing(world) -> None:
    give_progress(world)
    assert Client().get("/practice/progress/").status_code == 410
    assert Client().get("/p/not-a-token/progress/").status_code == 404


def test_a_new_man_gets_encouragement_not_empty_tables(world, phone_token) -> None:
    page = Client().get(f"/p/{phone_token()}/progress/").content.decode()
    assert "Your answers at the end of each session will show here." in page
    assert "No practice logged this month yet. A few minutes today is a good start." in page
    assert "When your program sees you use a skill it teaches, it will show here." in page


def test_his_progress_is_in_his_language(world, phone_token) -> None:
    give_progress(world)
    participant = world.good.participant
    participant.primary_language = "Spanish"
    participant.save(update_fields=["primary_language"])
    page = Client().get(f"/p/{phone_token()}/progress/").content.decode()
    assert '<html lang="es">' in page
    assert "Tu progreso" in page
    assert "Practicaste 2 días este mes. Bien hecho." in page
    participant.primary_language = "French"
    participant.save(update_fields=["primary_language"])
    page = Client().get(f"/p/{phone_token()}/progress/").content.decode()
    assert "Ton progrès" in page


def test_no_partner_data_or_discrepancy_reaches_his_page(world, phone_token) -> None:
    give_progress(world)
    record = safety.create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=world.good.participant,
        name="PARTNER-NAME-X",
    )
    today = program_today(world.good)
    partner_reports.record_report_consent(
        actor=world.petra,
        record=record,
        decision="given",
        decided_on=today - dt.timedelta(days=60),
        how="phone",
        today=today,
    )
    partner_reports.record_partner_report(
        actor=world.petra,
        record=record,
        reported_on=today - dt.timedelta(days=1),
        mode="phone",
        answers={"felt_safety": 0, "controlling": 4, "respectful": 0, "change": 0},
        worker_note="PARTNER-NOTE-X",
        today=today,
    )
    page = Client().get(f"/p/{phone_token()}/progress/").content.decode()
    for word in ("PARTNER-NAME-X", "PARTNER-NOTE-X", "iscrepanc", "risk", "Risk", "dropout"):
        assert word not in page
