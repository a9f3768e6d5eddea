"""The participant agreement: versioned text per program, signing on the tablet and by phone
link, the PDF, and re-signing when the text changes."""

from __future__ import annotations

import base64
import re

import pytest

from alliance.intake.models import AgreementVersion, SignedAgreement
from alliance.organizations.models import TokenGuess
from tests.every_table import signature_data_url
from tests.reports.conftest import pdf_text
from tests.web.helpers import text

RULES = "Attend every week.\nWhat you say stays here, except threats, which we report."


def _publish(client, program, body=RULES):
    return client.post(f"/programs/{program.pk}/agreement/", {"text": body})


def _sign(client, enrollment, **fields):
    version = AgreementVersion.objects.filter(program=enrollment.program).order_by("-number")[0]
    data = {"typed_name": "John Example", "version": version.pk} | fields
    return client.post(f"/enrollments/{enrollment.pk}/agreement/sign/", data)


def test_editing_the_text_makes_a_new_version_and_leaves_the_old_one(world, as_user):
    client = as_user(world.mona)
    assert _publish(client, world.program).status_code == 302
    assert _publish(client, world.program, RULES + "\nFees: $20 a week.").status_code == 302
    assert list(
        AgreementVersion.objects.filter(program=world.program).values_list("number", flat=True)
    ) == [2, 1]
    assert AgreementVersion.objects.get(number=1).text == RULES
    unchanged = _publish(client, world.program, RULES + "\nFees: $20 a week.")
    assert unchanged.status_code == 400
    assert "unchanged" in text(unchanged)
    assert AgreementVersion.objects.count() == 2


def test_only_managers_edit_the_text(world, as_user):
    for who in (world.ian, world.bob, world.alice):
        assert _publish(as_user(who), world.program).status_code == 404
    assert not AgreementVersion.objects.exists()


def test_he_signs_on_the_tablet_with_a_drawn_signature_and_the_pdf_holds_it(world, as_user):
    _publish(as_user(world.mona), world.program)
    client = as_user(world.ian)
    page = client.get(f"/enrollments/{world.good.pk}/agreement/sign/")
    assert page.status_code == 200
    assert "What you say stays here" in text(page)
    assert 'src="/static/alliance/signature.js"' in text(page)
    response = _sign(client, world.good, signature=signature_data_url())
    assert response.status_code == 200
    assert "hand the tablet back" in text(response)
    signed = SignedAgreement.objects.get(enrollment=world.good)
    assert signed.method == "drawn"
    assert signed.channel == "tablet"
    assert signed.opened_by_id == world.ian.pk
    assert bytes(signed.signature_png).startswith(b"\x89PNG")
    content = pdf_text(bytes(signed.pdf))
    assert "John Example" in content
    assert "version 1" in content
    assert "Attend every week." in content
    download = client.get(f"/agreements/{signed.pk}/pdf/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"]
    assert download.content == bytes(signed.pdf)


def test_the_stored_pdf_and_signature_are_encrypted_at_rest(world, as_user):
    from django.db import connection

    _publish(as_user(world.mona), world.program)
    _sign(as_user(world.ian), world.good, signature=signature_data_url())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pdf, signature_png FROM intake_signedagreement")
        pdf, png = cursor.fetchone()
    assert not bytes(pdf).startswith(b"%PDF")
    assert b"\x89PNG" not in bytes(png)


