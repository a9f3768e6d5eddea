"""Checks on identity values, shared by the form, the referral form and the caseload import.

Each returns an error message (naming no value, so it is safe to show and to log) or "".
"""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

#: The youngest and oldest plausible age of a man referred to an intervention program. Adult
#: programs take men from 18; some take older adolescents, so the floor is lower than that.
MIN_AGE_YEARS = 14
MAX_AGE_YEARS = 100
PHONE = re.compile(r"^\+?[0-9 ().-]{5,40}$")
PHONE_MESSAGE = "enter a phone number: digits, spaces and + ( ) - . only (5 to 40)."


def birth_date_problem(value: dt.date, *, today: dt.date) -> str:
    if value > today:
        return "the date of birth is in the future."
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < MIN_AGE_YEARS:
        return f"the date of birth makes him younger than {MIN_AGE_YEARS}: check the year."
    if age > MAX_AGE_YEARS:
        return f"the date of birth makes him older than {MAX_AGE_YEARS}: check the year."
    return ""


def phone_problem(value: str) -> str:
    return "" if not value or PHONE.match(value) else PHONE_MESSAGE


def _parse(value: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def his_phone_problem(value: str, *, region: str | None = None) -> str:
    """His own number must be a number (it is stored in E.164 and may receive texts)."""
    if not value:
        return ""
    if not PHONE.match(value) or _parse(value, region or settings.ALLIANCE_PHONE_REGION) is None:
        return (
            "enter a phone number with its area code (or + and the country code for a number "
            "from another country)."
        )
    return ""


def e164(value: str, *, region: str | None = None) -> str:
    """His number in E.164 (+16135550101), or "" when it is empty or not a number."""
    number = _parse(value, region or settings.ALLIANCE_PHONE_REGION) if value else None
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def can_receive_texts(value: str) -> bool:
    """A stored E.164 number that numbering plans assign (not merely the right length)."""
    number = _parse(value, "ZZ") if value.startswith("+") else None
    return number is not None and phonenumbers.is_valid_number(number)


def shown_phone(value: str) -> str:
    """An E.164 number as people write it (+1 613-555-0101); anything else unchanged."""
    number = _parse(value, "ZZ") if value.startswith("+") else None
    if number is None:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_problem(value: str) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return "enter a valid e-mail address (name@example.org)."
    return ""
