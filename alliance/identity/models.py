"""The identity vault: who a man is, for the people and documents that must know it.

Everywhere else in Alliance a man is his pseudonymous code. His legal name, date of birth,
aliases, contact details, docket or case number, court and supervising officer live here, one
row per man, every text column encrypted at rest with the same key management as the partner
compartment (:mod:`alliance.encryption`: ``alliance partner-key`` creates the key and
``alliance rotate-partner-key`` re-encrypts these columns with the rest). The history keeps
every version, its columns encrypted like the live ones (simple-history copies the field
class). The date of birth is stored as encrypted ISO text, not a date column, so that a copy
of the database does not give it away either.

Who sees what: :mod:`alliance.identity.permissions`. Nothing under ``outcomes``,
``engagement``, ``core``, ``measures``, ``practice`` or ``dashboard`` may import this app
(an import-linter contract in pyproject.toml), so identity has no path into the research
export, charts, dashboards or the dropout model.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.data_classes import DataClass
from alliance.encryption import EncryptedTextField
from alliance.organizations.models import Agency, Organization
from alliance.participants.models import Participant


class ParticipantIdentity(models.Model):
    data_class = DataClass.IDENTITY

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="identity"
    )
    legal_first_name = EncryptedTextField()
    legal_last_name = EncryptedTextField()
    aliases = EncryptedTextField(blank=True, help_text="Other names he is known by, one a line.")
    #: ISO date (YYYY-MM-DD), encrypted; read it as :attr:`birth_date`.
    date_of_birth = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    docket_number = EncryptedTextField(blank=True)
    court = EncryptedTextField(blank=True)
    officer_name = EncryptedTextField(blank=True)
    officer_phone = EncryptedTextField(blank=True)
    officer_email = EncryptedTextField(blank=True)
    #: The supervising agency when it is one of the organization's agencies...
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: ...or its name in words when it is not (or a department of it).
    agency_text = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "participant identities"

    def __str__(self) -> str:
        # Never the name: __str__ ends up in logs, error pages and the admin's history.
        return f"Identity {self.pk}"

    @property
    def birth_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date_of_birth) if self.date_of_birth else None

    @property
    def phone_shown(self) -> str:
        """His number as people write it (+1 613-555-0101); it is stored in E.164."""
        from alliance.identity.validation import shown_phone

        return shown_phone(self.phone)

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}".strip()

    @property
    def short_name(self) -> str:
        """First name and the initial of the last name: "Daniel R."."""
        initial = self.legal_last_name.strip()[:1].upper()
        return f"{self.legal_first_name} {initial}.".strip() if initial else self.legal_first_name

    @property
    def supervising_agency(self) -> str:
        if self.agency is not None and self.agency_text:
            return f"{self.agency.name}, {self.agency_text}"
        return self.agency.name if self.agency is not None else self.agency_text
