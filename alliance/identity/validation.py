"""Checks on identity values, shared by the form, the referral form and the caseload import.

Each returns an error message (naming no value, so it is safe to show and to log) or "".
"""

from __future__ import annotations

import datetime as dt
import re

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


def email_problem(value: str) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        return "enter a valid e-mail address (name@example.org)."
    return ""
