"""Give a man an identity made of the sentinel strings of tests/conftest.py."""

from __future__ import annotations

import datetime as dt

from alliance.identity.models import ParticipantIdentity
from alliance.identity.services import IdentityDetails, save_identity
from alliance.participants.models import Participant
from tests.conftest import (
    IDENTITY_ADDRESS,
    IDENTITY_ALIAS,
    IDENTITY_DOCKET,
    IDENTITY_EMAIL,
    IDENTITY_FIRST_NAME,
    IDENTITY_LAST_NAME,
    IDENTITY_OFFICER,
)

#: His date of birth, how documents print it, and how staff pages print it ("j M Y").
BIRTH_DATE = dt.date(1979, 2, 17)
BIRTH_DATE_SHOWN = "17 February 1979"
BIRTH_DATE_ON_PAGE = "17 Feb 1979"
#: Every way it is printed: a page that must not show it shows none of them.
BIRTH_DATE_FORMS = (BIRTH_DATE_SHOWN, BIRTH_DATE_ON_PAGE)
#: His number as given (an assigned Ottawa number in the 555-01xx fiction range), as stored
#: (E.164) and as pages show it.
PHONE = "+1 613 555 0142"
PHONE_E164 = "+16135550142"
PHONE_SHOWN = "+1 613-555-0142"


def give_identity(
    participant: Participant, *, actor: object, today: dt.date
) -> ParticipantIdentity:
    return save_identity(
        actor=actor,  # type: ignore[arg-type]
        participant=participant,
        details=IdentityDetails(
            legal_first_name=IDENTITY_FIRST_NAME,
            legal_last_name=IDENTITY_LAST_NAME,
            date_of_birth=BIRTH_DATE,
            aliases=IDENTITY_ALIAS,
            phone=PHONE,
            email=IDENTITY_EMAIL,
            address=IDENTITY_ADDRESS,
            docket_number=IDENTITY_DOCKET,
            court="Riverside Superior Court",
            officer_name=IDENTITY_OFFICER,
            officer_email="officer@example.org",
        ),
        today=today,
    )
