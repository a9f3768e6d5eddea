"""Writes for partner reports: her consent, each report, and her release of the discrepancy flag.

Nothing is recorded about her reports without her consent: a report is refused unless a consent
she gave is in force on its day, and the refusal says so. Consents and releases are never
edited: a withdrawal records its day, a new decision is a new row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.partner_reports import PARTNER_REPORT, ReportError, validate_answers
from alliance.history import set_history_user
from alliance.safety.models import (
    REPORT_ITEMS,
    ConsentDecision,
    DiscrepancyRelease,
    FlagRecipient,
    PartnerRecord,
    PartnerReport,
    PartnerReportConsent,
    ReportMode,
)
from alliance.safety.services import SafetyError

NO_CONSENT = (
    "consent: she has not agreed to give partner reports (or withdrew her consent) on that "
    "day, so nothing is recorded. Ask her first, at her pace, and record her answer."
)


def consent_in_force(record: PartnerRecord, day: dt.date) -> PartnerReportConsent | None:
    """The consent she gave that covers ``day``, if any (the latest given)."""
    for consent in PartnerReportConsent.objects.filter(
        partner=record, decision=ConsentDecision.GIVEN
    ).order_by("-decided_on", "-pk"):
        if consent.in_force_on(day):
            return consent
    return None


def _mode(field: str, value: str) -> str:
    if value not in ReportMode.values:
        raise SafetyError(f"{field}: choose one of " + ", ".join(ReportMode.labels) + ".")
    return value


@transaction.atomic
def record_report_consent(
    *,
    actor: User,
    record: PartnerRecord,
    decision: str,
    decided_on: dt.date,
    how: str,
    note: str = "",
    today: dt.date,
) -> PartnerReportConsent:
    """Her answer when asked whether she wants to give partner reports (yes or no)."""
    if decision not in ConsentDecision.values:
        raise SafetyError("decision: say whether she agreed or declined.")
    if decided_on > today:
        raise SafetyError("decided_on: the date cannot be in the future.")
    how = _mode("how", how)
    if decision == ConsentDecision.GIVEN and consent_in_force(record, today) is not None:
        raise SafetyError("decision: her consent is already recorded and in force.")
    return PartnerReportConsent.objects.create(
        partner=record,
        decision=decision,
        decided_on=decided_on,
        how=how,
        note=note.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def withdraw_report_consent(
    *, actor: User, consent: PartnerReportConsent, withdrawn_on: dt.date, today: dt.date
) -> PartnerReportConsent:
    """She withdrew her consent: no report after that day can be recorded. Reports already
    given stay (she may also ask for them to be set aside; the worker notes it)."""
    consent = PartnerReportConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.decision != ConsentDecision.GIVEN:
        raise SafetyError("consent: a decline has nothing to withdraw.")
    if consent.withdrawn_on is not None:
        raise SafetyError("consent: it was already withdrawn.")
    if withdrawn_on < consent.decided_on:
        raise SafetyError("withdrawn_on: cannot be before she gave her consent.")
    if withdrawn_on > today:
        raise SafetyError("withdrawn_on: the date cannot be in the future.")
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    return consent


@transaction.atomic
def record_partner_report(
    *,
    actor: User,
    record: PartnerRecord,
    reported_on: dt.date,
    mode: str,
    answers: Mapping[str, int | None],
    worker_note: str = "",
    today: dt.date,
) -> PartnerReport:
    """One partner report, only under a consent in force on its day."""
    if reported_on > today:
        raise SafetyError("reported_on: the date cannot be in the future.")
    consent = consent_in_force(record, reported_on)
    if consent is None:
        raise SafetyError(NO_CONSENT)
    mode = _mode("mode", mode)
    try:
        clean = validate_answers(answers)
    except ReportError as exc:
        raise SafetyError(str(exc)) from exc
    if sum(1 for v in clean.values() if v is not None) == 0:
        raise SafetyError("felt_safety: record at least one of her answers.")
    report = PartnerReport(
        partner=record,
        consent=consent,
        reported_on=reported_on,
        mode=mode,
        definition_version=PARTNER_REPORT.version,
        worker_note=worker_note.strip(),
        recorded_by=actor,
    )
    for name in REPORT_ITEMS:
        value = clean[name]
        setattr(report, name, "" if value is None else str(value))
    set_history_user(report, actor)
    report.save()
    return report


@transaction.atomic
def record_flag_release(
    *,
    actor: User,
    record: PartnerRecord,
    recipient: str,
    given_on: dt.date,
    how: str,
    today: dt.date,
) -> DiscrepancyRelease:
    """Her release: the discrepancy flag (never her words) may be told to this recipient."""
    if recipient not in FlagRecipient.values:
        raise SafetyError("recipient: choose who she allows to be told.")
    if given_on > today:
        raise SafetyError("given_on: the date cannot be in the future.")
    how = _mode("how", how)
    if any(
        r.in_force_on(today)
        for r in DiscrepancyRelease.objects.filter(partner=record, recipient=recipient)
    ):
        raise SafetyError("recipient: a release for this recipient is already in force.")
    return DiscrepancyRelease.objects.create(
        partner=record, recipient=recipient, given_on=given_on, how=how, recorded_by=actor
    )


@transaction.atomic
def withdraw_flag_release(
    *, actor: User, release: DiscrepancyRelease, withdrawn_on: dt.date, today: dt.date
) -> DiscrepancyRelease:
    release = DiscrepancyRelease.objects.select_for_update().get(pk=release.pk)
    if release.withdrawn_on is not None:
        raise SafetyError("release: it was already withdrawn.")
    if withdrawn_on < release.given_on:
        raise SafetyError("withdrawn_on: cannot be before she gave the release.")
    if withdrawn_on > today:
        raise SafetyError("withdrawn_on: the date cannot be in the future.")
    release.withdrawn_on = withdrawn_on
    release.withdrawn_by = actor
    release.save(update_fields=["withdrawn_on", "withdrawn_by"])
    return release
