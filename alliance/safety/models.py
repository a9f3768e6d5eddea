"""The partner-safety compartment: partners, their safe-contact preferences, the releases the
man signed, what the partner was told, safety concerns, and break-glass openings.

Every field that identifies or describes a partner or a concern is an
:class:`~alliance.encryption.EncryptedTextField`. Only dates, states and coded kinds that say
nothing about the partner stay in plain columns, so lists can be filtered by the database.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.encryption import EncryptedTextField
from alliance.organizations.models import Organization
from alliance.participants.models import Enrollment, Participant


class PartnerRecord(models.Model):
    """One partner or ex-partner of one man; a man may have several over time."""

    data_class = DataClass.PARTNER

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partner_records"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="partner_records"
    )
    name = EncryptedTextField()
    relationship = EncryptedTextField(blank=True, help_text="For example: wife, former partner.")
    phone = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    language = EncryptedTextField(blank=True)
    safe_times = EncryptedTextField(
        blank=True, help_text="When it is safe to contact her, e.g. weekdays 10-14 at work."
    )
    safe_methods = EncryptedTextField(
        blank=True, help_text="How it is safe to contact her: call, text, email, in person."
    )
    cautions = EncryptedTextField(
        blank=True, help_text="What never to do, e.g. never leave a voicemail."
    )
    notes = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Every version is kept (who, when, what changed); the history columns are encrypted too.
    history = HistoricalRecords()

    class Meta:
        ordering = ["participant__code", "created_at"]

    def __str__(self) -> str:
        # Never the name: __str__ ends up in logs and error pages.
        return f"Partner record {self.pk}"


class NotificationKind(models.TextChoices):
    ENROLLMENT = "enrollment", "Enrollment (he started or rejoined the program)"
    TERMINATION = "termination", "Termination (discharged or dropped out)"
    COMPLETION = "completion", "Completion"
    TRANSFER = "transfer", "Transfer (he moved to another program or site)"
    #: He broke the program's attendance rules (alliance.court: one verdict, three documents).
    NON_COMPLIANCE = "non_compliance", "Non-compliance (he broke the attendance rules)"


class PartnerRelease(models.Model):
    """A release the man signed: what may be told to this partner. Revocable, never edited."""

    data_class = DataClass.PARTNER

    partner = models.ForeignKey(PartnerRecord, on_delete=models.CASCADE, related_name="releases")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    signed_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"Release {self.pk} ({self.kind})"

    def in_force_on(self, day: dt.date) -> bool:
        return self.signed_on <= day and (self.revoked_on is None or self.revoked_on > day)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Prepared, not sent"
    SENT = "sent", "Told"
    CANCELLED = "cancelled", "Not sent"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"


class PartnerNotification(models.Model):
    """The notification log: a prepared draft until the safety worker confirms and sends it.

    ``kind`` is empty for a contact the worker logged herself (not tied to a status change).
    """

    data_class = DataClass.PARTNER

    partner = models.ForeignKey(
        PartnerRecord, on_delete=models.CASCADE, related_name="notifications"
    )
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices, blank=True)
    event_on = models.DateField(help_text="The day of the status change it reports.")
    #: When the safety worker should have told her (the program's partner-notice clock, in
    #: business days from the day it was prepared); empty for a contact she logged herself.
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    prepared_at = models.DateTimeField(auto_now_add=True)
    message = EncryptedTextField(help_text="What she was (or is to be) told.")
    method = models.CharField(max_length=16, choices=ContactMethod.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-prepared_at", "-pk"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Partner notification {self.pk}"


class ConcernLevel(models.TextChoices):
    # Letters as well as words: the level is never shown by colour alone.
    LOW = "low", "Low"
    ELEVATED = "elevated", "Elevated"
    HIGH = "high", "High"
    IMMINENT = "imminent", "Imminent danger"


LEVEL_ORDER = {
    ConcernLevel.IMMINENT: 0,
    ConcernLevel.HIGH: 1,
    ConcernLevel.ELEVATED: 2,
    ConcernLevel.LOW: 3,
}


class SafetyConcern(models.Model):
    data_class = DataClass.PARTNER

    partner = models.ForeignKey(PartnerRecord, on_delete=models.CASCADE, related_name="concerns")
    level = EncryptedTextField(choices=ConcernLevel.choices)
    raised_on = models.DateField()
    narrative = EncryptedTextField()
    resolved_on = models.DateField(null=True, blank=True)
    resolution = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Safety concern {self.pk}"


class BreakGlassAccess(models.Model):
    """An organization admin opened one partner record for a short window, with a reason."""

    data_class = DataClass.PARTNER

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(PartnerRecord, on_delete=models.CASCADE, related_name="break_glass")
    reason = EncryptedTextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["user", "partner", "expires_at"])]

    def __str__(self) -> str:
        return f"Break-glass access {self.pk}"
