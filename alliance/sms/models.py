"""His agreement to texts, and one row per text sent (kind and status; never the body or the
number, which stays in the identity vault)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.organizations.models import Organization
from alliance.participants.models import Participant


class TextConsent(models.Model):
    """Whether he agreed to texts, at which number (a keyed digest, to match his STOP reply),
    and when he stopped them."""

    data_class = DataClass.OPERATIONAL

    class Status(models.TextChoices):
        AGREED = "agreed", "Agreed to texts"
        STOPPED = "stopped", "Stopped texts"

    class StoppedVia(models.TextChoices):
        REPLY = "reply", "He replied STOP"
        STAFF = "staff", "He asked staff to stop them"
        NUMBER_CHANGED = "number_changed", "His number changed"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="text_consent"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    #: HMAC of the E.164 number he agreed at (alliance.sms.services.phone_digest).
    phone_digest = models.CharField(max_length=64, db_index=True)
    agreed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_via = models.CharField(max_length=16, choices=StoppedVia.choices, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Text consent {self.pk} ({self.status})"


class TextKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Confirmation that he agreed"
    REMINDER = "reminder", "Reminder"
    LINK = "link", "His practice link"
    SESSION_CANCELLED = "session_cancelled", "Session cancelled"
    SESSION_RESTORED = "session_restored", "Session back on"
    SESSION_MOVED = "session_moved", "Session moved"
    HELP = "help", "Reply to HELP"


class TextMessage(models.Model):
    """One text: what kind, whether the provider took it and what it later reported."""

    data_class = DataClass.OPERATIONAL

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        UNDELIVERED = "undelivered", "Not delivered"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="text_messages"
    )
    kind = models.CharField(max_length=24, choices=TextKind.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    provider_id = models.CharField(max_length=64, blank=True, db_index=True)
    #: Why it failed, in words that name neither the number nor the body.
    error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField()
    status_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["participant", "sent_at"])]

    def __str__(self) -> str:
        return f"Text {self.pk} ({self.kind}, {self.status})"
