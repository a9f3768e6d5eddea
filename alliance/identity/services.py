"""Writing a man's identity: one function, in a transaction, with its author in the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from alliance.history import set_history_user
from alliance.identity.models import ParticipantIdentity
from alliance.identity.validation import (
    birth_date_problem,
    e164,
    email_problem,
    his_phone_problem,
    phone_problem,
)
from alliance.organizations.models import Agency
from alliance.participants.models import Participant

#: Longest accepted value of a one-line field and of the address and aliases.
MAX_LINE = 200
MAX_BLOCK = 1000


@dataclass(frozen=True)
class IdentityDetails:
    legal_first_name: str
    legal_last_name: str
    date_of_birth: dt.date | None = None
    aliases: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    docket_number: str = ""
    court: str = ""
    officer_name: str = ""
    officer_phone: str = ""
    officer_email: str = ""
    agency: Agency | None = None
    agency_text: str = ""


def identity_problems(
    details: IdentityDetails, *, organization_id: int, today: dt.date
) -> dict[str, str]:
    """Field name -> what is wrong; empty when the details may be saved."""
    problems: dict[str, str] = {}
    for name in ("legal_first_name", "legal_last_name"):
        if not getattr(details, name).strip():
            problems[name] = "this field is required."
    for name, value in asdict(details).items():
        if isinstance(value, str):
            limit = MAX_BLOCK if name in ("address", "aliases") else MAX_LINE
            if len(value) > limit:
                problems[name] = f"at most {limit} characters."
    if details.date_of_birth is not None:
        problem = birth_date_problem(details.date_of_birth, today=today)
        if problem:
            problems["date_of_birth"] = problem
    # His own number is stored in E.164 (it may receive texts); the officer's is written as
    # given (an office line often carries an extension).
    problem = his_phone_problem(details.phone)
    if problem:
        problems.setdefault("phone", problem)
    problem = phone_problem(details.officer_phone)
    if problem:
        problems.setdefault("officer_phone", problem)
    for name in ("email", "officer_email"):
        problem = email_problem(getattr(details, name))
        if problem:
            problems.setdefault(name, problem)
    if details.agency is not None and details.agency.organization_id != organization_id:
        problems["agency"] = "choose one of your organization's agencies."
    return problems


@transaction.atomic
def save_identity(
    *,
    actor: AbstractBaseUser | None,
    participant: Participant,
    details: IdentityDetails,
    today: dt.date,
) -> ParticipantIdentity:
    """Create or replace his identity; raises ``ValidationError`` keyed by field name."""
    problems = identity_problems(details, organization_id=participant.organization_id, today=today)
    if problems:
        raise ValidationError({name: [message] for name, message in problems.items()})
    identity = (
        ParticipantIdentity.objects.select_for_update().filter(participant=participant).first()
    )
    if identity is None:
        identity = ParticipantIdentity(
            participant=participant, organization_id=participant.organization_id
        )
    for name in IdentityDetails.__dataclass_fields__:
        value = getattr(details, name)
        if name == "date_of_birth":
            value = value.isoformat() if value is not None else ""
        elif name == "phone":
            value = e164(value.strip())
        elif isinstance(value, str):
            value = value.strip()
        setattr(identity, name, value)
    identity.updated_by_id = actor.pk if actor is not None else None
    set_history_user(identity, actor)
    identity.save()
    return identity
