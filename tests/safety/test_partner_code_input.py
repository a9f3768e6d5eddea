"""'Add a partner record' takes the man's code typed, with suggestions (issue 18, D16)."""

from __future__ import annotations

from django.urls import reverse

from alliance.safety.models import PartnerRecord
from tests.web.helpers import text


def test_the_form_offers_codes_as_she_types_instead_of_a_select(world, as_user):
    body = as_user(world.petra).get(reverse("safety-home")).content.decode()
    assert '<select name="participant"' not in body
    assert 'list="id_participant-codes"' in body
    assert '<option value="RIV-101">' in body


def test_a_typed_code_creates_the_record_for_that_man(world, as_user):
    response = as_user(world.petra).post(
        reverse("safety-partner-new"), {"participant": "riv-301", "name": "Someone"}
    )
    assert response.status_code == 302
    assert PartnerRecord.objects.get().participant_id == world.man_c.participant_id


def test_an_unknown_code_is_refused_naming_the_field(world, as_user):
    response = as_user(world.petra).post(
        reverse("safety-partner-new"), {"participant": "RIV-999", "name": "Someone"}
    )
    assert response.status_code == 400
    assert "No man with the code “RIV-999” in your organization" in text(response)
    assert not PartnerRecord.objects.exists()
