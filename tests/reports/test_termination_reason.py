"""Finding M3: the free-text reason typed when he is discharged or drops out stays inside the
program. The termination notice states the coded discharge reason and the dates; the form
says which of the two goes to the court."""

from __future__ import annotations

from alliance.participants.models import Enrollment, EnrollmentEvent
from alliance.reports.models import SentDocument
from tests.reports.conftest import pdf_text
from tests.reports.test_documents import flat, page, send

SENTINEL = "THERAPEUTIC-SENTINEL"
REASON = f"In his check-out he disclosed choking his partner last week ({SENTINEL})"


def discharge(client, enrollment: Enrollment) -> None:
    response = client.post(
        f"/enrollments/{enrollment.pk}/discharge/",
        {
            "reason": REASON,
            "discharge_reason": "new_offence",
            "effective_on": "2025-03-10",
            "confirm": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EnrollmentEvent.objects.filter(enrollment=enrollment, reason=REASON).exists()


def test_the_internal_reason_never_reaches_the_termination_notice(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    enrollment = reports_world.good
    discharge(client, enrollment)
    html = page(client, enrollment, "termination_notice")
    assert "<strong>discharged</strong> on 10 March 2025" in html
    assert "<dt>Reason</dt><dd>New offence</dd>" in html
    assert SENTINEL not in html
    assert "choking" not in html
    document = send(client, enrollment, "termination_notice")
    assert "New offence" in document.html
    assert SENTINEL not in document.html
    text = flat(pdf_text(bytes(document.pdf)))
    assert "New offence" in text
    assert "10 March 2025" in text
    assert SENTINEL not in text
    assert "choking" not in text
    assert SentDocument.objects.get().released_instrument_ids == []


def test_the_discharge_and_dropout_forms_say_what_goes_to_the_court(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    for action in ("discharge", "dropout"):
        body = flat(client.get(f"/enrollments/{reports_world.good.pk}/{action}/").content.decode())
        assert "Reason (internal)" in body, action
        assert "never put in a court, probation or other outside document" in body, action
    body = flat(client.get(f"/enrollments/{reports_world.good.pk}/discharge/").content.decode())
    assert "Discharge reason (sent to the court)" in body
