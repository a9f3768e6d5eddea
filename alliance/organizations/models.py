"""Who works where: organizations, their sites, and each staff member's role.

A user belongs to an organization through one Membership that carries a role and the sites
the role covers. Facilitators are further limited to the groups they run (see
``alliance.programs.permissions``).
"""

from __future__ import annotations

import zoneinfo
from binascii import unhexlify

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.encryption import EncryptedTextField


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (for example Europe/Madrid).")


class FacilitatorIdentity(models.TextChoices):
    """How much of a man's identity (``alliance.identity``) a facilitator sees.

    The default is the least a group needs: his first name and the initial of his last name,
    on rosters and his page. A program may allow more, never the date of birth, address,
    docket or supervising officer, which only intake, supervisors and managers see.
    """

    SHORT = "short", "First name and last initial (e.g. Daniel R.)"
    NAME = "name", "Full legal name"
    CONTACT = "contact", "Full legal name, phone and e-mail (to call a man who missed a session)"


class Organization(models.Model):
    """The program's owner. Its name, address, phone, logo and signature block head every
    document it sends (see ``alliance.organizations.letterhead``)."""

    data_class = DataClass.OPERATIONAL

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    address = models.TextField(blank=True, max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    # The logo is kept in the database (a few hundred kilobytes at most, checked on upload) so
    # that backups, exports and PDF rendering need no separate media store.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=32, blank=True, editable=False)
    signature_block = models.TextField(
        max_length=1000,
        blank=True,
        help_text="Printed under every letter and report, e.g. name, title, contact.",
    )
    facilitator_identity = models.CharField(
        max_length=16,
        choices=FacilitatorIdentity.choices,
        default=FacilitatorIdentity.SHORT,
        verbose_name="What facilitators see of a man's identity",
        help_text="Where a man's identity is on file. Everyone else who works with him sees "
        "it in full (intake, supervisors, managers) or not at all (evaluators, "
        "partner-safety workers).",
    )
    #: Set-up steps with nothing to count (reminders, retention), confirmed by an admin.
    setup_confirmed = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["logo", "setup_confirmed"])

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    address = models.TextField(blank=True, max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    #: A closed site keeps its programs and records; it is no longer offered for new work.
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_site_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A court, probation office or other agency that refers men to the organization's
    programs and receives its documents.

    Its reporting clocks (``alliance.court``) and its officers' portal accounts
    (``alliance.portal``) hang off this row; an enrollment names the agency that referred him.
    """

    data_class = DataClass.OPERATIONAL

    class Kind(models.TextChoices):
        COURT = "court", "Court"
        PROBATION = "probation", "Probation or parole"
        CHILD_PROTECTION = "child_protection", "Child protection"
        OTHER = "other", "Other agency"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agencies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    #: Where documents go when they are sent by e-mail rather than through the portal.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, max_length=500)
    #: A closed agency keeps its history; it is no longer offered for new referrals.
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_agency_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Organization admin"
    PROGRAM_MANAGER = "program_manager", "Program manager"
    SUPERVISOR = "supervisor", "Clinical supervisor"
    FACILITATOR = "facilitator", "Facilitator"
    PARTNER_SAFETY = "partner_safety", "Partner-safety worker"
    INTAKE = "intake", "Intake coordinator"
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
    #: Professional credentials printed after his name on documents he sends ("MSW, RSW").
    credentials = models.CharField(max_length=100, blank=True)
    # Changes of groups and supervisees (kept on other apps' tables) are recorded here too,
    # as the change reason of a new history row (``alliance.organizations.staff``).
    history = HistoricalRecords(m2m_fields=[sites])

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


class Authenticator(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """A staff member's authenticator app (TOTP), its secret encrypted at rest.

    django-otp's own ``TOTPDevice`` keeps the seed in hex in the clear, so a copy of the
    database or of a backup would give every second factor. This device stores the same hex
    seed in an :class:`~alliance.encryption.EncryptedTextField` (the partner compartment's key,
    rotated with it by ``alliance rotate-partner-key``) and reuses django-otp's TOTP logic
    unchanged: that logic reads the secret only through :attr:`bin_key`.
    """

    data_class = DataClass.SECURITY

    key = EncryptedTextField(
        default=default_key, help_text="The hex-encoded TOTP secret, encrypted at rest."
    )
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta:
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode("ascii"))

    # django-otp 1.7.5's implementations, taken as they are (pinned in pyproject.toml): code
    # verification with drift, replay protection and throttling, and the otpauth:// URI.
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings


class SecondFactorFailure(models.Model):
    """A wrong two-factor code: whose, which kind of code, from which (hashed) address.

    Read by ``alliance.organizations.twofactor_throttle``: the throttle is per user, kind and
    address, so an attacker who has only the password slows down himself, not the real user.
    """

    data_class = DataClass.SECURITY

    class Kind(models.TextChoices):
        APP = "app", "Authenticator app"
        RECOVERY = "recovery", "Recovery code"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    client_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "kind", "client_hash", "at"], name="second_factor_fail")
        ]

    def __str__(self) -> str:
        return f"wrong {self.kind} code at {self.at}"


class StaffInvitation(models.Model):
    """An e-mailed invitation to join the organization with a role and sites.

    Only a SHA-256 digest of the token is stored; the token itself is in the e-mail alone. The
    link works once, until ``expires_at``.
    """

    data_class = DataClass.OPERATIONAL
    data_class_fields = {"token_hash": DataClass.SECURITY}

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=32, choices=Role.choices)
    sites = models.ManyToManyField(Site, blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.get_role_display()})"
