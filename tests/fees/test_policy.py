"""Unpaid fees never change his standing, never stop his completion and never appear in a
document to a court or agency, unless the organization turned that on for the agency that
referred him (naming the standard that requires it)."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.core.enrollment import EnrollmentStatus, TransitionError
from alliance.fees import services
from alliance.fees.models import ChargeKind
from alliance.fees.policy import EVIDENCE_WARNING
from alliance.organizations.models import Agency
from alliance.participants.models import Enrollment
from alliance.participants.services import change_enrollment_status, refresh_standing
from alliance.reports.documents import Recipient, build_document
from alliance.reports.rendering import document_html, html_to_pdf
from tests.factories import (
    enroll,
    fill_attendance,
    make_group,
    make_participant,
    make_program,
    make_sessions,
    weekly,
)
from tests.reports.conftest import pdf_text

TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def short(fees):
    """RIV-401 attended all three sessions of a short course (he may complete) and owes 75.00;
    Riverside District Court referred him."""
    program = make_program(fees.north, "Short Course", curriculum=3, min_attended_sessions=3)
    group = make_group(program, "Group S", starts_on=TODAY - dt.timedelta(weeks=4))
    sessions = make_sessions(group, weekly(TODAY - dt.timedelta(weeks=1), 3))
    court = Agency.objects.create(
        organization=fees.riverside, name="Riverside District Court", kind=Agency.Kind.COURT
    )
    man = make_participant(fees.riverside, "RIV-401")
    enrollment = enroll(
        man,
        program,
        referred_on=TODAY - dt.timedelta(weeks=6),
        group=group,
        started_on=sessions[0].held_on,
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(agency=court)
    fill_attendance(sessions, enrollment, "PPP")
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    services.post_charge(
        actor=fees.mona,
        enrollment=enrollment,
        charge_kind=ChargeKind.OTHER,
        amount=7500,
        on=TODAY - dt.timedelta(days=10),
    )
    fees.extra.update(court=court, owing=enrollment)
    return fees


def complete(world):
    return change_enrollment_status(
        actor=world.mona,
        enrollment=world.extra["owing"],
        target=EnrollmentStatus.COMPLETED,
        effective_on=TODAY,
        reason="All sessions attended",
        today=TODAY,
    )


def test_by_default_unpaid_fees_do_not_stop_completion_or_change_standing(short):
    owing = short.extra["owing"]
    refresh_standing(owing, today=TODAY)
    before = Enrollment.objects.get(pk=owing.pk)
    # Even with the court's policy set to put fees in its documents, standing ignores fees.
    services.set_agency_policy(
        actor=short.olga,
        agency=short.extra["court"],
        unpaid_blocks_completion=False,
        fees_in_court_documents=True,
        standard="Court order 2024-17",
    )
    services.post_charge(
        actor=short.mona, enrollment=owing, charge_kind=ChargeKind.OTHER, amount=90000, on=TODAY
    )
    refresh_standing(owing, today=TODAY)
    after = Enrollment.objects.get(pk=owing.pk)
    assert (after.standing, after.standing_reasons, after.actions_due) == (
        before.standing,
        before.standing_reasons,
        before.actions_due,
    )
    assert "fee" not in " ".join(after.standing_reasons).lower()
    complete(short)
    assert Enrollment.objects.get(pk=owing.pk).status == EnrollmentStatus.COMPLETED


def test_where_the_agency_requires_it_unpaid_fees_stop_completion(short):
    services.set_agency_policy(
        actor=short.olga,
        agency=short.extra["court"],
        unpaid_blocks_completion=True,
        fees_in_court_documents=False,
        standard="Court order 2024-17",
    )
    with pytest.raises(TransitionError, match=r"NZD 75\.00 in program fees is unpaid"):
        complete(short)
    assert Enrollment.objects.get(pk=short.extra["owing"].pk).status == EnrollmentStatus.ACTIVE


def test_once_paid_he_completes_even_where_the_agency_requires_payment(short):
    services.set_agency_policy(
        actor=short.olga,
        agency=short.extra["court"],
        unpaid_blocks_completion=True,
        fees_in_court_documents=False,
        standard="Court order 2024-17",
    )
    waiver = services.request_waiver(
        actor=short.ines, enrollment=short.extra["owing"], amount=7500, reason="No income."
    )
    services.decide_waiver(actor=short.mona, waiver=waiver, approve=True)
    complete(short)
    assert Enrollment.objects.get(pk=short.extra["owing"].pk).status == EnrollmentStatus.COMPLETED


def test_turning_a_consequence_on_needs_the_standard_named(short):
    with pytest.raises(services.FeeError, match=r"^standard:"):
        services.set_agency_policy(
            actor=short.olga,
            agency=short.extra["court"],
            unpaid_blocks_completion=True,
            fees_in_court_documents=False,
            standard=" ",
        )


def court_pdf_text(world) -> str:
    document = build_document(
        Enrollment.objects.get(pk=world.extra["owing"].pk),
        "compliance_report",
        recipient=Recipient("court", "Judge", "Riverside District Court"),
        today=TODAY,
    )
    context = {"document": document, "sent_by": world.mona, "sent_at": TODAY, "corrects": None}
    html = document_html("reports/document_pdf.html", context)
    return " ".join(pdf_text(html_to_pdf(html)).split())


def test_fees_stay_out_of_court_documents_unless_the_agency_requires_them(short):
    text = court_pdf_text(short)
    assert "Program fees" not in text
    assert "75.00" not in text
    services.set_agency_policy(
        actor=short.olga,
        agency=short.extra["court"],
        unpaid_blocks_completion=False,
        fees_in_court_documents=True,
        standard="Penal Code 1203.097(a)(11)",
    )
    text = court_pdf_text(short)
    assert "Program fees" in text
    assert "NZD 75.00 owed" in text
    assert "Penal Code 1203.097(a)(11)" in text


def test_the_settings_page_warns_with_the_evidence(short, as_user):
    page = as_user(short.olga).get("/fees/settings/").content.decode()
    assert "78 %" in EVIDENCE_WARNING
    assert "78 %" in page
    assert "finesandfeesjusticecenter.org" in page
    form = as_user(short.olga).get(f"/fees/agencies/{short.extra['court'].pk}/")
    assert "withhold proof of completion" in form.content.decode()
