"""The access log: one row each time a member of staff opens (or tries to open) a man's record.

The table is append-only. The application has no view, form or admin that changes a row, and
the database itself refuses UPDATE and DELETE (triggers created in migration 0001 for SQLite
and PostgreSQL). The model is unmanaged for that reason: Django's test-database ``flush``
empties every managed table with DELETE or TRUNCATE, which the triggers would refuse, so the
table is created by the migration's own SQL and left alone by ``flush``.

Identifiers are plain columns without foreign-key constraints, so that a log row outlives the
user, participant or enrollment it names (a purge of a closed record must not cascade into the
log), and so that a refused attempt at an id that does not exist can still be written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from alliance.data_classes import DataClass


class Outcome(models.TextChoices):
    SHOWN = "shown", "Shown"  # 2xx or 3xx: the page was served or the change accepted
    REFUSED = "refused", "Refused"  # 403/404: not his scope, or no such record
    FAILED = "failed", "Failed"  # any other answer (invalid form, wrong method, error)


class AccessEvent(models.Model):
    data_class = DataClass.OPERATIONAL

    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    #: The username when the event happened (the user row may later change or go).
    username = models.CharField(max_length=150)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    enrollment_id = models.BigIntegerField(null=True)
    url_name = models.CharField(max_length=100)
    #: The request path, which carries record ids only (tokens are replaced, never stored).
    path = models.CharField(max_length=300)
    method = models.CharField(max_length=10)
    status = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)

    class Meta:
        managed = False
        db_table = "audit_accessevent"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.method} {self.url_name} at {self.at:%Y-%m-%d %H:%M}"
