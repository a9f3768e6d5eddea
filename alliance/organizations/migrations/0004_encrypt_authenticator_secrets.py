"""Move every django-otp TOTPDevice into organizations.Authenticator, its seed encrypted.

The hex seed leaves ``otp_totp_totpdevice`` (the rows are deleted once copied), so the database
no longer holds any second factor in the clear. Existing devices need ALLIANCE_PARTNER_KEY set
when this runs (the field refuses to write without it, naming the variable). Staff keep their
authenticator apps; a session verified before the upgrade asks for a code once more.
"""

from django.db import migrations

COPIED = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)


def _move(source, target):
    for device in source.objects.order_by("pk"):
        # update() keeps created_at as it was (auto_now_add would stamp it on create).
        copy = target.objects.create(**{name: getattr(device, name) for name in COPIED})
        target.objects.filter(pk=copy.pk).update(created_at=device.created_at)
    source.objects.all().delete()


def encrypt_secrets(apps, schema_editor):
    _move(apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("organizations", "Authenticator"))


def decrypt_secrets(apps, schema_editor):
    _move(apps.get_model("organizations", "Authenticator"), apps.get_model("otp_totp", "TOTPDevice"))


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_authenticator"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
