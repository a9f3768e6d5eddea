"""The connection map: his support network by role, how it changes, and his isolation at a date.

A man's network is a list of people he names **by role, never by name** ("brother",
"sponsor", "friend from work"). Each person is reviewed now and then with him: how often they
are in contact (daily, weekly, monthly, rarely), whether that person supports his change (yes,
mixed, no, unsure) and whether they are still in his life. A *snapshot* at a date counts, for
every person added by then, the latest review on or before that date.

*Isolation* at a date joins two things he reports: his latest UCLA-3 loneliness total (Hughes
et al. 2004; 3 items scored 1-3, total 3-9, higher is lonelier) and how many supportive people
(reviewed "yes") he is in contact with at least monthly. Each is put in standard units
against a reference centre and spread (assumptions, units only, like the dropout model's
other references) and the index is their mean, or the one measured::

    loneliness_z = (ucla3_total - 5.0) / 1.8
    support_z    = (2.0 - min(supportive_contacts, 6)) / 1.5
    isolation_z  = mean of the measured ones (None when neither is)

so a higher index is more isolated. The seed's claim (dropouts "are the most disconnected")
and bip_standards.md §4 idea 2 give only its direction; nothing here has been validated.

References
----------
.. [1] Hughes, M. E., Waite, L. J., Hawkley, L. C., & Cacioppo, J. T. (2004). A short scale
   for measuring loneliness in large surveys. *Research on Aging*, 26(6), 655-672.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: UCLA-3 reference (centre, SD), the same assumption as the dropout model's intake loneliness.
LONELINESS_REFERENCE = (5.0, 1.8)
#: Supportive contacts reference (centre, SD) and the count above which more adds nothing.
SUPPORT_REFERENCE = (2.0, 1.5)
SUPPORT_CAP = 6
UCLA3_RANGE = (3, 9)
#: The free "other" role's length.
ROLE_DETAIL_MAX = 40


class Frequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    RARELY = "rarely"


class Supportive(enum.StrEnum):
    YES = "yes"
    MIXED = "mixed"
    NO = "no"
    UNSURE = "unsure"


#: Contact at least this often counts as "in contact" for the isolation index.
REGULAR = frozenset({Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY})

#: Words that say a role, not a name: a capitalised word from this list is not taken for a
#: name ("Uncle" is a role; "Uncle Joe" still names Joe).
_ROLE_WORDS_TEXT = """
    aa na ca sponsor brother sister mother father mom mum dad son daughter uncle aunt cousin
    nephew niece grandfather grandmother grandpa grandma grandson granddaughter stepfather
    stepmother stepbrother stepsister brother-in-law sister-in-law father-in-law
    mother-in-law partner friend friends best old close childhood school work church mosque
    temple synagogue faith community group team club gym coach teammate neighbour neighbor
    landlord workmate coworker co-worker colleague boss supervisor manager employer mentor
    counsellor counselor therapist doctor nurse pastor priest imam rabbi minister elder
    chaplain deacon caseworker case worker probation officer social youth veteran veterans
    army navy union member members from at the of my his a an and in on former ex online
    recovery meeting meetings program programme housemate roommate flatmate godfather
    godmother godson goddaughter tutor teacher trainer foreman crew shift
    """
ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*", re.UNICODE)


def role_problem(text: str) -> str | None:
    """Why ``text`` is not acceptable as a role (``None`` when it is).

    The heuristic (documented in docs/connection.md): a role is short (at most 40 characters),
    has no digits or ``@`` (no phone numbers or e-mail addresses), and does not look like a
    personal name. It looks like a name when two capitalised words stand side by side and at
    least one is not a known role word ("Mike Jones", "Uncle Joe", "Coach Dave"), or when the
    whole text is one capitalised word that is not a role word ("Mike"). Lower-case names
    ("mike") pass: the check catches the usual way of writing a name, not every way.
    """
    value = text.strip()
    if not value:
        return "Write his or her role, for example 'cousin' or 'friend from the gym'."
    if len(value) > ROLE_DETAIL_MAX:
        return f"Keep the role to {ROLE_DETAIL_MAX} characters or fewer."
    if "@" in value or sum(ch.isdigit() for ch in value) >= 3:
        return "Write a role only: no phone numbers or e-mail addresses."
    words = _WORD.findall(value)
    if not words:
        return "Write his or her role in words, for example 'neighbour'."

    def name_like(word: str) -> bool:
        return word[0].isupper() and word[1:].islower() and word.lower() not in ROLE_WORDS

    def capitalised(word: str) -> bool:
        return word[0].isupper() and (len(word) == 1 or word[1:].islower())

    if len(words) == 1 and name_like(words[0]):
        return (
            f"'{value}' looks like a name. Write the person's role instead "
            "(for example 'cousin', 'neighbour', 'friend from church'), never a name."
        )
    for first, second in itertools.pairwise(words):
        if capitalised(first) and capitalised(second) and (name_like(first) or name_like(second)):
            return (
                f"'{value}' looks like a person's name. Write the person's role instead "
                "(for example 'uncle', 'coach at the gym'), never a name."
            )
    return None


@dataclass(frozen=True)
class Review:
    """One dated review of one person in his network."""

    contact_id: int
    recorded_on: dt.date
    frequency: Frequency
    supportive: Supportive
    in_network: bool = True


@dataclass(frozen=True)
class NetworkSnapshot:
    """His network as it stood on ``day``: counts only, by role never by name."""

    day: dt.date
    people: int
    supportive: int
    supportive_in_contact: int
    daily: int
    weekly: int
    monthly: int
    rarely: int

    @property
    def reviewed(self) -> bool:
        return self.people > 0


def network_snapshot(reviews: Iterable[Review], day: dt.date) -> NetworkSnapshot:
    """Count, for every person reviewed by ``day``, their latest review on or before it.

    A person whose latest review says they are no longer in his life is not counted.
    ``supportive_in_contact`` counts supportive people ("yes") in contact at least monthly;
    it is the support half of :func:`isolation_index`.
    """
    latest: dict[int, Review] = {}
    for review in reviews:
        if review.recorded_on > day:
            continue
        held = latest.get(review.contact_id)
        if held is None or review.recorded_on >= held.recorded_on:
            latest[review.contact_id] = review
    current = [r for r in latest.values() if r.in_network]
    by_frequency = {f: sum(1 for r in current if r.frequency == f) for f in Frequency}
    supportive = [r for r in current if r.supportive == Supportive.YES]
    return NetworkSnapshot(
        day=day,
        people=len(current),
        supportive=len(supportive),
        supportive_in_contact=sum(1 for r in supportive if r.frequency in REGULAR),
        daily=by_frequency[Frequency.DAILY],
        weekly=by_frequency[Frequency.WEEKLY],
        monthly=by_frequency[Frequency.MONTHLY],
        rarely=by_frequency[Frequency.RARELY],
    )


def network_over_time(reviews: Sequence[Review]) -> list[NetworkSnapshot]:
    """One snapshot per date on which anything in his network was reviewed, oldest first."""
    return [network_snapshot(reviews, day) for day in sorted({r.recorded_on for r in reviews})]


@dataclass(frozen=True)
class Isolation:
    """His isolation on ``day``: the two readings it rests on and the index (None if neither)."""

    day: dt.date
    loneliness_total: float | None
    loneliness_on: dt.date | None
    supportive_in_contact: int | None
    network_on: dt.date | None
    index: float | None


def isolation_index(
    loneliness_total: float | None, supportive_in_contact: int | None
) -> float | None:
    """The isolation index from a UCLA-3 total and a count of supportive people in contact.

    Raises ``ValueError`` for a UCLA-3 total outside 3-9 or a negative count.
    """
    parts: list[float] = []
    if loneliness_total is not None:
        total = float(loneliness_total)
        if not (math.isfinite(total) and UCLA3_RANGE[0] <= total <= UCLA3_RANGE[1]):
            raise ValueError(f"a UCLA-3 total is between 3 and 9, not {loneliness_total!r}")
        parts.append((total - LONELINESS_REFERENCE[0]) / LONELINESS_REFERENCE[1])
    if supportive_in_contact is not None:
        if supportive_in_contact < 0:
            raise ValueError("a count of supportive people cannot be negative")
        capped = min(supportive_in_contact, SUPPORT_CAP)
        parts.append((SUPPORT_REFERENCE[0] - capped) / SUPPORT_REFERENCE[1])
    return sum(parts) / len(parts) if parts else None


def isolation_at(
    day: dt.date,
    *,
    loneliness: Iterable[tuple[dt.date, float]],
    reviews: Sequence[Review],
) -> Isolation:
    """His isolation on ``day`` from his latest UCLA-3 total and network snapshot by then.

    ``loneliness`` holds (date, UCLA-3 total) pairs; readings after ``day`` are ignored, so
    the value at a session never looks ahead.
    """
    earlier = [(on, total) for on, total in loneliness if on <= day]
    last = max(earlier, key=lambda pair: pair[0]) if earlier else None
    reviewed = [r.recorded_on for r in reviews if r.recorded_on <= day]
    snapshot = network_snapshot(reviews, day) if reviewed else None
    total = None if last is None else float(last[1])
    count = None if snapshot is None else snapshot.supportive_in_contact
    return Isolation(
        day=day,
        loneliness_total=total,
        loneliness_on=None if last is None else last[0],
        supportive_in_contact=count,
        network_on=max(reviewed) if reviewed else None,
        index=isolation_index(total, count),
    )
