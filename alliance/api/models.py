"""Integration keys and the idempotency record of API writes.

An integration key acts as a staff role: each key has its own service account with a
membership of that role and those sites, so every API endpoint applies exactly the access
rules of the pages (``alliance.participants.permissions`` and friends). Only a hash of the
secret is stored; the key is shown once, when it is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.data_classes import DataClass
from alliance.organizations.models import Organization, Role

#: Roles a key may take. Never the organization admin (keys do not administer) nor the
#: partner-safety worker (the API carries no partner data at all).
KEY_ROLES = (Role.PROGRAM_MANAGER, Role.SUPERVISOR, Role.FACILITATOR, Role.EVALUATOR)


class IntegrationKey(models.Model):
    data_class = DataClass.SECURITY

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="integration_keys"
    )
    name = models.CharField(max_length=100, help_text="What connects with it, e.g. 'Court CMS'.")
    role = models.CharField(max_length=24, choices=[(r.value, r.label) for r in KEY_ROLES])
    #: The key's service account (no password, no sign-in; its membership carries the scope).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration_key"
    )
    #: The public part of the key, to find its row; the secret part is only hashed.
    prefix = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="unique_live_integration_key_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class IdempotentWrite(models.Model):
    """The answer given to one ``Idempotency-Key``, replayed when the same write comes again.

    A client that lost the answer to a POST (a dropped connection) sends it again with the
    same key and gets the same answer, and nothing is written twice.
    """

    data_class = DataClass.OPERATIONAL

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
