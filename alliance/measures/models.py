"""Measures given to men: schedules, administrations, answers, stored scores, alerts.

An instrument is referenced by the id and version of a definition (bundled with
``alliance.core.instruments``); the definition itself is never copied into the database.
Answers are stored one row per item so that a partial form keeps every answer already given
and a resubmission updates rows in place instead of adding new ones. Scores are derived from
the answers by the engine and record both the definition version and the engine version.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass

CHECKOUT = "alliance_checkout"
FACILITATOR_RATING = "alliance_facilitator_rating"
#: The measures written for Alliance (not externally validated), listed first on his page.
PROJECT_AUTHORED = (CHECKOUT, FACILITATOR_RATING)


class When(models.TextChoices):
    INTAKE = "intake", "At intake"
    EVERY_SESSION = "every_session", "Every session"
    SESSION_NUMBER = "session_number", "At session number N"
    MIDPOINT = "midpoint", "At the midpoint"
    EXIT = "exit", "At exit"


class Occasion(models.TextChoices):
    INTAKE = "intake", "Intake"
    SESSION = "session", "Session"
    MIDPOINT = "midpoint", "Midpoint"
    EXIT = "exit", "Exit"
    OTHER = "other", "Other"


class Respondent(models.TextChoices):
    PARTICIPANT = "participant", "Participant (self-report)"
    FACILITATOR = "facilitator", "Facilitator"
    PAPER = "paper", "Paper form entered by staff"


class Channel(models.TextChoices):
    LINK = "link", "One-time link"
    KIOSK = "kiosk", "Group-room kiosk"
    STAFF = "staff", "Staff entry"


class Status(models.TextChoices):
    PARTIAL = "partial", "Partial"
    COMPLETE = "complete", "Complete"


class Confidentiality(models.TextChoices):
    THERAPEUTIC = "therapeutic", "Therapeutic"
    REPORTABLE = "reportable", "Reportable"


class MeasureSettings(models.Model):
    """A program's alert thresholds (points on the 0-10 check-out and rating scales)."""

    data_class = DataClass.OPERATIONAL

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="measure_settings"
    )
    checkout_cutoff = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="A check-out total below this raises an alert.",
    )
    drop_points = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0.1), MaxValueValidator(10)],
        help_text="A fall of this many points or more from his previous check-out raises an alert.",
    )
    low_rating_cutoff = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="A facilitator rating total below this raises an alert.",
    )
    # The safe-but-not-too-safe map (alliance/core/zones.py): documented assumptions, not
    # validated thresholds; docs/pillars.md says why these defaults.
    zone_safety_cutoff = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=6,
        validators=[MinValueValidator(0.5), MaxValueValidator(10)],
        help_text="Felt safety (check-out) at or above this counts as safe enough.",
    )
    zone_challenge_cutoff = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=4,
        validators=[MinValueValidator(0.5), MaxValueValidator(10)],
        help_text="Accountability work (facilitator rating) at or above this counts as real work.",
    )
    zone_threat_sessions = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="Sessions running in the threat zone that raise an alert.",
    )
    zone_comfort_sessions = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="Sessions running in the comfort zone that raise an alert.",
    )

    def __str__(self) -> str:
        return f"Measure settings for {self.program}"


class MeasureSchedule(models.Model):
    data_class = DataClass.OPERATIONAL

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="measure_schedule"
    )
    instrument_id = models.CharField(max_length=64)
    when = models.CharField(max_length=16, choices=When.choices)
    session_number = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["program", "instrument_id", "when"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "instrument_id", "when", "session_number"],
                name="unique_measure_schedule",
            ),
            models.CheckConstraint(
                condition=models.Q(when="session_number", session_number__isnull=False)
                | (~models.Q(when="session_number") & models.Q(session_number__isnull=True)),
                name="session_number_only_for_session_number",
            ),
        ]

    def __str__(self) -> str:
        if self.when == When.SESSION_NUMBER:
            return f"{self.instrument_id} at session {self.session_number}"
        return f"{self.instrument_id}: {self.get_when_display().lower()}"


class Administration(models.Model):
    """One filling-in of one instrument about one man."""

    data_class = DataClass.THERAPEUTIC

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="administrations"
    )
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=32)
    confidentiality = models.CharField(
        max_length=16, choices=Confidentiality.choices, default=Confidentiality.THERAPEUTIC
    )
    session = models.ForeignKey(
        "programs.Session",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    occasion = models.CharField(max_length=16, choices=Occasion.choices, default=Occasion.OTHER)
    respondent = models.CharField(max_length=16, choices=Respondent.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PARTIAL)
    administered_on = models.DateField()
    # The key of the request that created it: a retried creation finds this row.
    idempotency_key = models.CharField(max_length=64, unique=True)
    # The key of the form that completed it: a retried submission is recognised as a retry.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["administered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session", "instrument_id"],
                condition=models.Q(session__isnull=False),
                name="one_administration_per_man_session_instrument",
            )
        ]
        indexes = [models.Index(fields=["enrollment", "instrument_id", "administered_on"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} for enrollment {self.enrollment_id} on {self.administered_on}"

    @property
    def is_complete(self) -> bool:
        return self.status == Status.COMPLETE


class ItemResponse(models.Model):
    data_class = DataClass.THERAPEUTIC

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="responses"
    )
    item_id = models.CharField(max_length=64)
    value = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    answered_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "item_id"], name="one_answer_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value if self.value is not None else self.text!r}"


