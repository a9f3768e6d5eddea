"""Finding M2: a release opens a document only to a recipient of its own kind that it names.

Every recipient kind a document can go to (court, probation, child protection, funder, other)
has a release kind of its own; none falls back to "other", and a release with no recipient
name covers nobody. The release form offers every kind and requires the name."""

from __future__ import annotations

import pytest

from alliance.measures.models import Release
from alliance.reports.models import RecipientKind
from tests.reports.conftest import RELEASED_TITLE, RELEASED_VALUE, release_for
from tests.reports.test_documents import page

KINDS = ["court", "probation", "child_protection", "funder", "other"]


def preview(client, enrollment, kind: str, organization: str, name: str = "") -> str:
    return page(
        client,
        enrollment,
        "compliance_report",
        recipient_kind=kind,
        recipient_organization=organization,
        recipient_name=name,
    )


def test_a_release_to_other_opens_nothing_to_child_protection_or_a_funder(
    reports_world, as_user
) -> None:
    # The finding's case: he agrees to share with "other" (his own counsellor, say).
    client = as_user(reports_world.mona)
    release_for(reports_world.good, "other", recipient_name="Agency X")
    for kind in ("child_protection", "funder", "court", "probation"):
        html = preview(client, reports_world.good, kind, "Agency X", "caseworker")
        assert RELEASED_VALUE not in html, kind
        assert RELEASED_TITLE not in html, kind
    assert RELEASED_VALUE in preview(client, reports_world.good, "other", "Agency X")


@pytest.mark.parametrize("kind", KINDS)
def test_each_release_kind_opens_reports_to_that_kind_only(reports_world, as_user, kind) -> None:
    client = as_user(reports_world.mona)
    release_for(reports_world.good, kind, recipient_name="Riverside Agency")
    for recipient_kind in KINDS:
        html = preview(client, reports_world.good, recipient_kind, "Riverside Agency")
        assert (RELEASED_VALUE in html) is (recipient_kind == kind), recipient_kind


def test_a_release_with_no_recipient_name_covers_nobody(reports_world, as_user) -> None:
    # Recorded before names were required: it fails closed instead of matching everyone.
    client = as_user(reports_world.mona)
    release_for(reports_world.good, "probation", recipient_name="")
    html = preview(client, reports_world.good, "probation", "Riverside Probation", "P. Officer")
    assert RELEASED_VALUE not in html
    # An empty recipient name on the document does not match it either.
    assert RELEASED_VALUE not in preview(client, reports_world.good, "probation", "Other Office")


def test_a_release_matches_the_recipient_person_as_well_as_the_organization(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.mona)
    release_for(reports_world.good, "court", recipient_name="Judge Kereama")
    html = preview(client, reports_world.good, "court", "District Court", "judge kereama ")
    assert RELEASED_VALUE in html
    assert RELEASED_VALUE not in preview(client, reports_world.good, "court", "District Court")


def test_documents_and_releases_share_one_list_of_recipient_kinds() -> None:
    from alliance.measures.models import RecipientKind as ReleaseKind

    assert list(RecipientKind.values) == KINDS
    assert ReleaseKind.choices == RecipientKind.choices


def test_the_release_form_offers_every_kind_and_records_a_child_protection_release(
    reports_world, as_user
) -> None:
    client = as_user(reports_world.bob)
    url = f"/enrollments/{reports_world.good.pk}/releases/"
    body = client.get(url).content.decode()
    for kind in KINDS:
        assert f'value="{kind}"' in body, kind
    response = client.post(
        url,
        {
            "recipient_kind": "child_protection",
            "recipient_name": "Riverside Child Protection",
            "signed_on": "2025-03-03",
            "expires_on": "2025-09-03",
            "instrument_ids": ["scs_sf"],
        },
    )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.recipient_kind == "child_protection"
    assert release.recipient_name == "Riverside Child Protection"


@pytest.mark.parametrize("name", ["", "   "])
def test_the_release_form_refuses_a_release_without_a_recipient_name(
    reports_world, as_user, name
) -> None:
    response = as_user(reports_world.bob).post(
        f"/enrollments/{reports_world.good.pk}/releases/",
        {
            "recipient_kind": "other",
            "recipient_name": name,
            "signed_on": "2025-03-03",
            "expires_on": "2025-09-03",
            "instrument_ids": ["scs_sf"],
        },
    )
    assert response.status_code == 400
    assert "Recipient organization" in response.content.decode()
    assert not Release.objects.exists()
