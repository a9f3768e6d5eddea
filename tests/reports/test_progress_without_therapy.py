"""Issue 14, item 7: a progress report carries attendance, the court order's terms and the
competencies a supervisor approved, and no measure score at all without a release, even
though the man has therapeutic scores on file."""

from __future__ import annotations

import datetime as dt

from alliance.court.services import OrderDetails, save_court_order
from alliance.measures.models import Score
from alliance.participants.models import CompetencySignOff, SignOffStatus
from alliance.programs.models import Competency
from tests.reports.conftest import SENTINELS
from tests.reports.test_documents import flat, send, sent_pdf_text

TODAY = dt.date(2025, 3, 10)


def test_progress_report_without_a_release_has_no_measure_score(reports_world, as_user) -> None:
    world = reports_world
    man = world.good
    # He has therapeutic scores: there is something that could leak.
    assert Score.objects.filter(enrollment=man).exists()
    save_court_order(
        actor=world.ines,
        enrollment=man,
        details=OrderDetails(sessions_ordered=26, complete_by=dt.date(2025, 9, 30)),
    )
    competency = Competency.objects.create(program=world.program, name="Uses a time-out plan")
    CompetencySignOff.objects.create(
        enrollment=man,
        competency=competency,
        status=SignOffStatus.APPROVED,
        evidence_note="SENTINEL-EVIDENCE-NOTE",
        signed_off_by=world.alice,
        signed_off_on=TODAY - dt.timedelta(days=3),
        reviewed_by=world.bob,
        reviewed_on=TODAY - dt.timedelta(days=2),
    )
    client = as_user(world.mona)
    document = send(client, man, "compliance_report")
    for text in (flat(document.html), sent_pdf_text(client, document)):
        assert "Sessions attended: 8" in text  # attendance
        assert "Sessions ordered" in text  # the order's terms
        assert "30 September 2025" in text
        assert "Uses a time-out plan" in text  # the approved competency, by name
        assert "SENTINEL-EVIDENCE-NOTE" not in text  # never the facilitator's evidence
        for sentinel in SENTINELS:  # no score, band or title of any measure
            assert sentinel not in text, sentinel
    assert document.released_instrument_ids == []
