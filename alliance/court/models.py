"""Court orders, the agencies' reporting clocks, and the breaches that start a notice's clock.

* `CourtOrder`: what the court ordered for one enrollment (sessions or weeks, start-by date,
  completion deadline, protective order and its expiry, other conditions). Every version is
  kept (django-simple-history): a court may amend an order and the file must show both.
* `ReportingClock`: one agency's clocks (or the organization's default for referrals that
  name no agency), with the preset they came from and, where the agency's standard allows
  it, a documented repair window before a non-compliance notice goes.
* `Breach`: the day the compliance engine first found him in breach, which starts the
  non-compliance notice's clock; it is closed when he is back in good standing or leaves.

The arithmetic is pure and lives in :mod:`alliance.core.clocks` and
:mod:`alliance.core.court_order`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.core.clocks import ClockRule
from alliance.core.court_order import OrderTerms
from alliance.data_classes import DataClass
from alliance.encryption import EncryptedTextField
from alliance.organizations.models import Agency, Organization
from alliance.participants.models import Enrollment


class ProtectiveOrderType(models.TextChoices):
    NONE = "", "None on file"
    NO_CONTACT = "no_contact", "No-contact order"
    STAY_AWAY = "stay_away", "Stay-away order"
    PEACEFUL_CONTACT = "peaceful_contact", "Peaceful-contact order"
    RESTRAINING = "restraining", "Restraining order"
    OTHER = "other", "Other protective order"


class CourtOrder(models.Model):
    """The court's order for one enrollment; empty fields mean the order does not say."""

    data_class = DataClass.REPORTABLE

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="court_order"
    )
    ordered_on = models.DateField(null=True, blank=True, help_text="The day of the order.")
    sessions_ordered = models.PositiveIntegerField(null=True, blank=True)
    weeks_ordered = models.PositiveIntegerField(null=True, blank=True)
    start_by = models.DateField(null=True, blank=True)
    complete_by = models.DateField(null=True, blank=True)
    protective_order_type = models.CharField(
        max_length=20, choices=ProtectiveOrderType.choices, blank=True
    )
    protective_order_expires = models.DateField(null=True, blank=True)
    #: The order's other conditions as the court wrote them. Encrypted: a condition may name
    #: the person protected ("no contact with ..."); documents to the court carry it.
    other_conditions = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Court order {self.pk}"

    @property
    def terms(self) -> OrderTerms:
        return OrderTerms(
            sessions_ordered=self.sessions_ordered,
            weeks_ordered=self.weeks_ordered,
            ordered_on=self.ordered_on,
            start_by=self.start_by,
            complete_by=self.complete_by,
            protective_order_type=self.get_protective_order_type_display()
            if self.protective_order_type
            else "",
            protective_order_expires=self.protective_order_expires,
        )


class ReportingClock(models.Model):
    """When an agency expects each document; ``agency`` empty is the organization's default."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="reporting_clocks"
    )
    agency = models.OneToOneField(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="reporting_clock"
    )
    #: The preset it started from (``alliance.core.clocks.PRESETS``), or "" for custom.
    preset = models.CharField(max_length=20, blank=True)
    enrollment_notice_days = models.PositiveSmallIntegerField(null=True, blank=True)
    progress_every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    progress_monthly_day = models.PositiveSmallIntegerField(null=True, blank=True)
    noncompliance_days = models.PositiveSmallIntegerField(null=True, blank=True)
    noncompliance_business_days = models.BooleanField(default=False)
    closing_notice_days = models.PositiveSmallIntegerField(null=True, blank=True)
    repair_window_days = models.PositiveSmallIntegerField(null=True, blank=True)
    #: Where the agency's standard allows the repair window (required with a window).
    repair_window_basis = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(agency__isnull=True),
                name="one_default_clock_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"Reporting clock {self.pk}"

    @property
    def rule(self) -> ClockRule:
        return ClockRule(
            enrollment_notice_days=self.enrollment_notice_days,
            progress_every_weeks=self.progress_every_weeks,
            progress_monthly_day=self.progress_monthly_day,
            noncompliance_days=self.noncompliance_days,
            noncompliance_business_days=self.noncompliance_business_days,
            closing_notice_days=self.closing_notice_days,
            repair_window_days=self.repair_window_days,
        )


class Breach(models.Model):
    """One spell in breach: from the day the engine found it until it was resolved."""

    data_class = DataClass.REPORTABLE

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="breaches")
    found_on = models.DateField(help_text="The program's local day the breach was found.")
    #: The engine's reasons that day (counts and limits, never a note).
    reasons = models.JSONField(default=list, blank=True)
    #: The notice's due date, fixed when it was found: min(repair window end, clock).
    notice_due_on = models.DateField(null=True, blank=True)
    repair_until = models.DateField(null=True, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=models.Q(resolved_on__isnull=True),
                name="one_open_breach_per_enrollment",
            )
        ]

    def __str__(self) -> str:
        return f"Breach {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    def in_repair_window(self, today: dt.date) -> bool:
        return self.repair_until is not None and today <= self.repair_until
