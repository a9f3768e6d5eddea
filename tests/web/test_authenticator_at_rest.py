"""Staff authenticator secrets are encrypted at rest under the partner compartment's key.

Security finding L9: django-otp's ``otp_totp_totpdevice.key`` held every TOTP seed in hex, so a
copy of the database or of a backup gave every second factor.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance import encryption
from alliance.organizations.models import Authenticator
from alliance.organizations.twofactor import current_code
from tests.web.test_login_two_factor import SETUP, VERIFY, pending_device, set_up, sign_in

HEX_SEED = re.compile(r"\b[0-9a-f]{40}\b")


def stored_columns() -> list[tuple[object, ...]]:
    """Every row of the authenticator table as the database (or a copy of it) holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM organizations_authenticator")
        return list(cursor.fetchall())


def seed_forms(device: Authenticator) -> list[str]:
    """The seed as hex (django-otp's column) and as base32 (what the set-up page shows)."""
    return [device.key, base64.b32encode(device.bin_key).decode("ascii")]


def code_is_accepted(client, device: Authenticator) -> bool:
    sign_in(client)
    response = client.post(VERIFY, {"code": current_code(device), "next": "/"})
    return response.status_code == 302 and response["Location"] == "/"


def test_the_database_never_holds_the_seed_of_an_authenticator_set_up_at_sign_in(world, client):
    set_up(client, world.alice)

    device = Authenticator.objects.get(user=world.alice)
    dump = repr(stored_columns())
    (sealed,) = Authenticator.objects.filter(pk=device.pk).values_list("key", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM organizations_authenticator")
        (raw,) = cursor.fetchone()
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert sealed == device.key  # the model reads it back as the hex seed
    for form in seed_forms(device):
        assert form not in dump
    assert HEX_SEED.search(dump) is None
    assert not TOTPDevice.objects.exists()  # nothing goes to django-otp's plaintext table


def test_sign_in_with_the_authenticator_app_works_with_the_encrypted_secret(
    world, client, frozen_clock
):
    set_up(client, world.alice)
    client.post("/logout/")
    frozen_clock.shift(dt.timedelta(seconds=31))  # the set-up code cannot be replayed

    device = Authenticator.objects.get(user=world.alice)

    assert code_is_accepted(client, device)
    assert client.get("/").status_code == 200


def test_rotation_re_encrypts_authenticator_secrets_and_sign_in_still_works(
    world, client, settings, frozen_clock
) -> None:
    set_up(client, world.alice)
    client.post("/logout/")
    frozen_clock.shift(dt.timedelta(seconds=31))
    before = stored_columns()
    old = settings.ALLIANCE_PARTNER_KEY
    new = encryption.new_key()

    settings.ALLIANCE_PARTNER_KEY = f"{new},{old}"
    call_command("rotate_partner_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ALLIANCE_PARTNER_KEY = new  # the old key is dropped

    assert stored_columns() != before
    device = Authenticator.objects.get(user=world.alice)
    assert code_is_accepted(client, device)


def test_a_database_copy_without_the_key_opens_no_authenticator(world, client, settings):
    set_up(client, world.alice)
    client.post("/logout/")

    settings.ALLIANCE_PARTNER_KEY = encryption.new_key()  # someone else's key, not ours

    with pytest.raises(encryption.PartnerKeyError, match="ALLIANCE_PARTNER_KEY"):
        Authenticator.objects.get(user=world.alice)


def test_a_pending_authenticator_is_encrypted_from_the_first_visit(world, client):
    sign_in(client)
    response = client.get(SETUP)

    device = pending_device(world.alice)
    assert response.status_code == 200
    for form in seed_forms(device):
        assert form not in repr(stored_columns())


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_devices_that_django_otp_stored_in_the_clear(django_user_model):
    # A device as django-otp stored it before the upgrade: hex seed in otp_totp_totpdevice.
    user = django_user_model.objects.create_user("legacy", password="not-used-here")
    target = [("organizations", "0004_encrypt_authenticator_secrets")]
    before = [("organizations", "0003_authenticator")]
    MigrationExecutor(connection).migrate(before)
    legacy = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    seed = legacy.key

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)

    assert not TOTPDevice.objects.exists()
    device = Authenticator.objects.get(user=user)
    assert device.key == seed
    assert device.confirmed
    assert seed not in repr(stored_columns())
