"""Organization details and sites: the organization admin's forms, and the letterhead that
reports read. Olga administers Riverside; Oscar administers Elsewhere and must reach nothing
of Riverside; the other Riverside staff have no settings at all."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alliance.organizations.letterhead import letterhead
from alliance.organizations.logo import MAX_BYTES
from alliance.organizations.models import Site
from tests.web.helpers import MISSING_ID, assert_same_not_found, text

GOOD = {
    "name": "Riverside Men's Programs",
    "time_zone": "America/Los_Angeles",
    "address": "1 River Road\nRiverside CA",
    "phone": "+1 (555) 010-0100",
    "signature_block": "Olga Tester\nProgram Director",
}


def png(size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_the_admin_saves_the_details_that_head_every_document(world, as_user):
    client = as_user(world.olga)
    response = client.post(reverse("settings-organization"), {**GOOD, "logo_upload": upload(png())})
    assert response.status_code == 302
    world.riverside.refresh_from_db()
    assert world.riverside.time_zone == "America/Los_Angeles"
    head = letterhead(world.riverside)
    assert head.name == "Riverside Men's Programs"
    assert head.address_lines == ("1 River Road", "Riverside CA")
    assert head.phone == "+1 (555) 010-0100"
    assert head.signature_lines == ("Olga Tester", "Program Director")
    assert head.logo_uri.startswith("data:image/png;base64,")
    page = text(client.get(reverse("settings-organization")))
    assert head.logo_uri in page
    assert "Program Director" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Name: This field is required."),
        ("time_zone", "Mars/Olympus", "Choose a time zone from the list"),
        ("phone", "call me maybe", "Enter a phone number"),
    ],
)
def test_bad_details_are_refused_naming_the_field(world, as_user, field, value, message):
    response = as_user(world.olga).post(reverse("settings-organization"), {**GOOD, field: value})
    assert response.status_code == 400
    assert message in text(response)
    world.riverside.refresh_from_db()
    assert world.riverside.name == "Riverside"
    assert world.riverside.address == ""


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "logo.svg",
            "Upload a PNG or JPEG image.",
        ),
        (b"GIF89a" + b"\x00" * 20, "logo.png", "Upload a PNG or JPEG image."),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", "logo.png", "not a readable PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_BYTES, "big.png", "larger than 512 KB"),
        (png((2500, 10)), "wide.png", "larger than 2000 pixels"),
    ],
    ids=["svg", "gif-named-png", "truncated-png", "too-big", "too-wide"],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(world, as_user, data, name, message):
    response = as_user(world.olga).post(
        reverse("settings-organization"), {**GOOD, "logo_upload": upload(data, name)}
    )
    assert response.status_code == 400
    assert "Logo: " in text(response)
    assert message in text(response)
    world.riverside.refresh_from_db()
    assert bytes(world.riverside.logo) == b""
    assert world.riverside.name == "Riverside"


def test_the_admin_removes_the_logo(world, as_user):
    client = as_user(world.olga)
    client.post(reverse("settings-organization"), {**GOOD, "logo_upload": upload(png())})
    client.post(reverse("settings-organization"), {**GOOD, "remove_logo": "on"})
    world.riverside.refresh_from_db()
    assert letterhead(world.riverside).logo_uri == ""


@pytest.mark.parametrize("name", ["alice", "mona", "bob", "eve", "petra"])
def test_only_the_organization_admin_edits_the_organization(world, as_user, name):
    response = as_user(getattr(world, name)).post(reverse("settings-organization"), GOOD)
    assert response.status_code == 404
    world.riverside.refresh_from_db()
    assert world.riverside.name == "Riverside"


def test_another_organizations_admin_edits_only_his_own(world, as_user):
    response = as_user(world.outsider).post(reverse("settings-organization"), GOOD)
    assert response.status_code == 302
    world.riverside.refresh_from_db()
    assert world.riverside.name == "Riverside"
    world.outsider.membership.organization.refresh_from_db()
    assert world.outsider.membership.organization.name == GOOD["name"]


SITE = {"name": "Riverside East", "time_zone": "Pacific/Auckland", "address": "", "phone": ""}


def test_the_admin_adds_a_site(world, as_user):
    response = as_user(world.olga).post(reverse("settings-sites"), SITE)
    assert response.status_code == 302
    site = Site.objects.get(organization=world.riverside, name="Riverside East")
    assert site.is_active


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Name: This field is required."),
        ("name", "riverside north", "Name: Another site already has this name."),
        ("time_zone", "Nowhere/Land", "Time zone: Choose a time zone"),
        ("phone", "x", "Phone: Enter a phone number"),
    ],
)
def test_a_bad_site_is_refused_naming_the_field(world, as_user, field, value, message):
    response = as_user(world.olga).post(reverse("settings-sites"), {**SITE, field: value})
    assert response.status_code == 400
    assert message in text(response)
    assert Site.objects.filter(organization=world.riverside).count() == 2


def test_the_admin_renames_closes_and_reopens_a_site(world, as_user):
    client = as_user(world.olga)
    edit = reverse("settings-site", args=[world.north.pk])
    assert client.post(edit, {**SITE, "name": "North Centre"}).status_code == 302
    active = reverse("settings-site-active", args=[world.north.pk])
    assert client.post(active, {"active": "0"}).status_code == 302
    world.north.refresh_from_db()
    assert (world.north.name, world.north.is_active) == ("North Centre", False)
    assert world.program.site_id == world.north.pk  # its programs and records stay
    assert client.post(active, {"active": "1"}).status_code == 302
    world.north.refresh_from_db()
    assert world.north.is_active


def test_closing_a_site_without_saying_close_or_reopen_is_refused(world, as_user):
    response = as_user(world.olga).post(reverse("settings-site-active", args=[world.north.pk]))
    assert response.status_code == 400
    assert "active: choose close or reopen" in text(response)


def test_an_edit_with_a_clashing_name_is_refused(world, as_user):
    edit = reverse("settings-site", args=[world.north.pk])
    response = as_user(world.olga).post(edit, {**SITE, "name": "Riverside South"})
    assert response.status_code == 400
    assert "Another site already has this name." in text(response)


def test_another_organizations_site_is_missing_for_oscar(world, as_user):
    client = as_user(world.outsider)
    forbidden = client.get(reverse("settings-site", args=[world.north.pk]))
    missing = client.get(reverse("settings-site", args=[MISSING_ID]))
    assert_same_not_found(forbidden, missing)
    refused = client.post(reverse("settings-site-active", args=[world.north.pk]), {"active": "0"})
    assert refused.status_code == 404
    world.north.refresh_from_db()
    assert world.north.is_active


def test_an_organization_without_sites_is_told_what_a_site_is_for(db, as_user):
    from alliance.organizations.services import create_org_admin
    from tests.factories import PASSWORD

    nadia = create_org_admin(
        username="nadia", email="n@example.org", password=PASSWORD, organization_name="Northside"
    )
    body = text(as_user(nadia).get(reverse("settings-sites")))
    assert "No sites yet. A site is a place where groups meet" in body
    assert "<table" not in body
