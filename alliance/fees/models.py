"""Fees: each program's schedule and sliding scale, a man's band and waivers, and the ledger.

Money is an integer count of the organization's currency's minor unit (``FeeSettings``).
The ledger (``LedgerEntry``) is append-only at the database level, like the access log: the
table is created by migration 0001's own SQL with triggers that refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL), so the model is unmanaged and a test-database ``flush`` leaves it
alone. A mistake is corrected by a new entry that reverses it, never by an edit.

The one UPDATE the triggers let through clears the enrollment of a row whose man is purged
at the end of the retention period (``on_delete=SET_NULL``), leaving every amount in place:
the books still add up, and the row no longer names anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.core.fees import AbsenceCharge, EntryKind
from alliance.data_classes import DataClass


class FeeSettings(models.Model):
    """The organization's currency (ISO 4217), one row per organization."""

    data_class = DataClass.OPERATIONAL

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="fee_settings"
    )
    currency = models.CharField(max_length=3, default="USD")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.organization} fees in {self.currency}"


ABSENCE_CHOICES = [
    (AbsenceCharge.NONE.value, "No absence is charged"),
    (AbsenceCharge.UNEXCUSED.value, "Unexcused absences are charged"),
    (AbsenceCharge.ALL.value, "Every absence is charged"),
]


class FeeSchedule(models.Model):
    """A program's fees (minor units) and which sessions are charged."""

    data_class = DataClass.OPERATIONAL

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="fee_schedule"
    )
    intake_fee = models.PositiveIntegerField(default=0)
    session_fee = models.PositiveIntegerField(default=0)
    materials_fee = models.PositiveIntegerField(default=0)
    absences_charged = models.CharField(
        max_length=16,
        default=AbsenceCharge.NONE,
        choices=ABSENCE_CHOICES,
    )
    charge_makeups = models.BooleanField(
        default=False, help_text="Charge the session fee for a make-up session too."
    )
    scale_loaded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Fees of {self.program}"


class ScaleBand(models.Model):
    """One row of a program's sliding scale (``alliance.core.fees.BandRow``); a new table
    replaces every row at once (the load is in the schedule's history)."""

    data_class = DataClass.OPERATIONAL

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="bands")
    band = models.CharField(max_length=40)
    household_size = models.PositiveSmallIntegerField()
    #: Yearly household income ceiling in minor units; null: no ceiling (the last row).
    max_income = models.BigIntegerField(null=True, blank=True)
    fee_percent = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["household_size", models.F("max_income").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"{self.band} ({self.household_size}): {self.fee_percent} %"


class BandAssessment(models.Model):
    """His ability to pay, assessed by a member of staff: the latest one applies to charges
    posted after it. Income and household size are what he declared; the band and percentage
    are copied from the scale of the day, so a later table does not rewrite the past."""

    data_class = DataClass.OPERATIONAL

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="fee_assessments"
    )
    household_income = models.BigIntegerField()
    household_size = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=40)
    fee_percent = models.PositiveSmallIntegerField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"Band {self.band} ({self.fee_percent} %)"


class WaiverStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Waiver(models.Model):
    """A hardship waiver: asked for by one member of staff, decided by another."""

    data_class = DataClass.OPERATIONAL

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="fee_waivers"
    )
    amount = models.PositiveIntegerField()
    reason = models.TextField(max_length=500)
    status = models.CharField(
        max_length=16, choices=WaiverStatus.choices, default=WaiverStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Waiver {self.pk} ({self.status})"


class AgencyFeePolicy(models.Model):
    """What a referral agency's standard requires about fees. Both are off unless the
    organization turns them on for this agency, naming the standard that requires it."""

    data_class = DataClass.OPERATIONAL

    agency = models.OneToOneField(
        "organizations.Agency", on_delete=models.CASCADE, related_name="fee_policy"
    )
    unpaid_blocks_completion = models.BooleanField(default=False)
    fees_in_court_documents = models.BooleanField(default=False)
    standard = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Fee policy for {self.agency}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    CHEQUE = "cheque", "Cheque"
    THIRD_PARTY = "third_party", "Third-party payer"
    VOUCHER = "voucher", "Voucher"


class ChargeKind(models.TextChoices):
    INTAKE = "intake", "Intake fee"
    SESSION = "session", "Session fee"
    MATERIALS = "materials", "Materials"
    OTHER = "other", "Other charge"


class LedgerEntry(models.Model):
    """One posted entry of a man's fee account. Never changed, never deleted."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.SET_NULL,
        db_constraint=False,
        null=True,
        related_name="fee_entries",
    )
    kind = models.CharField(max_length=16, choices=[(k.value, k.value.title()) for k in EntryKind])
    charge_kind = models.CharField(max_length=16, choices=ChargeKind.choices, blank=True)
    #: Minor units of ``currency``, always more than zero; ``kind`` says which way it counts.
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    posted_on = models.DateField()
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    #: The username when the entry was posted (the user row may later change or go).
    username = models.CharField(max_length=150)
    method = models.CharField(max_length=16, choices=PaymentMethod.choices, blank=True)
    #: Card authorization, cheque or voucher number.
    reference = models.CharField(max_length=64, blank=True)
    #: Who paid when it was not him (a third-party payer or the voucher's issuer).
    payer = models.CharField(max_length=200, blank=True)
    #: A staff note; never shown to him.
    memo = models.CharField(max_length=500, blank=True)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    reverses_kind = models.CharField(max_length=16, blank=True)
    session = models.ForeignKey(
        "programs.Session",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    #: The approved waiver this entry posts: a bare id, not a relation, so that a purge that
    #: deletes the waiver never reaches for the ledger (which refuses every deletion).
    waiver_id = models.BigIntegerField(null=True)
    #: What makes a posting happen once per enrollment ("session-<id>", "intake",
    #: "materials", "waiver-<id>", "reverses-<id>"): unique with ``enrollment`` (an index of
    #: migration 0001). It never holds his enrollment id, so a purged row names nobody.
    idempotency_key = models.CharField(max_length=100, null=True)

    class Meta:
        managed = False
        db_table = "fees_ledgerentry"
        ordering = ["posted_on", "pk"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} on {self.posted_on}"
