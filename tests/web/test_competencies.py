"""Competencies: set up on the program's pages, signed off by a facilitator with evidence,
approved or returned by a supervisor, required for completion, shown in progress reports
without the evidence; and a leave of absence that pauses the clock."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from alliance.participants.models import CompetencySignOff, Enrollment, LeaveOfAbsence
from alliance.programs.competencies import PRESET_COMPETENCIES
from alliance.programs.models import Competency, CurriculumSession, Program
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

TODAY = dt.date(2025, 3, 10)
EVIDENCE = "Described taking the car keys to stop her leaving, without excuses (sentinel-E7)."


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def competency(world, name="Uses time-out", **kw) -> Competency:
    return Competency.objects.create(program=world.program, name=name, **kw)


def require(world, rule: str, *, sessions: int = 1) -> None:
    """Completion on one session and the competencies (no core sessions, no deadline)."""
    Program.objects.filter(pk=world.program.pk).update(
        competencies_required=rule, min_attended_sessions=sessions, max_program_days=None
    )
    CurriculumSession.objects.filter(program=world.program).update(is_core=False)


def sign_off(client, enrollment, item, note=EVIDENCE):
    return client.post(
        reverse("competency-sign-off", args=[enrollment.pk]),
        {"competency": item.pk, "evidence_note": note},
    )


def review(client, item: CompetencySignOff, decision: str, reason: str = ""):
    return client.post(
        reverse("competency-review", args=[item.pk]), {"decision": decision, "reason": reason}
    )


# Set-up pages ---------------------------------------------------------------------------


def test_a_program_manager_adds_the_starting_list_and_her_own_competency(world, as_user):
    client = as_user(world.mona)
    url = reverse("programs:competencies", args=[world.program.pk])

    client.post(reverse("programs:competency_presets", args=[world.program.pk]))
    added = client.post(url, {"name": "  Names  his controlling behaviours ", "description": ""})
    own = client.post(url, {"name": "Repairs harm", "description": "Says how.", "is_required": ""})

    assert added.status_code == 400
    assert "already has a competency with this name" in text(added)
    assert own.status_code == 302
    names = list(world.program.competencies.values_list("name", "is_required"))
    assert names[: len(PRESET_COMPETENCIES)] == [(n, True) for n, _ in PRESET_COMPETENCIES]
    assert names[-1] == ("Repairs harm", False)
    page = text(client.get(url))
    assert "Has a written safety plan" in page
    assert "Repairs harm" in page


def test_a_competency_signed_off_for_a_man_is_retired_not_deleted(world, as_user):
    item = competency(world)
    CompetencySignOff.objects.create(
        enrollment=world.good,
        competency=item,
        status="signed_off",
        evidence_note="x",
        signed_off_on=TODAY,
    )
    response = as_user(world.mona).post(reverse("programs:competency_remove", args=[item.pk]))

    assert response.status_code == 302
    assert "untick “In use” instead" in " ".join(messages_of(response))
    assert Competency.objects.filter(pk=item.pk).exists()


def test_facilitators_and_other_organizations_cannot_open_the_set_up_pages(world, as_user):
    item = competency(world)
    for user in (world.alice, world.outsider):
        forbidden = as_user(user).get(reverse("programs:competency_edit", args=[item.pk]))
        missing = as_user(user).get(reverse("programs:competency_edit", args=[MISSING_ID]))
        assert forbidden.status_code in (403, 404)
        assert missing.status_code == forbidden.status_code


# Sign-off and review --------------------------------------------------------------------


def test_a_facilitator_signs_off_and_a_supervisor_approves(world, as_user):
    item = competency(world)
    signed = sign_off(as_user(world.alice), world.good, item)

    assert signed.status_code == 302
    row = CompetencySignOff.objects.get(enrollment=world.good, competency=item)
    assert (row.status, row.signed_off_by, row.evidence_note) == (
        "signed_off",
        world.alice,
        EVIDENCE,
    )
    page = text(
        as_user(world.bob).get(
            reverse("participant", args=[world.good.participant_id]) + "?tab=attendance"
        )
    )
    assert "Signed off, awaiting approval" in page
    assert EVIDENCE in page

    approved = review(as_user(world.bob), row, "approve")

    assert approved.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reviewed_by, row.reviewed_on) == ("approved", world.bob, TODAY)


def test_the_person_who_signed_it_off_cannot_approve_it(world, as_user):
    item = competency(world)
    sign_off(as_user(world.bob), world.good, item)
    row = CompetencySignOff.objects.get(enrollment=world.good)

    response = review(as_user(world.bob), row, "approve")

    assert "another supervisor must approve it" in " ".join(messages_of(response))
    assert CompetencySignOff.objects.get(pk=row.pk).status == "signed_off"


def test_a_supervisor_returns_it_with_a_reason_and_it_can_be_signed_off_again(world, as_user):
    item = competency(world)
    sign_off(as_user(world.alice), world.good, item)
    row = CompetencySignOff.objects.get(enrollment=world.good)

    no_reason = review(as_user(world.bob), row, "return")
    returned = review(as_user(world.bob), row, "return", "Only once; wait for a second time.")
    again = sign_off(as_user(world.alice), world.good, item, "Used it twice this month.")

    assert "reason: say why it goes back" in " ".join(messages_of(no_reason))
    assert returned.status_code == again.status_code == 302
    row.refresh_from_db()
    assert row.status == "signed_off"
    assert row.evidence_note == "Used it twice this month."
    assert row.history.filter(status="returned", return_reason__startswith="Only once").exists()


def test_a_sign_off_needs_evidence_and_one_of_his_programs_competencies(world, as_user):
    other = Competency.objects.create(program=world.program_b, name="Other program's")
    item = competency(world)
    client = as_user(world.alice)

    empty = sign_off(client, world.good, item, note="   ")
    foreign = sign_off(client, world.good, other)

    assert "evidence_note" in " ".join(messages_of(empty))
    assert "competency: choose one of his program's competencies" in " ".join(messages_of(foreign))
    assert not CompetencySignOff.objects.exists()


def test_a_facilitator_cannot_approve_and_another_groups_facilitator_sees_nothing(world, as_user):
    item = competency(world)
    sign_off(as_user(world.alice), world.good, item)
    row = CompetencySignOff.objects.get(enrollment=world.good)

    by_facilitator = review(as_user(world.alice), row, "approve")
    by_charlie = sign_off(as_user(world.charlie), world.good, item)
    missing = as_user(world.charlie).post(
        reverse("competency-sign-off", args=[MISSING_ID]),
        {"competency": item.pk, "evidence_note": EVIDENCE},
    )

    assert by_facilitator.status_code in (403, 404)
    assert_same_not_found(by_charlie, missing)
    assert CompetencySignOff.objects.get(pk=row.pk).status == "signed_off"


# Completion -----------------------------------------------------------------------------


def test_completion_is_refused_until_the_required_competencies_are_approved(world, as_user):
    require(world, "all")
    item = competency(world, "Has a written safety plan")
    complete = reverse("enrollment-action", args=[world.good.pk, "complete"])
    data = {"effective_on": TODAY, "reason": "Finished", "confirm": "on"}

    refused = as_user(world.mona).post(complete, data)

    assert refused.status_code == 400
    assert "competency review due: Has a written safety plan not yet approved" in text(refused)
    assert Enrollment.objects.get(pk=world.good.pk).status == "active"

    sign_off(as_user(world.alice), world.good, item)
    review(as_user(world.bob), CompetencySignOff.objects.get(enrollment=world.good), "approve")
    done = as_user(world.mona).post(complete, data)

    assert done.status_code == 302
    enrollment = Enrollment.objects.get(pk=world.good.pk)
    assert enrollment.status == "completed"
    assert enrollment.exit_type == "completed"


def test_a_listed_rule_needs_only_the_competencies_marked_required(world, as_user):
    require(world, "listed")
    competency(world, "Optional one", is_required=False)
    complete = reverse("enrollment-action", args=[world.good.pk, "complete"])

    done = as_user(world.mona).post(
        complete, {"effective_on": TODAY, "reason": "Finished", "confirm": "on"}
    )

    assert done.status_code == 302
    assert Enrollment.objects.get(pk=world.good.pk).status == "completed"


# Reports --------------------------------------------------------------------------------


def test_the_progress_report_lists_approved_competencies_but_never_the_evidence(world, as_user):
    require(world, "all", sessions=20)
    approved, pending = competency(world, "Uses time-out"), competency(world, "Repairs harm")
    sign_off(as_user(world.alice), world.good, approved)
    sign_off(as_user(world.alice), world.good, pending, "Pending evidence (sentinel-P2).")
    review(
        as_user(world.bob),
        CompetencySignOff.objects.get(enrollment=world.good, competency=approved),
        "approve",
    )

    response = as_user(world.mona).post(
        f"/enrollments/{world.good.pk}/reports/compliance_report/",
        {"period_start": "2025-01-01", "period_end": "2025-03-10", "action": "preview"},
    )

    body = re.sub(r"\s+", " ", text(response))
    assert response.status_code == 200
    block = body.split("Competencies demonstrated")[1].split("</ul>")[0]
    assert 'Uses time-out <span class="muted">(approved 10 Mar 2025)</span>' in block
    assert "Repairs harm" not in block
    assert "sentinel-E7" not in body
    assert "sentinel-P2" not in body


# Leave of absence -----------------------------------------------------------------------


def test_a_leave_over_his_absences_lifts_him_off_the_limit(world, as_user):
    # RIV-102 has used both unexcused absences: a leave over them means they no longer count.
    absences = list(
        world.at_limit.attendance.filter(mark="unexcused").values_list(
            "session__held_on", flat=True
        )
    )
    response = as_user(world.bob).post(
        reverse("enrollment-leave", args=[world.at_limit.pk]),
        {"starts_on": min(absences), "ends_on": max(absences), "reason": "Hospital stay"},
    )

    assert response.status_code == 302
    leave = LeaveOfAbsence.objects.get(enrollment=world.at_limit)
    assert leave.approved_by == world.bob
    enrollment = Enrollment.objects.get(pk=world.at_limit.pk)
    assert enrollment.standing == "good_standing"
    page = text(
        as_user(world.bob).get(
            reverse("participant", args=[enrollment.participant_id]) + "?tab=attendance"
        )
    )
    assert "Hospital stay" in page


def test_a_leave_is_refused_naming_the_field_and_facilitators_cannot_record_one(world, as_user):
    url = reverse("enrollment-leave", args=[world.good.pk])
    backwards = as_user(world.bob).post(
        url, {"starts_on": "2025-03-01", "ends_on": "2025-02-01", "reason": "x"}
    )
    by_alice = as_user(world.alice).post(
        url, {"starts_on": "2025-02-01", "ends_on": "2025-02-10", "reason": "x"}
    )

    assert "ends_on: the leave cannot end before it starts" in " ".join(messages_of(backwards))
    assert by_alice.status_code == 404
    assert not LeaveOfAbsence.objects.exists()


def test_a_manager_renames_reorders_and_retires_a_competency(world, as_user):
    first, second = competency(world, "First"), competency(world, "Second", order=2)
    client = as_user(world.mona)

    renamed = client.post(
        reverse("programs:competency_edit", args=[second.pk]),
        {"name": "Takes responsibility", "description": "In his words.", "is_required": "on"},
    )
    client.post(reverse("programs:competency_move", args=[second.pk]), {"direction": "up"})
    blank = client.post(reverse("programs:competency_edit", args=[first.pk]), {"name": " "})

    assert renamed.status_code == 302
    assert blank.status_code == 400
    second.refresh_from_db()
    assert (second.name, second.is_active) == ("Takes responsibility", False)
    assert list(world.program.competencies.values_list("name", flat=True)) == [
        "Takes responsibility",
        "First",
    ]


# Exit types -----------------------------------------------------------------------------


def test_an_administrative_discharge_shows_its_exit_type_on_his_page_and_the_notice(world, as_user):
    client = as_user(world.mona)
    response = client.post(
        reverse("enrollment-action", args=[world.breach.pk, "discharge"]),
        {
            "effective_on": TODAY,
            "reason": "Moved interstate for work.",
            "discharge_reason": "moved",
            "confirm": "on",
        },
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(pk=world.breach.pk)
    assert (enrollment.discharge_reason, enrollment.exit_type) == ("moved", "administrative")
    assert "Exit: administrative." in text(
        client.get(reverse("participant", args=[enrollment.participant_id]))
    )
    notice = client.post(
        f"/enrollments/{enrollment.pk}/reports/termination_notice/", {"action": "preview"}
    )
    body = re.sub(r"\s+", " ", text(notice))
    assert "<dt>Type of exit</dt><dd>Administrative discharge</dd>" in body
    assert "Moved interstate for work." not in body


def test_the_status_change_form_groups_discharge_reasons_by_exit_type(world, as_user):
    page = text(
        as_user(world.mona).get(reverse("enrollment-action", args=[world.breach.pk, "discharge"]))
    )

    assert "Unsuccessful: not benefiting from the program" in page
    assert "Administrative: deceased" in page
