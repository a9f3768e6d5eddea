"""Who works where: organizations, their sites, and each staff member's role.

A user belongs to an organization through one Membership that carries a role and the sites
the role covers. Facilitators are further limited to the groups they run (see
``alliance.programs.permissions``).
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from alliance.data_classes import DataClass


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/Madrid).")


class Organization(models.Model):
    data_class = DataClass.OPERATIONAL

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_site_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Organization admin"
    PROGRAM_MANAGER = "program_manager", "Program manager"
    SUPERVISOR = "supervisor", "Clinical supervisor"
    FACILITATOR = "facilitator", "Facilitator"
    PARTNER_SAFETY = "partner_safety", "Partner-safety worker"
    EVALUATOR = "evaluator", "Evaluator"


class Membership(models.Model):
    """One staff member's role in one organization.

    ``sites`` limits every role except the organization admin, who sees every site.
    """

    data_class = DataClass.OPERATIONAL

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    sites = models.ManyToManyField(Site, blank=True, related_name="memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_org_admin(self) -> bool:
        return self.role == Role.ORG_ADMIN


class TokenGuess(models.Model):
    """A look-up of a participant token that matched nothing, by hashed client address.

    Read by ``alliance.organizations.participant_tokens`` to refuse brute-force guessing.
    """

    data_class = DataClass.SECURITY

    client_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["client_hash", "at"], name="token_guess_client_at")]

    def __str__(self) -> str:
        return f"unknown token at {self.at}"
