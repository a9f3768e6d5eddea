"""When fees may touch his standing, his completion or a court document: only where the
organization turned it on for the agency that referred him, because that agency's standard
requires it (``AgencyFeePolicy``). Otherwise never.

Why off by default: a study of Los Angeles programs found 78 % withhold proof of completion
for unpaid fees, so debt becomes the reason a man cannot finish (Fines and Fees Justice
Center; ``shared/research/bip_standards.md``, gap 2). Keeping fees apart from completion is
the compassionate and the legally safer design.

This module imports only the fee models and the core arithmetic, so that the status-change
service and the document builder can ask it without reaching the rest of the app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alliance.core.fees import Entry, EntryKind, balance, format_money
from alliance.fees.models import AgencyFeePolicy, FeeSettings, LedgerEntry
from alliance.participants.models import Enrollment

#: Shown wherever the organization may turn on a fee consequence.
EVIDENCE_WARNING = (
    "A study of Los Angeles batterer-intervention programs found that 78 % withhold proof of "
    "completion for unpaid fees, so that debt, not his work in the program, becomes the reason "
    "a man cannot finish (Fines and Fees Justice Center, "
    "https://finesandfeesjusticecenter.org/articles/la-batterers-intervention-programs-costs/). "
    "Turn this on only where the referring agency's own standard requires it."
)


def _policy(enrollment: Enrollment) -> AgencyFeePolicy | None:
    if enrollment.agency_id is None:
        return None
    return AgencyFeePolicy.objects.filter(agency_id=enrollment.agency_id).first()


def _owed(enrollment: Enrollment, as_of: dt.date | None = None) -> tuple[int, str]:
    rows = LedgerEntry.objects.filter(enrollment=enrollment)
    if as_of is not None:
        rows = rows.filter(posted_on__lte=as_of)
    owed = balance(
        Entry(
            EntryKind(r.kind),
            r.amount,
            r.posted_on,
            EntryKind(r.reverses_kind) if r.reverses_kind else None,
        )
        for r in rows
    )
    settings = FeeSettings.objects.filter(
        organization_id=enrollment.participant.organization_id
    ).first()
    return owed, settings.currency if settings else "USD"


def completion_blocked(enrollment: Enrollment) -> str:
    """Why unpaid fees stop his completion, or "" (the answer for every agency that has not
    had it turned on, and for every man who owes nothing)."""
    policy = _policy(enrollment)
    if policy is None or not policy.unpaid_blocks_completion:
        return ""
    owed, currency = _owed(enrollment)
    if owed <= 0:
        return ""
    return (
        f"{format_money(owed, currency)} in program fees is unpaid, and the referring agency's "
        f"standard ({policy.standard}) requires fees to be paid before completion"
    )


@dataclass(frozen=True)
class CourtFees:
    """The fee facts a court document carries where the agency's standard requires them."""

    balance: str
    standard: str
    as_of: dt.date


def fees_for_court(enrollment: Enrollment, *, as_of: dt.date) -> CourtFees | None:
    """None unless the referring agency requires fees in its documents."""
    policy = _policy(enrollment)
    if policy is None or not policy.fees_in_court_documents:
        return None
    owed, currency = _owed(enrollment, as_of)
    text = (
        f"{format_money(owed, currency)} owed"
        if owed > 0
        else "nothing owed"
        if owed == 0
        else f"in credit by {format_money(-owed, currency)}"
    )
    return CourtFees(balance=text, standard=policy.standard, as_of=as_of)
