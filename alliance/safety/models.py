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


class ReportMode(models.TextChoices):
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"
    TEXT = "text", "Text message"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "She agreed to give partner reports"
    DECLINED = "declined", "She declined"


class PartnerReportConsent(models.Model):
    """Her decision about partner reports: given or declined, when and how; withdrawable.

    Never edited: a withdrawal records its day; a new decision is a new row. A report may be
    recorded only on a day a consent she gave is in force.
    """

    data_class = DataClass.PARTNER

    partner = models.ForeignKey(
        PartnerRecord, on_delete=models.CASCADE, related_name="report_consents"
    )
    decision = models.CharField(max_length=16, choices=ConsentDecision.choices)
    decided_on = models.DateField()
    how = models.CharField(max_length=16, choices=ReportMode.choices)
    note = EncryptedTextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"Partner report consent {self.pk}"

    def in_force_on(self, day: dt.date) -> bool:
        return (
            self.decision == ConsentDecision.GIVEN
            and self.decided_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


class PartnerReport(models.Model):
    """One partner report (``alliance.core.partner_reports.PARTNER_REPORT``), with her consent.

    Every answer and the worker's note are encrypted; the day and the mode stay plain so lists
    can be ordered. Corrections keep every version (history, encrypted too).
    """

    data_class = DataClass.PARTNER

    partner = models.ForeignKey(PartnerRecord, on_delete=models.CASCADE, related_name="reports")
    consent = models.ForeignKey(
        PartnerReportConsent, on_delete=models.PROTECT, related_name="reports"
    )
    reported_on = models.DateField()
    mode = models.CharField(max_length=16, choices=ReportMode.choices)
    definition_version = models.CharField(max_length=16)
    felt_safety = EncryptedTextField(blank=True)
    controlling = EncryptedTextField(blank=True)
    respectful = EncryptedTextField(blank=True)
    change = EncryptedTextField(blank=True)
    worker_note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"Partner report {self.pk}"

    def answers(self) -> dict[str, int | None]:
        """Each item's answer (None when she did not answer it).

        A stored value that is not a whole number is read as unanswered rather than stopping
        her record's page (the services write only 0-4 or nothing)."""
        out: dict[str, int | None] = {}
        for name in REPORT_ITEMS:
            raw = str(getattr(self, name) or "").strip()
            out[name] = int(raw) if raw.isdigit() else None
        return out


#: The encrypted answer columns of ``PartnerReport``, in the measure's order.
REPORT_ITEMS = ("felt_safety", "controlling", "respectful", "change")


class FlagRecipient(models.TextChoices):
    FACILITATORS = "facilitators", "His facilitators"
    PROBATION = "probation", "His probation officer"
    COURT = "court", "The court"


class DiscrepancyRelease(models.Model):
    """Her release: the discrepancy flag (never her words) may be told to one recipient.

    Specific to the recipient, dated, withdrawable; never edited.
    """

    data_class = DataClass.PARTNER

    partner = models.ForeignKey(
        PartnerRecord, on_delete=models.CASCADE, related_name="flag_releases"
    )
    recipient = models.CharField(max_length=16, choices=FlagRecipient.choices)
    given_on = models.DateField()
    how = models.CharField(max_length=16, choices=ReportMode.choices)
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"Discrepancy release {self.pk} ({self.recipient})"

    def in_force_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
