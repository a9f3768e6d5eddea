"""Every document, as a page and as a PDF, carries attendance and compliance facts only:
therapeutic data appears only under a valid release for that recipient, and only the released
measure."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from alliance.core.enrollment import EnrollmentStatus
from alliance.measures.releases.services import revoke_score_release
from alliance.reports.models import SentDocument
from tests.factories import World
from tests.reports.conftest import (
    ALWAYS_ABSENT,
    RELEASED_TITLE,
    RELEASED_VALUE,
    SENTINELS,
    pdf_text,
    release_for,
)

#: Which man each document is about: a document is only produced where it applies.
SUBJECT = {
    "enrollment_notice": "good",
    "compliance_report": "good",
    "noncompliance_notice": "breach",
    "termination_notice": "discharged",
    "completion_certificate": "completed",
}
KINDS = list(SUBJECT)
#: A phrase each document must contain, so a blank page cannot pass the leak checks.
EXPECTED = {
    "enrollment_notice": "is enrolled in Respectful Relationships",
    "compliance_report": "Sessions attended: 8",
    "noncompliance_notice": "In breach",
    "termination_notice": "Non compliance",
    "completion_certificate": "This certifies that RIV-401 completed Short Course",
}


def subject(world: World, kind: str):
    name = SUBJECT[kind]
    return world.extra[name] if name in world.extra else getattr(world, name)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def page(client, enrollment, kind: str, **params) -> str:
    data = {"period_start": "2025-01-01", "period_end": "2025-03-10"} | params
    data["action"] = "preview"
    response = client.post(f"/enrollments/{enrollment.pk}/reports/{kind}/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    return flat(response.content.decode())


def send(client, enrollment, kind: str, **fields) -> SentDocument:
    data = {
        "recipient_kind": "probation",
        "recipient_organization": "Riverside Probation",
        "recipient_name": "P. Officer",
        "period_start": "2025-01-01",
        "period_end": "2025-03-10",
        "action": "send",
    } | fields
    before = SentDocument.objects.count()
    response = client.post(f"/enrollments/{enrollment.pk}/reports/{kind}/", data)
    # Produce and send returns the PDF itself.
    assert response.status_code == 200, response.content.decode(errors="replace")[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert SentDocument.objects.count() == before + 1
    return SentDocument.objects.latest("pk")


def sent_pdf_text(client, document: SentDocument) -> str:
    response = client.get(f"/reports/sent/{document.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return flat(pdf_text(response.content))


@pytest.mark.parametrize("kind", KINDS)
def test_without_a_release_no_therapeutic_data_reaches_the_page_or_the_pdf(
    reports_world, as_user, kind
) -> None:
    client = as_user(reports_world.mona)
    enrollment = subject(reports_world, kind)
    html = page(client, enrollment, kind)
    assert EXPECTED[kind] in html
    for sentinel in SENTINELS:
        assert sentinel not in html, sentinel
    document = send(client, enrollment, kind)
    text = sent_pdf_text(client, document)
    assert EXPECTED[kind] in text
    assert enrollment.participant.code in text
    for sentinel in SENTINELS:
        assert sentinel not in text, sentinel
        assert sentinel not in document.html, sentinel
    assert document.released_instrument_ids == []


@pytest.mark.parametrize("kind", KINDS)
def test_with_a_release_exactly_the_released_measure_appears(reports_world, as_user, kind) -> None:
    client = as_user(reports_world.mona)
    enrollment = subject(reports_world, kind)
    release_for(enrollment, "probation")
    html = page(client, enrollment, kind)
    assert RELEASED_TITLE in html
    assert RELEASED_VALUE in html
    for sentinel in ALWAYS_ABSENT:
        assert sentinel not in html, sentinel
    document = send(client, enrollment, kind)
    text = sent_pdf_text(client, document)
    assert RELEASED_TITLE in text
    assert RELEASED_VALUE in text
    for sentinel in ALWAYS_ABSENT:
        assert sentinel not in text, sentinel
    assert document.released_instrument_ids == ["scs_sf"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_revoked_release_removes_the_measure_again(reports_world, as_user, kind) -> None:
    client = as_user(reports_world.mona)
    enrollment = subject(reports_world, kind)
    release = release_for(enrollment, "probation")
    assert RELEASED_VALUE in page(client, enrollment, kind)
    revoke_score_release(actor=reports_world.mona, release=release)
    html = page(client, enrollment, kind)
    document = send(client, enrollment, kind)
    text = sent_pdf_text(client, document)
    for sentinel in SENTINELS:
        assert sentinel not in html, sentinel
        assert sentinel not in text, sentinel


def test_a_release_for_the_court_does_not_open_a_report_to_probation(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.mona)
    release_for(reports_world.good, "court")
    assert RELEASED_VALUE not in page(client, reports_world.good, "compliance_report")
    court = page(
        client,
        reports_world.good,
        "compliance_report",
        recipient_kind="court",
        recipient_organization="District Court",
        recipient_name="",
    )
    assert RELEASED_VALUE in court


def test_a_release_naming_one_agency_does_not_cover_another(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    release_for(reports_world.good, "probation", recipient_name="Riverside Probation")
    assert RELEASED_VALUE in page(client, reports_world.good, "enrollment_notice")
    other = page(
        client,
        reports_world.good,
        "enrollment_notice",
        recipient_organization="Hillside Probation",
        recipient_name="",
    )
    assert RELEASED_VALUE not in other


def test_the_compliance_report_counts_only_sessions_in_the_period(reports_world, as_user) -> None:
    # RIV-103: PUPUPUPP weekly from 13 January; February holds U P U P.
    html = page(
        as_user(reports_world.mona),
        reports_world.breach,
        "compliance_report",
        period_start="2025-02-01",
        period_end="2025-02-28",
    )
    assert "Sessions attended: 2 (of which late: 0)" in html
    assert "unexcused absences: 2" in html
    assert "13 Jan 2025" not in html
    assert "3 Feb 2025" in html


@pytest.mark.parametrize(
    ("kind", "who", "message"),
    [
        ("completion_certificate", "good", "only for a man whose completion has been recorded"),
        ("termination_notice", "good", "only for a man who was discharged or dropped out"),
        ("noncompliance_notice", "good", "does not find him in breach or at the limit"),
        ("enrollment_notice", "referred", "once he has had his intake"),
    ],
)
def test_a_document_that_does_not_apply_is_refused_with_the_reason(
    reports_world, as_user, kind, who, message
) -> None:
    from tests.factories import enroll, make_participant

    client = as_user(reports_world.mona)
    if who == "referred":
        enrollment = enroll(
            make_participant(reports_world.riverside, "RIV-999"),
            reports_world.program,
            referred_on=dt.date(2025, 3, 1),
            status=EnrollmentStatus.REFERRED,
        )
    else:
        enrollment = getattr(reports_world, who)
    response = client.get(f"/enrollments/{enrollment.pk}/reports/{kind}/")
    assert response.status_code == 409
    assert message in response.content.decode()
    response = client.post(
        f"/enrollments/{enrollment.pk}/reports/{kind}/",
        {
            "recipient_kind": "probation",
            "recipient_organization": "Riverside Probation",
            "action": "send",
        },
    )
    assert response.status_code == 409
    assert SentDocument.objects.count() == 0
    listing = client.get(f"/enrollments/{enrollment.pk}/reports/").content.decode()
    assert message in listing


def test_a_period_ending_in_the_future_is_refused_naming_the_field(reports_world, as_user) -> None:
    response = as_user(reports_world.mona).post(
        f"/enrollments/{reports_world.good.pk}/reports/compliance_report/",
        {
            "recipient_kind": "probation",
            "recipient_organization": "Riverside Probation",
            "period_start": "2025-03-01",
            "period_end": "2025-04-01",
            "action": "preview",
        },
    )
    assert response.status_code == 409
    assert "period_end" in response.content.decode()


def test_a_missing_recipient_organization_is_refused_naming_the_field(
    reports_world, as_user
) -> None:
    response = as_user(reports_world.mona).post(
        f"/enrollments/{reports_world.good.pk}/reports/enrollment_notice/",
        {"recipient_kind": "probation", "recipient_organization": ""},
    )
    assert response.status_code == 400
    assert "Recipient organization" in response.content.decode()
    assert SentDocument.objects.count() == 0


def test_a_dropout_gets_a_termination_notice_with_the_dates_but_not_the_internal_reason(
    reports_world, as_user
) -> None:
    from alliance.participants.services import change_enrollment_status

    change_enrollment_status(
        actor=reports_world.mona,
        enrollment=reports_world.at_limit,
        target=EnrollmentStatus.DROPPED_OUT,
        effective_on=dt.date(2025, 3, 8),
        reason="Stopped coming and could not be reached",
    )
    html = page(as_user(reports_world.mona), reports_world.at_limit, "termination_notice")
    assert "<strong>dropped out</strong> on 8 March 2025" in html
    # The reason staff typed is clinical-therapeutic (M3): no release covers it.
    assert "Stopped coming and could not be reached" not in html


def test_a_period_starting_after_its_end_is_refused_naming_the_field(
    reports_world, as_user
) -> None:
    response = as_user(reports_world.mona).post(
        f"/enrollments/{reports_world.good.pk}/reports/compliance_report/",
        {"period_start": "2025-03-05", "period_end": "2025-03-01", "action": "preview"},
    )
    assert response.status_code == 409
    assert "period_start: the period must start on or before its end" in response.content.decode()
