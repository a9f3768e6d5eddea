"""Organization details and sites: the organization admin's forms, and the letterhead that
reports read. Olga administers Riverside; Oscar administers Elsewhere and must reach nothing
of Riverside; the other Riverside staff have no settings at all."""

from __future__ import annotations

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alliance.organizations.letterhead import letterhead
from alliance.organizations.logo import MAX_BYTES, STORED_BYTES, STORED_SIDE
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


def detailed_png(size: tuple[int, int]) -> bytes:
    """A logo with fine detail (every eighth row is seeded noise): heavy for its size, yet under
    the upload limit."""
    width, height = size
    noise = random.Random(7)
    image = Image.new("L", size, 255)
    for y in range(0, height, 8):
        row = Image.frombytes("L", (width, 1), noise.randbytes(width))
        image.paste(row, (0, y))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def stored_logo(world) -> Image.Image:
    world.riverside.refresh_from_db()
    return Image.open(io.BytesIO(bytes(world.riverside.logo)))


def test_a_large_logo_is_stored_small_so_every_document_carries_a_small_copy(world, as_user):
    upload_data = detailed_png((1800, 900))
    assert STORED_BYTES < len(upload_data) <= MAX_BYTES

    response = as_user(world.olga).post(
        reverse("settings-organization"), {**GOOD, "logo_upload": upload(upload_data)}
    )

    assert response.status_code == 302
    image = stored_logo(world)
    assert image.format == "PNG"
    assert max(image.size) <= STORED_SIDE
    assert image.size[0] == 2 * image.size[1]  # the shape is kept
    assert len(bytes(world.riverside.logo)) <= STORED_BYTES
    # What each sent document copies is the letterhead's data URI: small now.
    assert len(letterhead(world.riverside).logo_uri) < STORED_BYTES * 4 // 3 + 100


def test_a_small_logo_keeps_its_size(world, as_user):
    as_user(world.olga).post(
        reverse("settings-organization"), {**GOOD, "logo_upload": upload(png((40, 20)))}
    )
    assert stored_logo(world).size == (40, 20)


def test_a_photo_logo_is_turned_upright_and_stored_without_its_metadata(world, as_user):
    image = Image.new("RGB", (300, 100), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; show it rotated a quarter turn
    exif[0x010F] = "Phone maker"  # a metadata field that must not be kept
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)

    as_user(world.olga).post(
        reverse("settings-organization"),
        {**GOOD, "logo_upload": upload(buffer.getvalue(), "logo.jpg", "image/jpeg")},
    )

    stored = stored_logo(world)
    assert stored.format == "JPEG"
    assert stored.size == (100, 300)
    assert dict(stored.getexif()) == {}
    assert world.riverside.logo_type == "image/jpeg"
