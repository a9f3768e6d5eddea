"""Identity where it leaves the program (court and probation documents, as the recipient kind
allows) and where it comes in (the new referral, together with the man or not at all)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alliance.identity.models import ParticipantIdentity
from alliance.identity.selectors import identity_for_recipient
from alliance.participants.models import Participant
from alliance.reports.models import SentDocument
from tests.conftest import IDENTITY_ADDRESS, IDENTITY_DOCKET, IDENTITY_LAST_NAME, IDENTITY_OFFICER
from tests.identity_fixture import BIRTH_DATE, BIRTH_DATE_SHOWN, give_identity
from tests.reports.conftest import pdf_text
from tests.web.helpers import text


def flat(value: str) -> str:
    return re.sub(r"\s+", " ", value)


def compliance_report(client, enrollment, recipient_kind: str, action: str):
    return client.post(
        f"/enrollments/{enrollment.pk}/reports/compliance_report/",
        {
            "recipient_kind": recipient_kind,
            "recipient_organization": "The recipient",
            "recipient_name": "A. Officer",
            "period_start": "2025-01-01",
            "period_end": "2025-03-10",
            "action": action,
        },
    )


@pytest.mark.parametrize("recipient_kind", ["court", "probation"])
def test_a_court_or_probation_report_names_him_with_birth_date_and_docket(
    world, as_user, recipient_kind
):
    give_identity(world.good.participant, actor=world.ines, today=world.today)
    mona = as_user(world.mona)

    preview = flat(text(compliance_report(mona, world.good, recipient_kind, "preview")))
    sent = compliance_report(mona, world.good, recipient_kind, "send")

    assert sent.status_code == 200  # the PDF
    document = SentDocument.objects.latest("pk")
    for shown in (preview, flat(document.html), flat(pdf_text(bytes(document.pdf)))):
        assert IDENTITY_LAST_NAME in shown
        assert BIRTH_DATE_SHOWN in shown
        assert IDENTITY_DOCKET in shown
        assert IDENTITY_ADDRESS not in shown  # never his address or his officer
        assert IDENTITY_OFFICER not in shown


@pytest.mark.parametrize("recipient_kind", ["funder", "other"])
def test_a_funder_or_other_recipient_is_told_nothing_of_who_he_is(world, as_user, recipient_kind):
    give_identity(world.good.participant, actor=world.ines, today=world.today)

    preview = text(compliance_report(as_user(world.mona), world.good, recipient_kind, "preview"))

    assert "Sessions attended" in preview  # the report was built
    assert IDENTITY_LAST_NAME not in preview
    assert IDENTITY_DOCKET not in preview


def test_child_protection_gets_name_and_birth_date_but_no_docket(world):
    give_identity(world.good.participant, actor=world.ines, today=world.today)

    told = identity_for_recipient(world.good.participant, "child_protection")

    assert told is not None
    assert told.legal_name.endswith(IDENTITY_LAST_NAME)
    assert told.date_of_birth == BIRTH_DATE
    assert told.docket_number == ""
    assert told.court == ""


def test_without_an_identity_on_file_the_document_names_him_by_code(world, as_user):
    preview = flat(text(compliance_report(as_user(world.mona), world.good, "court", "preview")))

    assert "Participant: RIV-101" in preview
    assert 'class="identity"' not in preview


def test_a_facilitators_preview_names_him_by_code_only(world, as_user):
    give_identity(world.good.participant, actor=world.ines, today=world.today)

    response = as_user(world.alice).get(f"/enrollments/{world.good.pk}/reports/compliance_report/")

    assert response.status_code == 200
    assert "Sessions attended" in text(response)
    assert IDENTITY_LAST_NAME not in text(response)


REFERRAL = {
    "code": "riv-950",
    "initials": "",
    "birth_year": "1984",
    "relationship_status": "separated",
    "employment": "unemployed",
    "education": "high_school",
    "income_band": "low",
    "prior_offences": "1",
    "prior_ipv_offences": "1",
    "substance_use_concern": "false",
    "primary_language": "en",
    "referral_source": "court",
    "referral_agency": "Riverside Superior Court",
    "referred_on": "2025-03-07",
}


def test_intake_records_a_referral_with_his_identity_in_one_step(world, as_user):
    data = REFERRAL | {
        "program": world.program.pk,
        "identity-legal_first_name": "Tobias",
        "identity-legal_last_name": "Fictionson",
        "identity-date_of_birth": "1984-04-04",
        "identity-docket_number": "CR-2025-004444",
    }

    response = as_user(world.ines).post(reverse("referral-new"), data)

    man = Participant.objects.get(code="RIV-950")
    assert response.status_code == 302
    assert response["Location"] == reverse("participant-identity", args=[man.pk])
    identity = ParticipantIdentity.objects.get(participant=man)
    assert identity.legal_name == "Tobias Fictionson"
    assert identity.docket_number == "CR-2025-004444"
    assert identity.updated_by_id == world.ines.pk


def test_a_referral_without_identity_records_the_man_alone(world, as_user):
    response = as_user(world.bob).post(
        reverse("referral-new"), REFERRAL | {"program": world.program.pk}
    )

    assert response.status_code == 302
    man = Participant.objects.get(code="RIV-950")
    assert not ParticipantIdentity.objects.filter(participant=man).exists()


def test_a_bad_identity_refuses_the_whole_referral_naming_the_field(world, as_user):
    data = REFERRAL | {
        "program": world.program.pk,
        "identity-legal_first_name": "Tobias",
        "identity-date_of_birth": "2030-01-01",
    }

    response = as_user(world.ines).post(reverse("referral-new"), data)

    assert response.status_code == 400
    body = text(response)
    assert "Legal last name: this field is required." in body
    assert "Date of birth: the date of birth is in the future." in body
    assert not Participant.objects.filter(code="RIV-950").exists()
    assert not ParticipantIdentity.objects.exists()


def test_intake_sees_no_therapeutic_page(world, as_user):
    ines = as_user(world.ines)

    for path in (
        reverse("participant", args=[world.good.participant_id]),
        reverse("participants"),
        reverse("dashboard"),
        reverse("evaluation"),
        reverse("group", args=[world.group_a.pk]),
    ):
        assert ines.get(path).status_code == 404, path
