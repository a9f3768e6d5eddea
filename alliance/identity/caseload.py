"""His identity from a row of the caseload import (``participants.caseload_import``).

Four optional columns: legal_first_name, legal_last_name, date_of_birth, docket_number. The
problems name the column and never quote the value, since the import's report is kept
(``CaseloadImport``) and shown to whoever imports next.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.base_user import AbstractBaseUser

from alliance.identity.services import IdentityDetails, identity_problems, save_identity
from alliance.participants.models import Participant

#: (column, description, example) for the import template.
IDENTITY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("legal_first_name", "His legal first name (kept encrypted in the identity vault).", "Sam"),
    ("legal_last_name", "His legal last name (with the first name, or neither).", "Example"),
    ("date_of_birth", "YYYY-MM-DD.", "1985-04-30"),
    ("docket_number", "Docket or case number, as the court writes it.", "CR-2026-0417"),
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def identity_from_row(
    row: dict[str, str], *, organization_id: int, today: dt.date
) -> tuple[IdentityDetails | None, dict[str, str]]:
    """The identity the row gives (None if none), and its problems by column."""
    values = {name: row.get(name, "").strip() for name, _, _ in IDENTITY_COLUMNS}
    if not any(values.values()):
        return None, {}
    problems: dict[str, str] = {}
    born: dt.date | None = None
    if values["date_of_birth"]:
        try:
            if not _DATE.match(values["date_of_birth"]):
                raise ValueError
            born = dt.date.fromisoformat(values["date_of_birth"])
        except ValueError:
            problems["date_of_birth"] = "not a date written YYYY-MM-DD"
    details = IdentityDetails(
        legal_first_name=values["legal_first_name"],
        legal_last_name=values["legal_last_name"],
        date_of_birth=born,
        docket_number=values["docket_number"],
    )
    for name, message in identity_problems(
        details, organization_id=organization_id, today=today
    ).items():
        problems.setdefault(name, message.rstrip("."))
    return (None if problems else details), problems


def save_imported_identities(
    *,
    actor: AbstractBaseUser,
    identities: list[tuple[Participant, IdentityDetails]],
    today: dt.date,
) -> int:
    """Inside the import's transaction: a failure rolls the whole import back."""
    for participant, details in identities:
        save_identity(actor=actor, participant=participant, details=details, today=today)
    return len(identities)
