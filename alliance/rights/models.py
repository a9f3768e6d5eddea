"""Audit entries for data rights: what was exported about a man, and what retention purged.

Neither row names a man. A purge keeps the database ids of the men it deleted (pseudonymous:
once the rows are gone nothing in the database links an id to a code), never their codes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.organizations.models import Organization


class RetentionPolicy(models.Model):
    """How long an organization keeps a man's records after his last enrollment ended.

    Without a row the deployment default applies (``RETENTION_YEARS``, 7 unless set).
    """

    data_class = DataClass.OPERATIONAL

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="retention_policy"
    )
    years = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Purge a man's records this many years after his last enrollment ended.",
    )
    #: Who set or cleared the policy, and when (the request's user, via the history middleware).
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return f"{self.organization}: {self.years} years"


class RetentionPurge(models.Model):
    """One run of ``alliance purge-closed`` for one organization."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="retention_purges"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    policy_years = models.PositiveSmallIntegerField()
    cutoff = models.DateField(help_text="Enrollments that ended before this day were purged.")
    purged_count = models.PositiveIntegerField(default=0)
    purged_ids = models.JSONField(
        default=list, help_text="Database ids of the men purged; never their codes."
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.purged_count} purged on {self.started_at:%Y-%m-%d}"


class DataExport(models.Model):
    """One export of everything held about a man (the export itself is not kept)."""

    data_class = DataClass.OPERATIONAL

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="data_exports"
    )
    participant_pk = models.BigIntegerField(help_text="Database id of the man, not his code.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_at = models.DateTimeField()
    row_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"export of man {self.participant_pk} at {self.exported_at:%Y-%m-%d %H:%M}"