def test_without_drawing_he_signs_by_typing_his_name_and_confirming(world, as_user):
    _publish(as_user(world.mona), world.program)
    response = _sign(as_user(world.ian), world.good, agreed="on")
    assert response.status_code == 200
    signed = SignedAgreement.objects.get()
    assert signed.method == "typed"
    assert signed.signature_png is None
    assert "I agree" in pdf_text(bytes(signed.pdf))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "draw your signature, or tick"),
        ({"typed_name": " "}, "typed_name"),
        ({"signature": "data:image/svg+xml;base64,PHN2Zz4="}, "only a PNG"),
        ({"signature": "data:image/png;base64,not-base64!"}, "could not be read"),
        (
            {"signature": "data:image/png;base64," + base64.b64encode(b"GIF89a....").decode()},
            "only a PNG",
        ),
        (
            {"signature": "data:image/png;base64," + "A" * 210_000},
            "too large",
        ),
    ],
)
def test_a_bad_signature_is_refused_with_a_message_and_nothing_stored(
    world, as_user, fields, message
):
    _publish(as_user(world.mona), world.program)
    response = _sign(as_user(world.ian), world.good, **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert not SignedAgreement.objects.exists()


def test_an_empty_drawing_is_refused(world, as_user):
    from io import BytesIO

    from PIL import Image

    blank = BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(blank, format="PNG")
    _publish(as_user(world.mona), world.program)
    url = "data:image/png;base64," + base64.b64encode(blank.getvalue()).decode()
    response = _sign(as_user(world.ian), world.good, signature=url)
    assert "the pad is empty" in text(response)
    assert not SignedAgreement.objects.exists()


def test_when_the_text_changes_he_is_listed_to_sign_again(world, as_user):
    mona = as_user(world.mona)
    _publish(mona, world.program)
    _sign(as_user(world.ian), world.good, agreed="on")
    intake_home = text(as_user(world.ian).get("/intake/"))
    assert "RIV-101" not in intake_home.split("agreements to sign")[1]
    _publish(as_user(world.mona), world.program, RULES + "\nNew rule.")
    listed = text(as_user(world.mona).get(f"/programs/{world.program.pk}/agreement/"))
    assert "RIV-101</a> · signed version 1: must re-sign" in listed
    home = text(as_user(world.ian).get("/intake/"))
    assert "signed version 1, must re-sign version 2" in home
    his_page = text(
        as_user(world.bob).get(f"/participants/{world.good.participant_id}/?tab=documents")
    )
    assert "must be signed again" in his_page


def test_a_signature_on_a_page_opened_before_the_text_changed_is_refused(world, as_user):
    _publish(as_user(world.mona), world.program)
    old = AgreementVersion.objects.get()
    _publish(as_user(world.mona), world.program, RULES + "\nNew rule.")
    response = as_user(world.ian).post(
        f"/enrollments/{world.good.pk}/agreement/sign/",
        {"typed_name": "John Example", "agreed": "on", "version": old.pk},
    )
    assert response.status_code == 400
    assert "changed while it was open" in text(response)
    assert not SignedAgreement.objects.exists()


def _phone_link(client, enrollment) -> str:
    response = client.post(f"/enrollments/{enrollment.pk}/agreement/link/")
    assert response.status_code == 200
    match = re.search(r"/a/([^/]+)/", text(response))
    assert match
    return match.group(1)


def test_he_signs_once_on_his_phone_and_the_link_is_then_used_up(world, as_user, client):
    _publish(as_user(world.mona), world.program)
    token = _phone_link(as_user(world.ian), world.good)
    client.logout()
    page = client.get(f"/a/{token}/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "RIV-" not in text(page)  # the page does not name him by code
    response = client.post(
        f"/a/{token}/", {"typed_name": "John Example", "signature": signature_data_url()}
    )
    assert response.status_code == 200
    signed = SignedAgreement.objects.get()
    assert signed.channel == "phone"
    assert signed.opened_by is None
    again = client.get(f"/a/{token}/")
    assert again.status_code == 410
    assert "already" in text(again)


def test_a_newer_link_replaces_the_older_one(world, as_user, client):
    _publish(as_user(world.mona), world.program)
    ian = as_user(world.ian)
    first = _phone_link(ian, world.good)
    _phone_link(ian, world.good)
    client.logout()
    assert client.get(f"/a/{first}/").status_code == 410


def test_guessed_links_are_counted_and_then_refused(world, client):
    for k in range(10):
        assert client.get(f"/a/guess-{k}/").status_code == 404
    assert client.get("/a/guess-final/").status_code == 429
    assert TokenGuess.objects.count() == 10


def test_no_link_without_an_agreement_text(world, as_user):
    response = as_user(world.ian).post(f"/enrollments/{world.good.pk}/agreement/link/", follow=True)
    assert "no agreement text yet" in text(response)
