"""The identity vault through HTTP: who records, reads and corrects a man's identity, what a
facilitator sees of it, how it is stored, and the access log of every view."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from alliance.audit.models import AccessEvent
from alliance.identity.models import ParticipantIdentity
from alliance.ops.management.commands.rotate_partner_key import encrypted_columns
from alliance.organizations.models import Agency
from tests.conftest import IDENTITY_DOCKET, IDENTITY_FIRST_NAME, IDENTITY_LAST_NAME
from tests.identity_fixture import BIRTH_DATE_FORMS, BIRTH_DATE_ON_PAGE, PHONE_SHOWN, give_identity
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

FORM = {
    "legal_first_name": "Marcus",
    "legal_last_name": "Testerling",
    "date_of_birth": "1984-06-30",
    "aliases": "Marc T.",
    "phone": "+1 555 010 7777",
    "email": "marcus.t@example.org",
    "address": "12 Synthetic Lane\nRiverside",
    "docket_number": "CR-2025-000123",
    "court": "Riverside Superior Court",
    "officer_name": "Officer Example",
    "officer_phone": "555 010 8888",
    "officer_email": "officer@example.org",
    "agency": "",
    "agency_text": "Adult probation, north unit",
}


def page(participant_id: int) -> str:
    return reverse("participant-identity", args=[participant_id])


def edit(participant_id: int) -> str:
    return reverse("participant-identity-edit", args=[participant_id])


def test_the_intake_coordinator_records_his_identity_and_reads_it_back(world, as_user):
    man = world.good.participant_id
    ines = as_user(world.ines)

    response = ines.post(edit(man), FORM)

    assert response.status_code == 302
    assert response["Location"] == page(man)
    identity = ParticipantIdentity.objects.get(participant_id=man)
    assert identity.legal_name == "Marcus Testerling"
    assert identity.birth_date.isoformat() == "1984-06-30"
    assert identity.updated_by_id == world.ines.pk
    body = text(ines.get(page(man)))
    assert "Marcus Testerling" in body
    assert "30 Jun 1984" in body
    assert "CR-2025-000123" in body
    assert "Adult probation, north unit" in body


def test_a_correction_keeps_the_earlier_version_in_the_history(world, as_user):
    man = world.good.participant_id
    bob = as_user(world.bob)
    bob.post(edit(man), FORM)

    response = bob.post(edit(man), FORM | {"docket_number": "CR-2025-000999"})

    assert response.status_code == 302
    versions = ParticipantIdentity.history.filter(participant_id=man).order_by("history_id")
    assert [v.docket_number for v in versions] == ["CR-2025-000123", "CR-2025-000999"]
    assert versions.last().history_user_id == world.bob.pk
    body = text(bob.get(page(man)))
    changes = body[body.index('id="versions-h"') :]
    assert "changed docket or case number</li>" in changes
    assert "recorded legal first name, legal last name, date of birth" in changes
    assert "CR-2025-000123" not in changes  # who and what, never the old value


def test_nothing_of_it_is_stored_in_plain_text_live_or_in_the_history(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    with connection.cursor() as cursor:
        for table in ("identity_participantidentity", "identity_historicalparticipantidentity"):
            cursor.execute(f"SELECT * FROM {table}")
            raw = repr(cursor.fetchall())
            for plain in (IDENTITY_FIRST_NAME, IDENTITY_LAST_NAME, IDENTITY_DOCKET, "1979-02-17"):
                assert plain not in raw, (table, plain)


def test_key_rotation_covers_the_vault_and_its_history():
    covered = {model._meta.label_lower for model, _ in encrypted_columns()}

    assert {"identity.participantidentity", "identity.historicalparticipantidentity"} <= covered


def test_each_bad_value_is_refused_naming_its_field_and_nothing_is_saved(world, as_user):
    man = world.good.participant_id
    bad = FORM | {
        "legal_last_name": "",
        "date_of_birth": "2031-01-01",
        "email": "not-an-address",
        "phone": "call me",
        "officer_email": "officer@",
    }

    response = as_user(world.mona).post(edit(man), bad)

    assert response.status_code == 400
    body = text(response)
    assert "Legal last name: This field is required." in body
    assert "Date of birth: the date of birth is in the future." in body
    assert "His e-mail: enter a valid e-mail address" in body
    assert "His phone: enter a phone number" in body
    assert "Officer&#x27;s e-mail: enter a valid e-mail address" in body
    assert not ParticipantIdentity.objects.exists()


def test_an_implausible_age_is_refused_in_either_direction(world, as_user):
    man = world.good.participant_id
    mona = as_user(world.mona)

    too_young = mona.post(edit(man), FORM | {"date_of_birth": "2020-05-01"})
    too_old = mona.post(edit(man), FORM | {"date_of_birth": "1900-05-01"})
    not_a_date = mona.post(edit(man), FORM | {"date_of_birth": "31/31/1980"})

    assert "younger than 14" in text(too_young)
    assert "older than 100" in text(too_old)
    assert "Date of birth: Enter a valid date." in text(not_a_date)
    assert not ParticipantIdentity.objects.exists()


def test_an_agency_of_another_organization_cannot_be_chosen(world, as_user):
    theirs = Agency.objects.create(
        organization=world.outsider.membership.organization, name="Their court", kind="court"
    )
    ours = Agency.objects.create(
        organization=world.riverside, name="Our probation", kind="probation"
    )
    man = world.good.participant_id
    olga = as_user(world.olga)

    refused = olga.post(edit(man), FORM | {"agency": theirs.pk})
    accepted = olga.post(edit(man), FORM | {"agency": ours.pk, "agency_text": ""})

    assert refused.status_code == 400
    assert "Supervising agency: Select a valid choice." in text(refused)
    assert accepted.status_code == 302
    assert ParticipantIdentity.objects.get().supervising_agency == "Our probation"


def test_every_view_of_his_identity_is_in_the_access_log(world, as_user):
    man = world.good.participant_id
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    before = AccessEvent.objects.count()
    as_user(world.bob).get(page(man))
    as_user(world.alice).get(reverse("session", args=[world.todays_session_a.pk]))

    rows = list(AccessEvent.objects.order_by("pk")[before:])
    seen = {(row.username, row.url_name, row.participant_id) for row in rows}
    assert ("bob", "participant-identity", man) in seen
    # Alice saw his first name and initial on the session's roster.
    assert ("alice", "session", man) in seen


def test_outsiders_and_missing_men_get_the_same_not_found(world, as_user):
    man = world.good.participant_id
    for persona in (world.charlie, world.eve, world.petra, world.outsider, world.alice):
        client = as_user(persona)
        assert_same_not_found(client.get(page(man)), client.get(page(MISSING_ID)))
    ines = as_user(world.ines)
    # Ines works at North: a man of South's program is not hers.
    assert ines.get(page(world.man_b.participant_id)).status_code == 404


def test_the_list_shows_codes_and_whether_an_identity_is_on_file_never_a_name(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)

    body = text(as_user(world.ines).get(reverse("identities")))

    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in body.split("<tr>")[2:]}
    assert "On file" in rows["RIV-101"]
    assert "Not yet recorded" in rows["RIV-102"]
    assert IDENTITY_FIRST_NAME not in body
    assert "RIV-201" not in body  # South's man


def test_a_facilitator_sees_his_first_name_and_last_initial_only(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    alice = as_user(world.alice)

    body = text(alice.get(reverse("participant", args=[world.good.participant_id])))

    assert f"({IDENTITY_FIRST_NAME} I.)" in body
    assert IDENTITY_LAST_NAME not in body
    assert not any(d in body for d in BIRTH_DATE_FORMS)
    assert IDENTITY_DOCKET not in body
    assert PHONE_SHOWN not in body
    assert "Correct his identity" not in body


def test_the_organization_may_let_facilitators_see_the_full_name_and_contact(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    olga = as_user(world.olga)
    settings_page = reverse("settings-organization")
    saved = olga.post(
        settings_page,
        {
            "name": "Riverside",
            "time_zone": "Pacific/Auckland",
            "address": "",
            "phone": "",
            "signature_block": "",
            "facilitator_identity": "contact",
        },
    )
    assert saved.status_code == 302

    body = text(as_user(world.alice).get(reverse("participant", args=[world.good.participant_id])))

    assert f"{IDENTITY_FIRST_NAME} {IDENTITY_LAST_NAME}" in body
    assert PHONE_SHOWN in body
    assert not any(d in body for d in BIRTH_DATE_FORMS)  # never the date of birth or docket
    assert IDENTITY_DOCKET not in body


def test_a_supervisor_sees_his_whole_identity_on_his_page(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)

    body = text(as_user(world.bob).get(reverse("participant", args=[world.good.participant_id])))

    assert f"{IDENTITY_FIRST_NAME} {IDENTITY_LAST_NAME}" in body
    assert BIRTH_DATE_ON_PAGE in body
    assert IDENTITY_DOCKET in body
    assert "Correct his identity" in body


def test_without_an_identity_the_pages_show_his_initials_as_before(world, as_user):
    participant = world.good.participant
    participant.initials = "JD"
    participant.save()

    alice_page = text(as_user(world.alice).get(reverse("participant", args=[participant.pk])))
    bob_page = text(as_user(world.bob).get(reverse("participant", args=[participant.pk])))

    assert "(JD)" in alice_page
    assert "No identity on file." in bob_page
    assert "Record his identity" in bob_page
