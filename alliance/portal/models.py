"""Delivering sent documents (by e-mail or through the agency portal) and the portal's accounts.

A :class:`Delivery` is one way one document goes to one recipient: an e-mail with the PDF
attached (retried with backoff until it is sent) or a place on an agency's portal, where the
agency's officers read it and acknowledge receipt. The document itself stays in
``alliance.reports`` exactly as it was produced.

An :class:`OfficerAccount` makes a user a probation officer or court clerk of one agency: such a
user has no staff membership, so every staff page answers 404, and the portal shows him only
the deliveries made to his agency.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PORTAL = "portal", "Agency portal"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    data_class = DataClass.REPORTABLE

    document = models.ForeignKey(
        "reports.SentDocument", on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    #: The agency whose portal shows it (portal), or whose address it went to (e-mail, optional).
    agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    recipient_email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    #: The kind of failure and the server's answer; never the message or its attachment.
    last_error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    #: When ``alliance send-pending`` tries again; empty once sent or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["agency", "channel"]),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.get_channel_display()}, {self.get_status_display()})"

    @property
    def recipient_label(self) -> str:
        if self.channel == Channel.PORTAL and self.agency is not None:
            return f"{self.agency.name} (portal)"
        return self.recipient_email


class OfficerAccount(models.Model):
    """A probation officer's or court clerk's sign-in for one agency's portal."""

    data_class = DataClass.OPERATIONAL

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_account"
    )
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="officers"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


class OfficerInvitation(models.Model):
    """An e-mailed invitation to an agency's portal. Only a digest of the token is stored."""

    data_class = DataClass.OPERATIONAL
    data_class_fields = {"token_hash": DataClass.SECURITY}

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="officer_invitations"
    )
    email = models.EmailField()
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
        return f"portal invitation {self.pk}"
