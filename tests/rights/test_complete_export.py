"""A man's export is complete (M4), holds nothing of his partner (H1) and no secret (L8).

``tests/every_table.py`` gives RIV-101 a row in every table that can hold something about
him, including a partner interview that found abuse (``outcomes``, not ``safety``).
"""

from __future__ import annotations

import json

from django.db import models

from alliance.data_classes import EXPORTABLE_TO_HIM, DataClass, class_of
from alliance.intake.models import ParticipantDocument, SignedAgreement
from alliance.measures.models import KioskPin, ParticipantLink
from alliance.participants.models import Participant
from alliance.practice.models import PracticeLink
from alliance.rights.holdings import SOFT_REFERENCES
from tests.conftest import PARTNER_SENTINEL
from tests.every_table import HIS_EMAIL, fill_every_table, plant_sentinels, scan_png
from tests.rights.test_export import attachments, export, unzip


def models_with_a_path_to_a_man() -> set[type[models.Model]]:
    """From the schema alone: every model a chain of relations leads from Participant to."""
    found: set[type[models.Model]] = set()
    frontier: list[type[models.Model]] = [Participant]
    while frontier:
        model = frontier.pop()
        if model in found:
            continue
        found.add(model)
        # Independent of the walk under test: every relation Django knows, hidden ones too.
        frontier += [
            r.related_model
            for r in model._meta.get_fields(include_hidden=True)
            if isinstance(r, models.ForeignObjectRel)
            and isinstance(r.related_model, type)
            and not r.many_to_many
        ]
        frontier += [holder for holder, _, target in SOFT_REFERENCES if target is model]
    return found


def test_every_model_with_a_path_to_a_man_contributes_a_file_unless_its_class_forbids(
    world, as_user
):
    fill_every_table(world, as_user)

    files = unzip(export(as_user(world.olga), world.good.participant.pk))

    reachable = models_with_a_path_to_a_man()
    missing = sorted(
        m._meta.label_lower
        for m in reachable
        if class_of(m) in EXPORTABLE_TO_HIM and f"data/{m._meta.label_lower}.json" not in files
    )
    assert missing == []
    leaked = sorted(
        m._meta.label_lower
        for m in reachable
        if class_of(m) not in EXPORTABLE_TO_HIM and f"data/{m._meta.label_lower}.json" in files
    )
    assert leaked == []
    for label in (
        "practice.accountabilitylog",
        "practice.practicelog",
        "practice.plangoal",
        "practice.historicalplangoal",
        "practice.plangoalchange",
        "practice.remindersettings",
        "measures.kioskattempt",
        "audit.accessevent",
    ):
        assert f"data/{label}.json" in files, label
    assert HIS_EMAIL in files["data/practice.remindersettings.json"]
    visits = json.loads(files["data/audit.accessevent.json"])
    assert {row["fields"]["url_name"] for row in visits} >= {"participant"}


def test_his_documents_and_signed_agreement_leave_as_files_decrypted(world, as_user):
    fill_every_table(world, as_user)
    response = export(as_user(world.olga), world.good.participant.pk)
    files = unzip(response)
    attached = attachments(response)

    document = ParticipantDocument.objects.get(participant=world.good.participant)
    signed = SignedAgreement.objects.get(enrollment=world.good)
    assert attached[f"files/intake.participantdocument/document-{document.pk}.png"] == scan_png()
    pdf = attached[f"files/intake.signedagreement/agreement-{signed.pk}.pdf"]
    assert pdf.startswith(b"%PDF-")
    assert pdf == bytes(signed.pdf)
    assert attached[f"files/intake.signedagreement/signature-{signed.pk}.png"].startswith(
        b"\x89PNG"
    )
    manifest = json.loads(files["manifest.json"])
    assert manifest["files"][f"files/intake.signedagreement/agreement-{signed.pk}.pdf"] == 1
    # The JSON describes them but does not carry them a second time.
    rows = json.loads(files["data/intake.participantdocument.json"])
    assert "content" not in rows[0]["fields"]
    assert rows[0]["fields"]["title"] == "t"


def test_his_export_never_tells_him_his_partner_was_interviewed_or_what_she_reported(
    world, as_user
):
    fill_every_table(world, as_user)
    plant_sentinels(world.good.participant)

    files = unzip(export(as_user(world.olga), world.good.participant.pk))

    everything = "\n".join(files.values())
    for hers in ("partner_report", "partner_physical_abuse", PARTNER_SENTINEL, "Her Name"):
        assert hers not in everything
    follow_ups = json.loads(files["data/outcomes.followup.json"])
    assert [row["fields"]["source"] for row in follow_ups] == ["official_record"]
    events = json.loads(files["data/outcomes.outcomeevent.json"])
    # The police report recorded from his safety incident is an official record, his; the
    # incident itself (partner class) is not in the export.
    assert [row["fields"]["kind"] for row in events] == ["ipv_charge", "ipv_police_report"]
    assert not [name for name in files if "incidents." in name]
    assert not any(name.startswith("data/safety.") for name in files)
    manifest = json.loads(files["manifest.json"])
    assert "outcomes.followup (partner rows)" in manifest["excluded"][DataClass.PARTNER]


def test_what_is_left_out_reads_the_same_whether_or_not_she_was_contacted(world, as_user):
    fill_every_table(world, as_user)
    client = as_user(world.olga)

    his = json.loads(unzip(export(client, world.good.participant.pk))["manifest.json"])
    other = json.loads(unzip(export(client, world.at_limit.participant.pk))["manifest.json"])

    assert his["excluded"] == other["excluded"]


def test_his_kiosk_pin_hash_and_token_hashes_never_leave(world, as_user):
    fill_every_table(world, as_user)
    secrets = [
        KioskPin.objects.get(enrollment=world.good).pin_hash,
        ParticipantLink.objects.get(administration__enrollment=world.good).token_hash,
        PracticeLink.objects.get(enrollment=world.good).token_hash,
    ]

    files = unzip(export(as_user(world.olga), world.good.participant.pk))

    everything = "\n".join(files.values())
    for secret in secrets:
        assert secret not in everything
    pin = json.loads(files["data/measures.kioskpin.json"])
    assert "pin_hash" not in pin[0]["fields"]
    assert "issued_at" in pin[0]["fields"]
    assert not any("token_hash" in text for name, text in files.items() if name.startswith("data/"))
    security = [n for n in files if n.startswith(("data/auth.", "data/otp_", "data/axes."))]
    assert security == []
