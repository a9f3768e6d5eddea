"""Reads for partner reports and the discrepancy signal, and who may see the signal.

The signal (``alliance.core.partner_reports.discrepancy``) compares her reports with his own
check-out totals. His check-outs are read here, into the compartment, as dated numbers: data
flows in, never out. The signal is shown to the organization's partner-safety workers and to
the supervisors of the sites where he is enrolled (the clinical supervisor, as the research
idea asks), never to him, a facilitator, a report, an export, a log or the dropout model. A
supervisor sees the flag and the two trends in numbers, never her answers, her words or her
record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from alliance.core.partner_reports import (
    DatedScore,
    Discrepancy,
    ReportError,
    discrepancy,
    score_report,
)
from alliance.measures.models import CHECKOUT, Score
from alliance.organizations.models import Membership, Role
from alliance.organizations.permissions import AnyUser, require_membership
from alliance.participants.models import Enrollment, Participant
from alliance.programs.permissions import visible_programs
from alliance.safety.models import (
    DiscrepancyRelease,
    PartnerRecord,
    PartnerReport,
    PartnerReportConsent,
)

#: Who reads the discrepancy signal: partner-safety workers and supervisors.
SIGNAL_ROLES = frozenset({Role.PARTNER_SAFETY, Role.SUPERVISOR})


@dataclass(frozen=True)
class ReportRow:
    report: PartnerReport
    answers: dict[str, int | None]
    score: float | None


@dataclass(frozen=True)
class ReportsPanel:
    """The partner-reports section of her record (the safety worker's page)."""

    consents: list[PartnerReportConsent]
    consent: PartnerReportConsent | None
    reports: list[ReportRow]
    releases: list[DiscrepancyRelease]
    signal: Discrepancy


@dataclass(frozen=True)
class SignalRow:
    """One partner record's signal, as a supervisor may see it: no partner detail."""

    participant: Participant
    record_id: int
    signal: Discrepancy
    reports: int
    #: Recipients her release allows today (labels), never anything she said.
    released_to: list[str]


def his_checkouts(participant_id: int) -> list[DatedScore]:
    """His check-out totals (0–10), dated, across his enrollments."""
    rows = Score.objects.filter(
        enrollment__participant_id=participant_id,
        instrument_id=CHECKOUT,
        scale_id="total",
        missing=False,
        value__isnull=False,
    ).values_list("administered_on", "value")
    return [DatedScore(on, float(value)) for on, value in rows if value is not None]


def _rows(reports: list[PartnerReport]) -> list[ReportRow]:
    out = []
    for report in reports:
        answers = report.answers()
        try:
            score = score_report(answers)
        except ReportError:  # a stored value outside 0-4: shown, never scored
            score = None
        out.append(ReportRow(report=report, answers=answers, score=score))
    return out


def _her_scores(rows: list[ReportRow]) -> list[DatedScore]:
    return [DatedScore(r.report.reported_on, r.score) for r in rows if r.score is not None]


def signal_for(record: PartnerRecord, *, today: dt.date) -> Discrepancy:
    rows = _rows(list(PartnerReport.objects.filter(partner=record)))
    return discrepancy(_her_scores(rows), his_checkouts(record.participant_id), today=today)


def reports_panel(record: PartnerRecord, *, today: dt.date) -> ReportsPanel:
    consents = list(PartnerReportConsent.objects.filter(partner=record))
    rows = _rows(list(PartnerReport.objects.filter(partner=record).select_related("recorded_by")))
    in_force = [c for c in consents if c.in_force_on(today)]
    return ReportsPanel(
        consents=consents,
        consent=in_force[0] if in_force else None,
        reports=rows,
        releases=list(DiscrepancyRelease.objects.filter(partner=record)),
        signal=discrepancy(_her_scores(rows), his_checkouts(record.participant_id), today=today),
    )


def require_signal_reader(user: AnyUser) -> Membership:
    return require_membership(user, SIGNAL_ROLES)


def signal_records(membership: Membership) -> QuerySet[PartnerRecord]:
    """The partner records whose signal this member may read: every record of the
    organization for a safety worker; for a supervisor, those of men enrolled in a program of
    his sites; none for anyone else."""
    records = PartnerRecord.objects.filter(organization=membership.organization)
    if membership.role == Role.PARTNER_SAFETY:
        return records
    if membership.role == Role.SUPERVISOR:
        men = Enrollment.objects.filter(program__in=visible_programs(membership)).values(
            "participant_id"
        )
        return records.filter(participant_id__in=men)
    return records.none()


def _released_to(record: PartnerRecord, today: dt.date) -> list[str]:
    return [
        r.get_recipient_display()
        for r in DiscrepancyRelease.objects.filter(partner=record)
        if r.in_force_on(today)
    ]


def _row(record: PartnerRecord, today: dt.date) -> SignalRow:
    rows = _rows(list(PartnerReport.objects.filter(partner=record)))
    return SignalRow(
        participant=record.participant,
        record_id=record.pk,
        signal=discrepancy(_her_scores(rows), his_checkouts(record.participant_id), today=today),
        reports=len(rows),
        released_to=_released_to(record, today),
    )


def signal_list(membership: Membership, *, today: dt.date) -> list[SignalRow]:
    """Every record with at least one report that this member may read, flagged ones first."""
    records = (
        signal_records(membership)
        .filter(reports__isnull=False)
        .distinct()
        .select_related("participant")
        .order_by("participant__code", "pk")
    )
    rows = [_row(record, today) for record in records]
    return sorted(rows, key=lambda r: (not r.signal.flagged, r.participant.code, r.record_id))


def man_signals(
    user: AnyUser, participant_id: int, *, today: dt.date
) -> tuple[Participant, list[SignalRow]]:
    """One man's signals (one per partner record with reports); the same 404 for a man who
    does not exist, one outside the reader's scope and one without partner reports."""
    membership = require_signal_reader(user)
    records = list(
        signal_records(membership)
        .filter(participant_id=participant_id, reports__isnull=False)
        .distinct()
        .select_related("participant")
        .order_by("pk")
    )
    if not records:
        raise Http404("No such page.")
    return records[0].participant, [_row(record, today) for record in records]
