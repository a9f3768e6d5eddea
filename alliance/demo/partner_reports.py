"""Demo partner reports (a demo step after ``alliance.demo.safety``).

Among the demo's partner records, every stage of her voice: a partner who consented and whose
reports stay flat while his check-outs rise (the discrepancy signal), one whose reports rise with
his (no discrepancy), one who declined (nothing recorded), one who consented and gave a single
report (not enough data yet), and one who consented, reported, then withdrew. Written through
``alliance.safety.partner_reports`` as the safety worker would; every answer is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.partner_reports import HIS_IMPROVEMENT, DatedScore, Signal, discrepancy
from alliance.participants.models import Participant
from alliance.safety.discrepancy import his_checkouts, signal_for
from alliance.safety.models import PartnerRecord, PartnerReport, PartnerReportConsent
from alliance.safety.partner_reports import (
    record_flag_release,
    record_partner_report,
    record_report_consent,
    withdraw_report_consent,
)
from alliance.safety.services import create_partner_record

#: Her answers (felt safety, controlling, respectful, change) at each report: flat, and rising.
FLAT = [(2, 2, 2, 1), (2, 2, 2, 1), (2, 3, 2, 1), (2, 2, 2, 1)]
RISING = [(1, 3, 1, 0), (2, 2, 2, 1), (3, 1, 3, 2), (3, 1, 3, 3)]
NOTES = [
    "She spoke from her sister's house; said things are 'the same as always'.",
    "Short call, she had to go. Will try again at her usual time.",
    "She said he still checks her phone but shouts less.",
    "",
]


@dataclass(frozen=True)
class DemoPartnerReports:
    partner_reports: int
    partner_report_consents: int
    discrepancy_flags: int
    #: An invented partner given to the man whose check-outs rose most (0 or 1), when none of
    #: the men with a partner record rose enough to show the signal.
    partner_records_for_reports: int


def _days(first: dt.date, latest: dt.date, n: int) -> list[dt.date]:
    step = (latest - first) / (n - 1)
    return [first + step * i for i in range(n - 1)] + [latest]


def _best_window(checkouts: list[DatedScore], today: dt.date) -> tuple[float, dt.date, dt.date]:
    """The report days (weekly grid) over which his check-outs rose most, among windows with
    enough of his check-outs at both ends for the signal to be computed."""
    best = (-99.0, today - dt.timedelta(days=56), today)
    for back in range(35, 161, 7):
        first = today - dt.timedelta(days=back)
        for forward in range(28, back + 1, 7):
            latest = first + dt.timedelta(days=forward)
            flat = [DatedScore(first, 2.0), DatedScore(latest, 2.0)]
            found = discrepancy(flat, checkouts, today=today)
            change = found.his_change
            if found.signal == Signal.NOT_ENOUGH or change is None:
                continue  # fewer than two of his check-outs at one end: no signal either way
            if change > best[0]:
                best = (change, first, latest)
    return best


def _man_who_rose_most(
    *, exclude: set[int], today: dt.date
) -> tuple[Participant, tuple[float, dt.date, dt.date]] | None:
    best: tuple[Participant, tuple[float, dt.date, dt.date]] | None = None
    for participant in Participant.objects.exclude(pk__in=exclude).order_by("pk"):
        checkouts = his_checkouts(participant.pk)
        if len(checkouts) < 2 * 2:
            continue
        window = _best_window(checkouts, today)
        if best is None or window[0] > best[1][0]:
            best = (participant, window)
    return best


def _reports(
    worker: User,
    record: PartnerRecord,
    days: list[dt.date],
    answers: list[tuple[int, int, int, int]],
    today: dt.date,
) -> None:
    for index, (day, (felt, controlling, respectful, change)) in enumerate(
        zip(days, answers, strict=False)
    ):
        record_partner_report(
            actor=worker,
            record=record,
            reported_on=day,
            mode=("phone", "text", "in_person")[index % 3],
            answers={
                "felt_safety": felt,
                "controlling": controlling,
                "respectful": respectful,
                "change": change,
            },
            worker_note=NOTES[index % len(NOTES)],
            today=today,
        )


def _consent(
    worker: User, record: PartnerRecord, on: dt.date, today: dt.date, decision: str = "given"
) -> PartnerReportConsent:
    return record_report_consent(
        actor=worker,
        record=record,
        decision=decision,
        decided_on=on,
        how="phone",
        note="Asked at her usual safe time; she chose phone or text.",
        today=today,
    )


@transaction.atomic
def add_partner_reports(seed: int, today: dt.date) -> DemoPartnerReports:
    if PartnerReport.objects.exists():
        raise RuntimeError("The demo already has partner reports.")
    worker = User.objects.get(username="safety")
    records = list(PartnerRecord.objects.select_related("participant").order_by("pk"))
    if len(records) < 5:
        return DemoPartnerReports(0, 0, 0, 0)
    windows = {r.pk: _best_window(his_checkouts(r.participant_id), today) for r in records}
    by_rise = sorted(records, key=lambda r: -windows[r.pk][0])
    rising_man, *others = by_rise
    added = 0
    if windows[rising_man.pk][0] < HIS_IMPROVEMENT:
        # None of the men with a partner record rose enough: the man whose check-outs rose
        # most gets an (invented) partner who agrees to give reports.
        found = _man_who_rose_most(exclude={r.participant_id for r in records}, today=today)
        if found is not None:
            participant, window = found
            rising_man = create_partner_record(
                actor=worker,
                organization=participant.organization,
                participant=participant,
                name="Quinn Example",
                relationship="Partner",
                phone="555-0199",
                safe_times="Weekday mornings",
                safe_methods="Text first",
                cautions="Never leave a voicemail",
            )
            windows[rising_man.pk] = window
            others = by_rise
            added = 1
    steady_man = next((r for r in reversed(others) if windows[r.pk][0] > -99), others[-1])
    rest = [r for r in others if r is not steady_man]

    # He rises, she does not: the discrepancy (when his rise reaches the threshold).
    change, first, latest = windows[rising_man.pk]
    _consent(worker, rising_man, first - dt.timedelta(days=7), today)
    _reports(worker, rising_man, _days(first, latest, 4), FLAT, today)
    if change >= HIS_IMPROVEMENT:
        record_flag_release(
            actor=worker,
            record=rising_man,
            recipient="facilitators",
            given_on=latest,
            how="phone",
            today=today,
        )
    # Her reports rise: no discrepancy whatever his check-outs do.
    _, first, latest = windows[steady_man.pk]
    _consent(worker, steady_man, first - dt.timedelta(days=7), today)
    _reports(worker, steady_man, _days(first, latest, 4), RISING, today)
    # She declined: nothing is recorded.
    _consent(worker, rest[0], today - dt.timedelta(days=30), today, decision="declined")
    # One report so far: not enough data.
    _consent(worker, rest[1], today - dt.timedelta(days=20), today)
    _reports(worker, rest[1], [today - dt.timedelta(days=14)], [RISING[1]], today)
    # She reported twice, then withdrew her consent.
    given = _consent(worker, rest[2], today - dt.timedelta(days=90), today)
    _reports(
        worker,
        rest[2],
        [today - dt.timedelta(days=80), today - dt.timedelta(days=40)],
        RISING[:2],  # her reports rose: whatever he did, no discrepancy to show after she left
        today,
    )
    withdraw_report_consent(
        actor=worker, consent=given, withdrawn_on=today - dt.timedelta(days=10), today=today
    )
    flags = sum(
        1
        for r in (rising_man, steady_man)
        if signal_for(r, today=today).signal == Signal.DISCREPANCY
    )
    return DemoPartnerReports(
        partner_reports=PartnerReport.objects.count(),
        partner_report_consents=PartnerReportConsent.objects.count(),
        discrepancy_flags=flags,
        partner_records_for_reports=added,
    )
