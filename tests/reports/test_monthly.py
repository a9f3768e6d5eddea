"""The monthly report by referral source: counts only, no man named or coded, nothing
therapeutic, logged like every other document."""

from __future__ import annotations

import re

from alliance.reports.models import SentDocument
from tests.reports.conftest import SENTINELS, pdf_text, release_for


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def monthly(client, program, **params):
    query = {
        "month": "2025-02",
        "recipient_kind": "funder",
        "recipient_organization": "State Programs Office",
        "action": "preview",
    } | params
    return client.post(f"/programs/{program.pk}/reports/monthly/", query)


def test_february_counts_attendance_by_referral_source(reports_world, as_user) -> None:
    # Group A in February (3, 10, 17, 24): RIV-101 PPPP, RIV-102 PPUP, RIV-103 UPUP,
    # RIV-104 PP (from the 17th), RIV-402 UPPP; group C (6, 13, 20, 27): RIV-301 PPPP.
    # 18 attended of 22 marks, all referred by probation.
    response = monthly(as_user(reports_world.mona), reports_world.program)
    assert response.status_code == 200
    html = flat(response.content.decode())
    assert "Probation" in html
    assert "82% (18 of 22)" in html
    assert "February 2025" in html


def test_march_counts_terminations_and_status_at_month_end(reports_world, as_user) -> None:
    response = monthly(as_user(reports_world.mona), reports_world.program, month="2025-03")
    html = flat(response.content.decode())
    # Probation row: 0 referred; at month end 0 referred, 1 at intake (RIV-105), 5 active;
    # 0 completed, 1 discharged (RIV-402), 0 dropped out, 0 transferred, 1 termination.
    assert '<th scope="row">Probation</th><td>0</td><td>0</td><td>1</td><td>5</td>' in html
    assert "<td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>" in html


def test_the_monthly_report_names_no_man_and_holds_nothing_therapeutic(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.mona)
    release_for(reports_world.good, "other")  # even a release does not put measures here
    html = monthly(client, reports_world.program, month="2025-03").content.decode()
    assert "RIV-" not in html
    for sentinel in SENTINELS:
        assert sentinel not in html
    response = client.post(
        f"/programs/{reports_world.program.pk}/reports/monthly/",
        {
            "month": "2025-03",
            "recipient_kind": "funder",
            "recipient_organization": "State Programs Office",
            "action": "send",
        },
    )
    assert response.status_code == 302
    sent = SentDocument.objects.get()
    assert sent.kind == "monthly_aggregate"
    assert sent.enrollment is None
    assert str(sent.period_start) == "2025-03-01"
    assert str(sent.period_end) == "2025-03-31"
    text = flat(pdf_text(bytes(sent.pdf)))
    assert "Monthly report by referral source" in text
    assert "State Programs Office" in text
    assert "RIV-" not in text
    for sentinel in SENTINELS:
        assert sentinel not in text
    log = client.get(f"/programs/{reports_world.program.pk}/reports/").content.decode()
    assert "Monthly report by referral source" in log
    assert "State Programs Office" in log


def test_a_bad_month_is_refused_naming_the_field(reports_world, as_user) -> None:
    client = as_user(reports_world.mona)
    for month, message in (("2025/02", "YYYY-MM"), ("2025-05", "has not started")):
        response = monthly(client, reports_world.program, month=month)
        assert response.status_code == 400
        body = response.content.decode()
        assert "month:" in body
        assert message in body
    assert SentDocument.objects.count() == 0
