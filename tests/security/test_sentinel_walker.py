"""No builder lets a partner or therapeutic sentinel out without the release that allows it.

``tests/every_table.py`` gives RIV-101 a row in every table and puts ``PARTNER_SENTINEL`` into
every ``partner`` text field and ``CLINICAL_SENTINEL`` into every ``clinical-therapeutic`` one
(live and historical rows, and the notes of his group's sessions). Then every builder of
something that leaves the program or reaches him runs through HTTP: his data-rights export
(zip and summary.html), every court and probation document (preview and send, stored HTML and
the PDF), the research export, the access-log CSV and the backups' manifest; every log record
of the run is captured too. His safety incident (partner class, with a reportable kind and
date) is among the rows: its account, action note and closing note carry the partner
sentinel. Partner data may appear nowhere. His identity (the vault) appears in
his own export and in court and probation documents (name, date of birth, docket), never in the
research export, the evaluation's charts, the dashboard, the access-log CSV, the manifest or a
log, and a facilitator sees only his first name and last initial. Therapeutic data may appear in
his own export (it is his) and, as released scores only, in a document whose recipient holds
a matching release.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile

import pytest
from django.db import connection

from alliance.core.enrollment import DischargeReason, EnrollmentStatus
from alliance.data_classes import table_classes
from alliance.measures.models import Administration, Score
from alliance.ops.backups import Manifest, row_counts
from alliance.outcomes.export_jobs import produce_research_export
from alliance.outcomes.models import ResearchExport
from alliance.participants.models import Enrollment
from alliance.participants.services import change_enrollment_status
from alliance.reports.models import SentDocument
from tests.conftest import (
    CLINICAL_SENTINEL,
    IDENTITY_ADDRESS,
    IDENTITY_ALIAS,
    IDENTITY_DOCKET,
    IDENTITY_EMAIL,
    IDENTITY_FIRST_NAME,
    IDENTITY_HIDDEN,
    IDENTITY_LAST_NAME,
    IDENTITY_OFFICER,
    IDENTITY_SENTINELS,
    PARTNER_SENTINEL,
)
from tests.every_table import fill_every_table, plant_sentinels
from tests.identity_fixture import BIRTH_DATE, BIRTH_DATE_FORMS, BIRTH_DATE_SHOWN
from tests.reports.conftest import pdf_text

RELEASED_SCORE = "41.73"  # an SCS-SF total; his probation release names SCS-SF
PERIOD = {"period_start": "2025-01-01", "period_end": "2025-03-10"}


def _released_score(enrollment: Enrollment, today: dt.date) -> None:
    administration = Administration.objects.create(
        enrollment=enrollment,
        instrument_id="scs_sf",
        instrument_version="1.0.0",
        confidentiality="therapeutic",
        respondent="participant",
        channel="staff",
        status="complete",
        administered_on=today - dt.timedelta(days=7),
        idempotency_key=f"walker-{enrollment.pk}",
    )
    Score.objects.create(
        administration=administration,
        enrollment=enrollment,
        instrument_id="scs_sf",
        instrument_version="1.0.0",
        engine_version="1.0.0",
        confidentiality="therapeutic",
        scale_id="total",
        value=float(RELEASED_SCORE),
        administered_on=today - dt.timedelta(days=7),
        scored_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
    )


def unzip(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.fixture
def planted(world, as_user, caplog):
    caplog.set_level(logging.DEBUG)
    enrollment = fill_every_table(world, as_user)
    _released_score(enrollment, world.today)
    planted = plant_sentinels(world.good.participant)
    assert len(planted) > 30  # the walker reached the protected fields of many models
    # The intake assessment, its collateral contacts, the placement's reason, the treatment
    # plan and the titles of his documents hold the sentinel too (tests/every_table.py).
    assert {
        "intake.assessment.violence_history",
        "intake.assessment.summary",
        "intake.historicalassessment.violence_history",
        "intake.collateralcontact.what_they_said",
        "intake.placement.reason",
        "intake.treatmentplan.focus",
        "intake.participantdocument.title",
    } <= set(planted)
    return enrollment


def _documents(client, enrollment: Enrollment, kinds: list[str]) -> dict[str, str]:
    """Every document of ``kinds`` to court and to probation: previews, sent HTML and PDF.

    Previews are posted (finding L10: recipients never in a query string)."""
    out: dict[str, str] = {}
    for kind in kinds:
        for recipient in ("court", "probation"):
            data = {
                "recipient_kind": recipient,
                "recipient_organization": f"The {recipient}",
                "recipient_name": "Officer",
            } | PERIOD
            url = f"/enrollments/{enrollment.pk}/reports/{kind}/"
            preview = client.post(url, data | {"action": "preview"})
            before = SentDocument.objects.count()
            sent = client.post(url, data | {"action": "send"})
            text = preview.content.decode() + sent.content.decode(errors="replace")
            if SentDocument.objects.count() > before:
                document = SentDocument.objects.latest("pk")
                text += document.html + pdf_text(bytes(document.pdf))
            out[f"{kind} to {recipient}"] = text
    return out


def test_no_builder_lets_partner_or_therapeutic_text_out_without_a_release(
    world, as_user, planted, caplog
):
    tables = table_classes()
    enrollment = planted
    olga = as_user(world.olga)

    export = olga.post(f"/participants/{enrollment.participant_id}/export/")
    assert export.status_code == 200
    his_export = unzip(export.content)
    assert CLINICAL_SENTINEL in his_export  # his own words come back to him
    assert PARTNER_SENTINEL not in his_export
    # Safety incidents are partner class: not a row of them in his export (docs/incidents.md).
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        assert not [n for n in archive.namelist() if "incidents." in n]

    documents = _documents(
        as_user(world.mona),
        enrollment,
        ["enrollment_notice", "compliance_report", "noncompliance_notice"],
    )
    change_enrollment_status(
        actor=world.mona,
        enrollment=Enrollment.objects.get(pk=enrollment.pk),
        target=EnrollmentStatus.DISCHARGED,
        effective_on=world.today,
        reason=f"He disclosed in his check-out {CLINICAL_SENTINEL}",
        discharge_reason=DischargeReason.NON_COMPLIANCE,
    )
    documents |= _documents(as_user(world.mona), enrollment, ["termination_notice"])
    assert documents["compliance_report to probation"].count(RELEASED_SCORE) > 0
    # The incident Bob closed as reportable: its kind and date, and nothing it said.
    for name in ("compliance_report to court", "compliance_report to probation"):
        assert "Protective-order violation, 10 March 2025" in documents[name], name
    assert "Protective-order violation" not in documents["enrollment_notice to court"]
    for name, text in documents.items():
        assert "Compliance" in text or "notice" in text.lower(), name  # it was built
        assert CLINICAL_SENTINEL not in text, name
        assert PARTNER_SENTINEL not in text, name
        if "to court" in name:
            assert RELEASED_SCORE not in text, name  # the release is for probation only

    # His identity: court and probation documents carry his legal name, date of birth and
    # docket (the clerk matches the report to the file); his own export holds all of it.
    for sentinel in IDENTITY_SENTINELS:
        assert sentinel in his_export, sentinel
    built = {name: text for name, text in documents.items() if 'class="doc-head"' in text}
    assert len(built) >= 4  # notices refused for want of a breach build nothing
    for name, text in built.items():
        assert IDENTITY_LAST_NAME in text, name
        assert IDENTITY_DOCKET in text, name
        assert BIRTH_DATE_SHOWN in text, name
        for sentinel in (IDENTITY_ADDRESS, IDENTITY_ALIAS, IDENTITY_OFFICER, IDENTITY_EMAIL):
            assert sentinel not in text, (name, sentinel)

    asked = as_user(world.eve).post("/evaluation/export/", {"format": "csv", "dates": "shift"})
    assert asked.status_code == 302
    produce_research_export(ResearchExport.objects.latest("pk").pk)
    research = as_user(world.eve).get(asked["Location"] + "download")
    assert research.status_code == 200
    access_log = as_user(world.olga).get("/audit/access-log.csv")
    assert access_log.status_code == 200
    # The SQLite test database is in memory, which the online backup cannot copy: the manifest
    # is built as ``alliance backup`` builds it, from the live row counts.
    engine = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    counts = row_counts(connection.connection, engine)
    manifest = Manifest(engine, "now", "database", "0", 0, counts, classes=tables)
    assert {t for t, c in manifest.classes.items() if c == "partner"} >= {"safety_partnerrecord"}
    manifest_text = manifest.to_json().decode()
    evaluator = as_user(world.eve)
    outside = {
        "research export": unzip(research.content),
        "evaluation (charts)": evaluator.get("/evaluation/").content.decode(),
        "dashboard": as_user(world.mona).get("/dashboard/").content.decode(),
        "access-log CSV": access_log.content.decode(),
        "backup manifest": manifest_text,
        "log output": "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records),
    }
    for name, text in outside.items():
        assert CLINICAL_SENTINEL not in text, name
        assert PARTNER_SENTINEL not in text, name
        for sentinel in IDENTITY_SENTINELS:
            assert sentinel not in text, (name, sentinel)
        assert not any(d in text for d in BIRTH_DATE_FORMS), name
        assert BIRTH_DATE.isoformat() not in text, name


def test_a_facilitator_sees_his_first_name_and_last_initial_and_nothing_else_of_his_identity(
    world, as_user, planted
):
    enrollment = planted
    alice = as_user(world.alice)
    pages = {
        "his page": alice.get(f"/participants/{enrollment.participant_id}/"),
        # Every tab of his page (issue 18): each shows a part of his record.
        **{
            f"his page, {tab} tab": alice.get(
                f"/participants/{enrollment.participant_id}/?tab={tab}"
            )
            for tab in ("attendance", "measures", "practice", "accountability", "documents")
        },
        "his page, history tab": alice.get(
            f"/participants/{enrollment.participant_id}/?tab=history"
        ),
        "the session": alice.get(f"/sessions/{world.todays_session_a.pk}/"),
        "the participants list": alice.get("/participants/search/", {"q": "RIV-101"}),
        "his compliance report": alice.get(
            f"/enrollments/{enrollment.pk}/reports/compliance_report/"
        ),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        if name != "his compliance report":
            assert f"{IDENTITY_FIRST_NAME} I." in text, name
        for sentinel in IDENTITY_HIDDEN:
            assert sentinel not in text, (name, sentinel)
        assert not any(d in text for d in BIRTH_DATE_FORMS), name
