"""Court orders, agencies' clocks, the due queue and one verdict with three documents.

Riverside (Pacific/Auckland) on 10 March 2025 (tests/web/conftest.py, frozen clock).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from alliance.core.compliance import Standing
from alliance.core.vocabulary import AttendanceMark
from alliance.court import services
from alliance.court.models import Breach, CourtOrder, ReportingClock
from alliance.court.selectors import due_queue
from alliance.court.services import AgencyDetails, ClockDetails, OrderDetails
from alliance.identity.services import IdentityDetails, save_identity
from alliance.organizations.models import Agency
from alliance.participants.models import Enrollment
from alliance.participants.services import refresh_standing
from alliance.programs.models import Attendance
from alliance.programs.services import record_attendance
from alliance.reports.documents import Recipient
from alliance.reports.models import DocumentKind
from alliance.reports.services import send_enrollment_document
from alliance.safety.models import NotificationKind, PartnerNotification
from alliance.safety.services import create_partner_record, record_release
from tests.factories import mark
from tests.web.conftest import TODAY

pytestmark = pytest.mark.django_db

WA = ClockDetails(
    preset="washington",
    enrollment_notice_days=14,
    progress_every_weeks=4,
    noncompliance_days=7,
    closing_notice_days=7,
)


def probation(world, *, repair: int | None = None, basis: str = "") -> Agency:
    details = ClockDetails(
        **{**WA.__dict__, "repair_window_days": repair, "repair_window_basis": basis}
    )
    return services.save_agency(
        actor=world.olga,
        organization=world.riverside,
        agency=None,
        details=AgencyDetails(name="North County Probation", kind=Agency.Kind.PROBATION),
        clock=details,
    )


def refer_to(enrollment: Enrollment, agency: Agency) -> Enrollment:
    Enrollment.objects.filter(pk=enrollment.pk).update(agency=agency)
    return Enrollment.objects.select_related("program__site").get(pk=enrollment.pk)


# --- the court order -------------------------------------------------------------------


def test_order_saved_with_history_and_contradictions_refused(world) -> None:
    order = services.save_court_order(
        actor=world.ines,
        enrollment=world.good,
        details=OrderDetails(sessions_ordered=26, complete_by=dt.date(2025, 9, 30)),
    )
    services.save_court_order(
        actor=world.bob,
        enrollment=world.good,
        details=OrderDetails(sessions_ordered=52, complete_by=dt.date(2026, 3, 31)),
    )
    order.refresh_from_db()
    assert order.sessions_ordered == 52
    assert order.history.count() == 2
    assert CourtOrder.objects.count() == 1
    with pytest.raises(ValidationError) as caught:
        services.save_court_order(
            actor=world.ines,
            enrollment=world.good,
            details=OrderDetails(start_by=dt.date(2025, 4, 1), complete_by=dt.date(2025, 3, 1)),
        )
    assert "complete_by" in caught.value.message_dict


def test_order_page_form_and_deadline_at_risk(world, as_user) -> None:
    client = as_user(world.ines)
    url = f"/enrollments/{world.good.pk}/court-order/"
    response = client.post(
        url,
        {
            "sessions_ordered": "52",
            "complete_by": "2025-04-30",
            "protective_order_type": "no_contact",
            "protective_order_expires": "2025-03-25",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    # 52 ordered, a handful attended, far fewer sessions scheduled before 30 April.
    assert "Deadline at risk" in page
    assert "No-contact order expires on 25 March 2025" in page
    bad = client.post(url, {"start_by": "2025-05-01", "complete_by": "2025-04-01"})
    assert bad.status_code == 400
    assert "Completion deadline" in bad.content.decode()
    # The facilitator reads the terms on his page; she cannot open the order form.
    alice = as_user(world.alice)
    assert alice.get(url).status_code == 404
    man_page = alice.get(f"/participants/{world.good.participant_id}/").content.decode()
    assert "Court order:" in man_page
    assert "52 sessions" in man_page


def test_documents_to_court_carry_the_order_terms(world) -> None:
    services.save_court_order(
        actor=world.ines,
        enrollment=world.good,
        details=OrderDetails(
            sessions_ordered=26, complete_by=dt.date(2025, 9, 30), other_conditions="No alcohol."
        ),
    )
    sent = send_enrollment_document(
        actor=world.mona,
        enrollment=world.good,
        kind=DocumentKind.COMPLIANCE_REPORT,
        recipient=Recipient(kind="probation", name="", organization="North County Probation"),
        today=TODAY,
    )
    assert "Sessions ordered" in sent.html
    assert "No alcohol." in sent.html
    assert "30 September 2025" in sent.html
    funder = send_enrollment_document(
        actor=world.mona,
        enrollment=world.good,
        kind=DocumentKind.COMPLIANCE_REPORT,
        recipient=Recipient(kind="funder", name="", organization="State fund"),
        today=TODAY,
    )
    assert "No alcohol." not in funder.html


# --- clocks and the queue ----------------------------------------------------------------


def test_repair_window_needs_its_basis(world) -> None:
    with pytest.raises(ValidationError) as caught:
        probation(world, repair=7)
    assert "repair_window_basis" in caught.value.message_dict
    agency = probation(world, repair=7, basis="Probation letter of 2 Jan 2025")
    assert agency.reporting_clock.repair_window_days == 7


def test_duplicate_agency_name_refused(world) -> None:
    probation(world)
    with pytest.raises(ValidationError) as caught:
        probation(world)
    assert "name" in caught.value.message_dict


def test_queue_lists_dates_overdue_and_is_satisfied_by_a_document(world) -> None:
    agency = probation(world)
    man = refer_to(world.good, agency)
    rows = [r for r in due_queue(Enrollment.objects.filter(pk=man.pk), today=TODAY)]
    enrollment_notice = [r for r in rows if r.item.kind == "enrollment_notice"]
    assert len(enrollment_notice) == 1
    assert enrollment_notice[0].item.due_on == man.started_on + dt.timedelta(days=14)
    assert enrollment_notice[0].overdue == (enrollment_notice[0].item.due_on < TODAY)
    send_enrollment_document(
        actor=world.mona,
        enrollment=man,
        kind=DocumentKind.ENROLLMENT_NOTICE,
        recipient=Recipient(kind="probation", name="", organization=agency.name),
        today=TODAY,
    )
    rows = due_queue(Enrollment.objects.filter(pk=man.pk), today=TODAY)
    assert not [r for r in rows if r.item.kind == "enrollment_notice"]


def test_no_clock_no_queue_and_default_clock_applies(world) -> None:
    assert due_queue(Enrollment.objects.filter(pk=world.good.pk), today=TODAY) == []
    services.save_clock(
        actor=world.olga,
        organization=world.riverside,
        agency=None,
        details=ClockDetails(enrollment_notice_days=10),
    )
    rows = due_queue(Enrollment.objects.filter(pk=world.good.pk), today=TODAY)
    assert [r.item.kind for r in rows] == ["enrollment_notice"]


def test_queue_on_manager_dashboard_not_for_evaluator(world, as_user) -> None:
    probation(world)
    Enrollment.objects.filter(pk=world.good.pk).update(
        agency=Agency.objects.get(name="North County Probation")
    )
    page = as_user(world.mona).get("/dashboard/").content.decode()
    assert "Documents due to referral agencies" in page
    assert "RIV-101" in page
    assert "Produce" in page
    evaluator = as_user(world.eve).get("/dashboard/").content.decode()
    assert "Documents due to referral agencies" not in evaluator


def test_agency_settings_pages(world, as_user) -> None:
    client = as_user(world.mona)
    response = client.post(
        "/settings/agencies/",
        {"name": "Family Court", "kind": "court", "preset": "texas"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Family Court")
    assert agency.reporting_clock.progress_monthly_day == 10
    assert agency.reporting_clock.preset == "texas"
    bad = client.post(
        f"/settings/agencies/{agency.pk}/",
        {
            "name": "Family Court",
            "kind": "court",
            "progress_every_weeks": "4",
            "progress_monthly_day": "10",
        },
    )
    assert bad.status_code == 400
    assert "choose every N weeks or monthly" in bad.content.decode()
    client.post(f"/settings/agencies/{agency.pk}/active/", {"active": "0"})
    agency.refresh_from_db()
    assert not agency.is_active
    assert "Deactivated" in client.get("/settings/agencies/").content.decode()
    # A facilitator and another organization's admin get nothing.
    assert as_user(world.alice).get("/settings/agencies/").status_code == 404
    assert as_user(world.outsider).get(f"/settings/agencies/{agency.pk}/").status_code == 404


# --- one verdict, three documents ------------------------------------------------------


def partner_who_asked(world, enrollment: Enrollment, kind: str = NotificationKind.NON_COMPLIANCE):
    record = create_partner_record(
        actor=world.petra,
        organization=world.riverside,
        participant=enrollment.participant,
        name="Partner of the man",
    )
    record_release(
        actor=world.petra,
        record=record,
        kind=kind,
        signed_on=TODAY - dt.timedelta(days=30),
        today=TODAY,
    )
    return record


def test_breach_opens_with_notice_due_letter_and_partner_task(world, as_user) -> None:
    agency = probation(world, repair=14, basis="WAC 388-60B-0420 agreement")
    man = refer_to(world.at_limit, agency)
    partner_who_asked(world, man)
    assert man.standing == Standing.AT_LIMIT
    assert not Breach.objects.filter(enrollment=man).exists()
    # One more unexcused absence: the engine finds him in breach.
    session = world.sessions_a[-1]
    mark(session, man, AttendanceMark.UNEXCUSED)
    man.refresh_from_db()
    assert man.standing == Standing.IN_BREACH
    breach = Breach.objects.get(enrollment=man)
    assert breach.found_on == TODAY
    # 7 days by the clock; the 14-day repair window cannot push it later.
    assert breach.notice_due_on == TODAY + dt.timedelta(days=7)
    assert breach.repair_until == TODAY + dt.timedelta(days=14)
    # (a) the court notice is in the queue with that date, and a produce link
    rows = due_queue(Enrollment.objects.filter(pk=man.pk), today=TODAY)
    notice = [r for r in rows if r.item.kind == "noncompliance_notice"]
    assert [r.item.due_on for r in notice] == [TODAY + dt.timedelta(days=7)]
    # (c) a task for the partner-safety worker, in her compartment
    (task,) = PartnerNotification.objects.filter(kind=NotificationKind.NON_COMPLIANCE)
    assert task.enrollment_id == man.pk
    assert task.due_on is not None
    # Refreshing again does not open a second breach or a second task.
    refresh_standing(man)
    assert Breach.objects.filter(enrollment=man).count() == 1
    assert PartnerNotification.objects.filter(kind=NotificationKind.NON_COMPLIANCE).count() == 1
    # (b) his letter: by code without an identity, by first name with one; never the partner.
    letter_url = f"/enrollments/{man.pk}/letter/"
    page = as_user(world.ines).get(letter_url).content.decode()
    assert f"Dear {man.participant.code}," in page
    assert "Make up a missed session by" in page
    assert "Partner of the man" not in page
    save_identity(
        actor=world.ines,
        participant=man.participant,
        details=IdentityDetails(legal_first_name="Tomasz", legal_last_name="Nowak"),
        today=TODAY,
    )
    page = as_user(world.ines).get(letter_url).content.decode()
    assert "Dear Tomasz," in page
    assert "Nowak" not in page
    # The facilitator never sees the partner task, on any page of his.
    alice = as_user(world.alice)
    assert alice.get(letter_url).status_code == 404
    assert (
        "Partner of the man"
        not in alice.get(f"/participants/{man.participant_id}/").content.decode()
    )


def test_partner_without_that_release_gets_no_task(world) -> None:
    man = world.at_limit
    partner_who_asked(world, man, kind=NotificationKind.COMPLETION)
    mark(world.sessions_a[-1], man, AttendanceMark.UNEXCUSED)
    assert Breach.objects.filter(enrollment=man).exists()
    assert not PartnerNotification.objects.filter(kind=NotificationKind.NON_COMPLIANCE).exists()


def test_breach_repaired_within_window_needs_no_notice(world) -> None:
    agency = probation(world, repair=7, basis="Agency agreement")
    man = refer_to(world.at_limit, agency)
    session = world.sessions_a[-1]
    mark(session, man, AttendanceMark.UNEXCUSED)
    breach = Breach.objects.get(enrollment=man)
    assert breach.notice_due_on == TODAY + dt.timedelta(days=7)
    # He is back in standing within the window (here: the mark is corrected).
    existing = Attendance.objects.get(session=session, enrollment=man)
    record_attendance(
        actor=world.bob,
        session=session,
        enrollment=man,
        mark=AttendanceMark.PRESENT,
        expected_revision=existing.revision,
    )
    breach.refresh_from_db()
    assert breach.resolved_on == TODAY
    rows = due_queue(Enrollment.objects.filter(pk=man.pk), today=TODAY)
    assert not [r for r in rows if r.item.kind == "noncompliance_notice"]


def test_notice_produced_after_the_breach_clears_the_queue(world) -> None:
    agency = probation(world)
    man = refer_to(world.at_limit, agency)
    mark(world.sessions_a[-1], man, AttendanceMark.UNEXCUSED)
    man.refresh_from_db()
    send_enrollment_document(
        actor=world.mona,
        enrollment=man,
        kind=DocumentKind.NONCOMPLIANCE_NOTICE,
        recipient=Recipient(kind="probation", name="", organization=agency.name),
        today=TODAY,
    )
    rows = due_queue(Enrollment.objects.filter(pk=man.pk), today=TODAY)
    assert not [r for r in rows if r.item.kind == "noncompliance_notice"]


def test_clock_objects_are_per_agency(world) -> None:
    probation(world)
    assert ReportingClock.objects.filter(agency__isnull=False).count() == 1


def test_order_and_letter_views_are_in_the_access_log(world, as_user) -> None:
    from alliance.audit.models import AccessEvent

    Breach.objects.create(enrollment=world.good, found_on=TODAY, reasons=["1 unexcused absence"])
    before = AccessEvent.objects.count()
    client = as_user(world.bob)
    client.get(f"/enrollments/{world.good.pk}/court-order/")
    client.get(f"/enrollments/{world.good.pk}/letter/")
    rows = list(AccessEvent.objects.order_by("pk")[before:])
    seen = {(row.username, row.url_name, row.enrollment_id) for row in rows}
    assert ("bob", "court-order", world.good.pk) in seen
    assert ("bob", "breach-letter", world.good.pk) in seen
