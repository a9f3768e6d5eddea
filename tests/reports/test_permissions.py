"""Who may read and send reports: managers, supervisors and org admins for their sites send;
a facilitator reads the compliance report of the men in her own groups and nothing else;
evaluators, partner-safety workers and outsiders get the same 404 as for a missing record."""

from __future__ import annotations

import pytest

from alliance.reports.models import SentDocument
from tests.factories import World

SEND = {
    "recipient_kind": "probation",
    "recipient_organization": "Riverside Probation",
    "action": "send",
}


def url(world: World, kind: str = "compliance_report", who: str = "good") -> str:
    return f"/enrollments/{getattr(world, who).pk}/reports/{kind}/"


@pytest.mark.parametrize("persona", ["mona", "bob", "olga"])
def test_managers_supervisors_and_admins_send_and_see_the_log(
    reports_world, as_user, persona
) -> None:
    client = as_user(getattr(reports_world, persona))
    assert client.get(url(reports_world)).status_code == 200
    assert client.post(url(reports_world, "enrollment_notice"), SEND).status_code == 200
    sent = SentDocument.objects.get()
    assert sent.sent_by == getattr(reports_world, persona)
    listing = client.get(f"/enrollments/{reports_world.good.pk}/reports/").content.decode()
    assert "Sent documents" in listing
    assert f"/reports/sent/{sent.pk}.pdf" in listing
    assert client.get(f"/reports/sent/{sent.pk}.pdf").status_code == 200
    assert client.get(f"/programs/{reports_world.program.pk}/reports/").status_code == 200


def test_a_facilitator_reads_the_compliance_report_of_her_own_group_only(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.alice)
    listing = client.get(f"/enrollments/{reports_world.good.pk}/reports/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Compliance report" in body
    assert "Enrollment notice" not in body
    assert "Sent documents" not in body
    assert "Produce PDF" not in client.get(url(reports_world)).content.decode()
    assert client.get(url(reports_world)).status_code == 200
    for kind in ("enrollment_notice", "noncompliance_notice"):
        assert client.get(url(reports_world, kind)).status_code == 404
    assert client.post(url(reports_world), SEND).status_code == 404
    assert client.get(f"/programs/{reports_world.program.pk}/reports/").status_code == 404
    assert SentDocument.objects.count() == 0


def test_a_facilitator_cannot_read_a_sent_document(reports_world, as_user) -> None:
    as_user(reports_world.mona).post(url(reports_world), SEND)
    sent = SentDocument.objects.get()
    assert as_user(reports_world.alice).get(f"/reports/sent/{sent.pk}.pdf").status_code == 404


def test_a_facilitator_of_another_group_sees_nothing(reports_world, as_user) -> None:
    client = as_user(reports_world.charlie)
    assert client.get(f"/enrollments/{reports_world.good.pk}/reports/").status_code == 404
    assert client.get(url(reports_world)).status_code == 404


@pytest.mark.parametrize("persona", ["eve", "petra", "outsider"])
def test_evaluators_partner_safety_and_outsiders_get_404_everywhere(
    reports_world, as_user, persona
) -> None:
    as_user(reports_world.mona).post(url(reports_world), SEND)
    sent = SentDocument.objects.get()
    client = as_user(getattr(reports_world, persona))
    for path in (
        f"/enrollments/{reports_world.good.pk}/reports/",
        url(reports_world),
        f"/reports/sent/{sent.pk}.pdf",
        f"/programs/{reports_world.program.pk}/reports/",
        f"/programs/{reports_world.program.pk}/reports/monthly/?month=2025-02",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(url(reports_world), SEND).status_code == 404
    assert SentDocument.objects.count() == 1


def test_a_supervisor_of_one_site_cannot_report_on_another(reports_world, as_user) -> None:
    client = as_user(reports_world.bob)  # North only
    man_b = reports_world.man_b  # South
    assert client.get(f"/enrollments/{man_b.pk}/reports/").status_code == 404
    assert client.post(url(reports_world, who="man_b"), SEND).status_code == 404
    assert client.get(f"/programs/{reports_world.program_b.pk}/reports/").status_code == 404


def test_an_unknown_document_kind_is_a_404(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    assert client.get(url(reports_world, "risk_summary")).status_code == 404
    assert client.get(url(reports_world, "monthly_aggregate")).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(reports_world, client) -> None:
    response = client.get(f"/enrollments/{reports_world.good.pk}/reports/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
