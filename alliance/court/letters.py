"""The plain-language letter to the man when the engine finds him in breach.

It says what happened (the engine's own reasons: counts against limits, never a note a
facilitator wrote), what he can do next, and who will be told, in the program's voice: it
speaks to him as someone who can put this right, not as a case. He is greeted by his first
name from the identity vault when one is on file, else by his code. The letter is built when
it is printed, never stored, so his name is not copied out of the vault.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from alliance.court.models import Breach
from alliance.identity.selectors import identity_of
from alliance.organizations.letterhead import Letterhead, letterhead
from alliance.participants.models import Enrollment
from alliance.programs.models import Session, SessionStatus


@dataclass(frozen=True)
class BreachLetter:
    greeting_name: str
    program: str
    found_on: dt.date
    what_happened: list[str]
    what_you_can_do: list[str] = field(default_factory=list)
    who_is_told: str = ""
    letterhead: Letterhead | None = None


def _day(day: dt.date) -> str:
    return f"{day:%A %d %B %Y}".replace(" 0", " ")


def _next_session(enrollment: Enrollment, today: dt.date) -> dt.date | None:
    if enrollment.group_id is None:
        return None
    return (
        Session.objects.filter(group_id=enrollment.group_id, held_on__gte=today)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )


def breach_letter(enrollment: Enrollment, breach: Breach, *, today: dt.date) -> BreachLetter:
    identity = identity_of(enrollment.participant)
    name = (
        identity.legal_first_name.strip()
        if identity is not None and identity.legal_first_name.strip()
        else enrollment.participant.code
    )
    program = enrollment.program.name
    happened = [
        str(reason).rstrip(".") + "." for reason in (breach.reasons or []) if str(reason).strip()
    ] or ["You have missed more sessions than the program's attendance rules allow."]
    can_do: list[str] = []
    upcoming = _next_session(enrollment, today)
    if upcoming is not None:
        can_do.append(f"Come to your next group session on {_day(upcoming)}.")
    if breach.repair_until is not None and today <= breach.repair_until:
        can_do.append(
            f"Make up a missed session by {_day(breach.repair_until)}. If you do, we will "
            "tell your referral agency that you have put it right."
        )
    can_do.append(
        "Talk to your facilitator or call the office if something is getting in the way, "
        "such as work hours, transport, childcare or your health. We can often help."
    )
    agency = enrollment.agency.name if enrollment.agency else enrollment.referral_agency
    told = ""
    if agency:
        told = (
            f"The program has to let {agency} know about your attendance"
            + (f" by {_day(breach.notice_due_on)}" if breach.notice_due_on else "")
            + ". We will also tell them about any steps you take."
        )
    return BreachLetter(
        greeting_name=name,
        program=program,
        found_on=breach.found_on,
        what_happened=happened,
        what_you_can_do=can_do,
        who_is_told=told,
        letterhead=letterhead(enrollment.program.organization),
    )