class Score(models.Model):
    data_class = DataClass.THERAPEUTIC

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="scores"
    )
    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="scores"
    )
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=32)
    engine_version = models.CharField(max_length=32)
    confidentiality = models.CharField(max_length=16, choices=Confidentiality.choices)
    scale_id = models.CharField(max_length=64)
    value = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=64, blank=True)
    missing = models.BooleanField(default=False)
    answered = models.PositiveSmallIntegerField(default=0)
    administered_on = models.DateField()
    scored_at = models.DateTimeField()

    class Meta:
        ordering = ["administered_on", "administration_id", "scale_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "scale_id"], name="one_score_per_scale"
            )
        ]
        indexes = [models.Index(fields=["enrollment", "instrument_id", "scale_id"])]

    def __str__(self) -> str:
        return f"{self.instrument_id}.{self.scale_id}={self.value}"


class AlertKind(models.TextChoices):
    LOW_CHECKOUT = "low_checkout", "Low check-out"
    CHECKOUT_DROP = "checkout_drop", "Check-out dropped"
    LOW_FACILITATOR_RATING = "low_facilitator_rating", "Low facilitator rating"
    MISSED_MEASURE = "missed_measure", "Missed measure"
    MEASURE_DUE = "measure_due", "Scheduled measure due"
    MISSED_SCHEDULED = "missed_scheduled", "Missed scheduled measure"
    THREAT_ZONE = "threat_zone", "In the threat zone"
    COMFORT_ZONE = "comfort_zone", "In the comfort zone"


class Alert(models.Model):
    data_class = DataClass.THERAPEUTIC

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="alerts"
    )
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    detail = models.CharField(max_length=500)
    session = models.ForeignKey(
        "programs.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administration = models.ForeignKey(
        Administration, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # For scheduled-measure alerts: which occasion of which schedule entry (see
    # ``alliance.core.instruments.schedule``), so a daily sweep finds the alert it raised before.
    schedule_key = models.CharField(max_length=120, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "kind"],
                condition=models.Q(administration__isnull=False),
                name="one_alert_per_administration_kind",
            ),
            models.UniqueConstraint(
                fields=["enrollment", "session", "kind"],
                condition=models.Q(
                    administration__isnull=True, session__isnull=False, schedule_key=""
                ),
                name="one_missed_alert_per_session",
            ),
            models.UniqueConstraint(
                fields=["enrollment", "kind", "schedule_key"],
                condition=~models.Q(schedule_key=""),
                name="one_alert_per_scheduled_occasion",
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"


class ParticipantLink(models.Model):
    """A one-time link to one administration, for a man's own phone.

    Only the SHA-256 of the token is stored: the database alone cannot open a link.
    """

    data_class = DataClass.OPERATIONAL
    data_class_fields = {
        "token_hash": DataClass.SECURITY,
    }

    administration = models.OneToOneField(
        Administration, on_delete=models.CASCADE, related_name="link"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"link for administration {self.administration_id}"


class Kiosk(models.Model):
    """A group-room tablet opened by a facilitator for one session, until the day ends."""

    data_class = DataClass.OPERATIONAL
    data_class_fields = {
        "token_hash": DataClass.SECURITY,
    }

    session = models.ForeignKey("programs.Session", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"kiosk for session {self.session_id}"

    def is_open(self, now: dt.datetime) -> bool:
        return self.closed_at is None and now < self.expires_at


class KioskAttempt(models.Model):
    """Every PIN tried at a kiosk: the rate limit counts the failures in the database."""

    data_class = DataClass.OPERATIONAL

    kiosk = models.ForeignKey(Kiosk, on_delete=models.CASCADE, related_name="attempts")
    enrollment = models.ForeignKey(
        "participants.Enrollment", null=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField()
    succeeded = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["kiosk", "succeeded", "at"])]

    def __str__(self) -> str:
        return f"{'right' if self.succeeded else 'wrong'} PIN at kiosk {self.kiosk_id}"


class KioskPin(models.Model):
    """A man's 4-digit kiosk PIN, stored as a password hash."""

    data_class = DataClass.OPERATIONAL
    data_class_fields = {
        "pin_hash": DataClass.SECURITY,
    }

    enrollment = models.OneToOneField(
        "participants.Enrollment", on_delete=models.CASCADE, related_name="kiosk_pin"
    )
    pin_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"kiosk PIN for enrollment {self.enrollment_id}"


class RecipientKind(models.TextChoices):
    """Who a release is for. A document goes only under a release of its own recipient's
    kind: a release to "other" (his own counsellor, say) never opens a report to child
    protection or a funder. ``reports.models.RecipientKind`` is this same list."""

    COURT = "court", "Court"
    PROBATION = "probation", "Probation"
    CHILD_PROTECTION = "child_protection", "Child protection"
    FUNDER = "funder", "Funder or state agency"
    OTHER = "other", "Other"


class Release(models.Model):
    """A man's signed consent to release therapeutic measures to an outside recipient."""

    data_class = DataClass.REPORTABLE

    enrollment = models.ForeignKey(
        "participants.Enrollment", on_delete=models.PROTECT, related_name="releases"
    )
    all_therapeutic = models.BooleanField(
        default=False, help_text="Covers every therapeutic measure, not only those listed."
    )
    instrument_ids = models.JSONField(default=list, blank=True)
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    # The organization (or person) he signed it for. Required since December 2026: an empty
    # name used to match every recipient of the kind; a release recorded before then with
    # no name now matches no recipient (it fails closed) until it is recorded again.
    recipient_name = models.CharField(max_length=200, blank=True)
    signed_on = models.DateField()
    expires_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("signed_on")),
                name="release_expires_after_signing",
            )
        ]

    def __str__(self) -> str:
        return f"release for enrollment {self.enrollment_id} to {self.get_recipient_kind_display()}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.revoked_at is None and self.signed_on <= day <= self.expires_on

    def covers(self, instrument_id: str) -> bool:
        return self.all_therapeutic or instrument_id in self.instrument_ids
