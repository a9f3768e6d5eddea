"""The log of documents sent to courts, probation and other referral agencies.

A sent document is kept exactly as it went out (its HTML and its PDF), with whom it went to,
when, which period it covered and who sent it. It is never edited or deleted: a correction is a
new document that names the one it corrects.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from alliance.data_classes import DataClass

# One list of recipient kinds for documents and releases, so that every document recipient
# has a release kind of its own (finding M2).
from alliance.measures.models import RecipientKind as RecipientKind


class DocumentKind(models.TextChoices):
    ENROLLMENT_NOTICE = "enrollment_notice", "Enrollment notice"
    COMPLIANCE_REPORT = "compliance_report", "Compliance report"
    NONCOMPLIANCE_NOTICE = "noncompliance_notice", "Non-compliance notice"
    TERMINATION_NOTICE = "termination_notice", "Termination notice"
    COMPLETION_CERTIFICATE = "completion_certificate", "Completion certificate"
    MONTHLY_AGGREGATE = "monthly_aggregate", "Monthly report by referral source"


class ImmutableDocumentError(RuntimeError):
    """Raised on any attempt to change or delete a document that has been sent."""


class SentDocumentQuerySet(models.QuerySet["SentDocument"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableDocumentError("A sent document cannot be changed; send a correction.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableDocumentError("A sent document cannot be deleted; send a correction.")


class SentDocument(models.Model):
    data_class = DataClass.REPORTABLE

    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="sent_documents"
    )
    # Empty for the monthly aggregate, which is about a program, not a man.
    enrollment = models.ForeignKey(
        "participants.Enrollment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sent_documents",
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    recipient_kind = models.CharField(max_length=24, choices=RecipientKind.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_organization = models.CharField(max_length=200)
    released_instrument_ids = models.JSONField(
        default=list, blank=True, help_text="Therapeutic measures included under a release."
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    html = models.TextField()
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)

    objects = SentDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "sent_at"]),
            models.Index(fields=["enrollment", "sent_at"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} to {self.recipient_organization} ({self.sent_at:%Y-%m-%d})"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Immutability is an invariant of the record, not a business rule: enforce it at the
        # one place every write passes through.
        if self.pk is not None:
            raise ImmutableDocumentError("A sent document cannot be changed; send a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableDocumentError("A sent document cannot be deleted; send a correction.")

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start:%-d %b %Y} – {self.period_end:%-d %b %Y}"
        if self.period_end:
            return f"as of {self.period_end:%-d %b %Y}"
        return ""
