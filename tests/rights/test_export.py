"""A man's export: everything held about him, for the org admin and his site's managers only."""

from __future__ import annotations

import io
import json
import zipfile

from alliance.data_classes import DataClass
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance
from alliance.rights.holdings import collect_holdings
from alliance.rights.models import DataExport
from tests.conftest import CLINICAL_SENTINEL
from tests.web.helpers import MISSING_ID, assert_same_not_found


def export(client, participant_id):
    return client.post(f"/participants/{participant_id}/export/")


def unzip(response) -> dict[str, str]:
    """The export's text files (JSON, summary, manifest); ``files/`` holds binary attachments."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if not name.startswith("files/")
        }


def attachments(response) -> dict[str, bytes]:
    """The export's attached files (his documents, signed agreements), by path."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("files/")}


def test_the_org_admin_downloads_everything_held_about_a_man(world, as_user):
    man = world.good.participant
    Enrollment.objects.filter(pk=world.good.pk).update(mandate_notes=CLINICAL_SENTINEL)

    response = export(as_user(world.olga), man.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"alliance-participant-{man.pk}-" in response["Content-Disposition"]
    files = unzip(response)
    people = json.loads(files["data/participants.participant.json"])
    assert [row["fields"]["code"] for row in people] == ["RIV-101"]
    enrollments = json.loads(files["data/participants.enrollment.json"])
    assert enrollments[0]["fields"]["mandate_notes"] == CLINICAL_SENTINEL
    attendance = json.loads(files["data/programs.attendance.json"])
    assert len(attendance) == Attendance.objects.filter(enrollment=world.good).count() > 0
    assert "data/participants.enrollmentevent.json" in files
    assert "data/participants.historicalparticipant.json" in files  # old versions too
    manifest = json.loads(files["manifest.json"])
    assert "safety.partnerrecord" in manifest["excluded"]["partner"]
    assert "outcomes.followup (partner rows)" in manifest["excluded"]["partner"]
    assert "measures.kioskpin.pin_hash" in manifest["excluded"]["security"]
    assert manifest["files"]["data/programs.attendance.json"] == len(attendance)
    assert "RIV-101" in files["summary.html"]
    assert "<script" not in files["summary.html"]


def test_the_export_holds_nobody_else(world, as_user):
    files = unzip(export(as_user(world.olga), world.good.participant.pk))
    everything = "\n".join(files.values())
    for other in ("RIV-102", "RIV-103", "RIV-104", "RIV-201", "RIV-301"):
        assert other not in everything


def test_each_export_leaves_an_audit_entry_without_the_code(world, as_user):
    man = world.good.participant
    export(as_user(world.mona), man.pk)

    entry = DataExport.objects.get()
    assert entry.participant_pk == man.pk
    assert entry.actor == world.mona
    assert entry.organization == world.riverside
    assert entry.row_count > 10
    assert "RIV" not in str(entry)


def test_a_program_manager_cannot_export_a_man_of_another_site(world, as_user):
    forbidden = export(as_user(world.mona), world.man_b.participant.pk)
    missing = export(as_user(world.mona), MISSING_ID)
    assert_same_not_found(forbidden, missing)
    assert not DataExport.objects.exists()


def test_clinical_staff_and_other_roles_cannot_export(world, as_user):
    man = world.good.participant
    for persona in (world.alice, world.bob, world.eve, world.petra, world.outsider):
        assert export(as_user(persona), man.pk).status_code == 404
    assert not DataExport.objects.exists()


def test_the_export_is_posted_not_fetched(world, as_user):
    response = as_user(world.olga).get(f"/participants/{world.good.participant.pk}/export/")
    assert response.status_code == 405
    assert not DataExport.objects.exists()


def test_the_participant_page_offers_the_export_to_admins_only(world, as_user):
    page = f"/participants/{world.good.participant.pk}/?tab=documents"
    assert "Export everything" in as_user(world.olga).get(page).content.decode()
    assert "Export everything" not in as_user(world.alice).get(page).content.decode()


def test_the_walk_finds_new_models_by_relation_and_drops_excluded_classes(world):
    man = world.good.participant
    everything = collect_holdings(man, owned_only=False)
    without_reportable = collect_holdings(
        man, classes=frozenset(DataClass) - {DataClass.REPORTABLE}, owned_only=False
    )

    assert Attendance in everything.rows
    assert Attendance not in without_reportable.rows
