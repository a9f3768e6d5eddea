"""A text field stored encrypted (Fernet) and read back as plain text.

Because each encryption is randomised, the database cannot search, sort or compare these
columns: filter on the plain columns (organization, dates, status) and sort in Python.
An empty value stays empty, so "not given" remains visible as such.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from alliance.safety import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    description = "Text encrypted at rest with the partner-safety key"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
