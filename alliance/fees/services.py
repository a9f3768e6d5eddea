"""Every write to fees: one function per action, one transaction, who acted recorded.

Ledger entries are only ever created (``_post``); the database refuses any change. Anything
that must happen once (a session's charge, a waiver's credit, a reversal) carries an
idempotency key that the ledger's unique index enforces, so running the same action twice
posts nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.core.fees import (
    AbsenceCharge,
    BandRow,
    BandTableError,
    EntryKind,
    MoneyError,
    assess_band,
    check_currency,
    format_money,
    parse_band_table,
    percent_of,
    session_charged,
)
from alliance.fees.models import (
    AgencyFeePolicy,
    BandAssessment,
    ChargeKind,
    FeeSchedule,
    FeeSettings,
    LedgerEntry,
    PaymentMethod,
    ScaleBand,
    Waiver,
    WaiverStatus,
)
from alliance.fees.selectors import account_balance, currency_of
from alliance.history import set_change_reason, set_history_user
from alliance.organizations.models import Agency, Organization
from alliance.participants.models import Enrollment
from alliance.programs.models import Attendance, Program, SessionStatus


class FeeError(ValueError):
    """A refused fee action; the message names the field and says what to do."""


# --- Settings, schedules, scales, agency policies ---------------------------------------------


def set_currency(*, actor: User, organization: Organization, currency: str) -> FeeSettings:
    try:
        code = check_currency(currency)
    except MoneyError as exc:
        raise FeeError(f"currency: {exc}") from exc
    with transaction.atomic():
        settings, _ = FeeSettings.objects.select_for_update().get_or_create(
            organization=organization
        )
        if settings.currency == code:
            return settings
        other = (
            LedgerEntry.objects.filter(organization=organization)
            .exclude(currency=code)
            .values_list("currency", flat=True)
            .first()
        )
        if other is not None:
            raise FeeError(
                f"currency: the ledger already holds entries in {other}; the currency cannot "
                "change once money has been posted."
            )
        settings.currency = code
        set_history_user(settings, actor)
        settings.save()
    return settings


def save_schedule(
    *,
    actor: User,
    program: Program,
    intake_fee: int,
    session_fee: int,
    materials_fee: int,
    absences_charged: AbsenceCharge,
    charge_makeups: bool,
) -> FeeSchedule:
    for name, value in (
        ("intake_fee", intake_fee),
        ("session_fee", session_fee),
        ("materials_fee", materials_fee),
    ):
        if value < 0:
            raise FeeError(f"{name}: a fee cannot be negative.")
    with transaction.atomic():
        schedule, _ = FeeSchedule.objects.select_for_update().get_or_create(program=program)
        schedule.intake_fee = intake_fee
        schedule.session_fee = session_fee
        schedule.materials_fee = materials_fee
        schedule.absences_charged = absences_charged.value
        schedule.charge_makeups = charge_makeups
        set_history_user(schedule, actor)
        schedule.save()
    return schedule


def load_scale(*, actor: User, program: Program, text: str) -> list[ScaleBand]:
    """Replace the program's sliding scale with the table in ``text`` (CSV), all or nothing."""
    currency = currency_of(program.organization)
    try:
        rows = parse_band_table(text, currency)
    except BandTableError as exc:
        raise FeeError("file: " + "; ".join(exc.errors)) from exc
    with transaction.atomic():
        schedule, _ = FeeSchedule.objects.select_for_update().get_or_create(program=program)
        schedule.bands.all().delete()
        bands = ScaleBand.objects.bulk_create(
            ScaleBand(
                schedule=schedule,
                band=row.band,
                household_size=row.household_size,
                max_income=row.max_income,
                fee_percent=row.fee_percent,
            )
            for row in rows
        )
        schedule.scale_loaded_at = timezone.now()
        set_history_user(schedule, actor)
        set_change_reason(schedule, f"sliding scale loaded: {len(rows)} rows")
        schedule.save()
    return bands


def set_agency_policy(
    *,
    actor: User,
    agency: Agency,
    unpaid_blocks_completion: bool,
    fees_in_court_documents: bool,
    standard: str,
) -> AgencyFeePolicy:
    """Turn on (or off) what an agency's standard requires about fees. Turning either on
    needs the standard named, so that the reason stays with the setting in its history."""
    standard = standard.strip()
    if (unpaid_blocks_completion or fees_in_court_documents) and not standard:
        raise FeeError(
            "standard: name the standard or order of this agency that requires it "
            "(e.g. the statute or the agency's written policy)."
        )
    with transaction.atomic():
        policy, _ = AgencyFeePolicy.objects.select_for_update().get_or_create(agency=agency)
        policy.unpaid_blocks_completion = unpaid_blocks_completion
        policy.fees_in_court_documents = fees_in_court_documents
        policy.standard = standard[:300]
        set_history_user(policy, actor)
        policy.save()
    return policy


# --- Ability to pay -------------------------------------------------------------------------


def scale_of(program: Program) -> tuple[BandRow, ...]:
    return tuple(
        BandRow(b.band, b.household_size, b.max_income, b.fee_percent)
        for b in ScaleBand.objects.filter(schedule__program=program)
    )


def assess_ability_to_pay(
    *, actor: User, enrollment: Enrollment, household_income: int, household_size: int
) -> BandAssessment:
    """Record his band on the program's sliding scale from what he declared."""
    table = scale_of(enrollment.program)
    if not table:
        raise FeeError(
            "household_income: the program has no sliding scale yet; a program manager loads "
            "one on the program's fee page."
        )
    if household_size < 1:
        raise FeeError("household_size: a household has at least one person.")
    if household_income < 0:
        raise FeeError("household_income: a yearly income cannot be negative.")
    row = assess_band(table, income=household_income, household_size=household_size)
    assessment = BandAssessment(
        enrollment=enrollment,
        household_income=household_income,
        household_size=household_size,
        band=row.band,
        fee_percent=row.fee_percent,
        assessed_by=actor,
        assessed_at=timezone.now(),
    )
    set_history_user(assessment, actor)
    with transaction.atomic():
        assessment.save()
    return assessment


def fee_percent(enrollment: Enrollment) -> int:
    """The percentage of each fee he pays: his latest band, or 100 % before any assessment."""
    latest = BandAssessment.objects.filter(enrollment=enrollment).first()
    return latest.fee_percent if latest else 100


# --- The ledger -----------------------------------------------------------------------------


def _post(
    *,
    actor: User,
    enrollment: Enrollment,
    kind: EntryKind,
    amount: int,
    on: dt.date,
    **fields: object,
) -> LedgerEntry:
    if amount <= 0:
        raise FeeError("amount: give an amount of more than zero.")
    return LedgerEntry.objects.create(
        organization_id=enrollment.participant.organization_id,
        enrollment=enrollment,
        kind=kind.value,
        amount=amount,
        currency=currency_of(enrollment.program.organization),
        posted_on=on,
        posted_at=timezone.now(),
        posted_by=actor,
        username=actor.get_username(),
        **fields,
    )


def post_charge(
    *,
    actor: User,
    enrollment: Enrollment,
    charge_kind: ChargeKind,
    on: dt.date,
    amount: int | None = None,
    memo: str = "",
) -> LedgerEntry:
    """Charge the intake fee or materials (the schedule's amount at his band, once per
    enrollment), or another charge of ``amount``."""
    key = None
    if charge_kind in (ChargeKind.INTAKE, ChargeKind.MATERIALS):
        schedule = FeeSchedule.objects.filter(program=enrollment.program).first()
        full = getattr(schedule, f"{charge_kind.value}_fee", 0) if schedule else 0
        if amount is None:
            amount = percent_of(full, fee_percent(enrollment))
        key = charge_kind.value
    elif charge_kind is ChargeKind.SESSION:
        raise FeeError("charge_kind: session fees are charged from attendance.")
    if amount is None or amount <= 0:
        raise FeeError(
            "amount: nothing to charge (the fee is zero at his band, or no amount was given)."
        )
    if key and LedgerEntry.objects.filter(enrollment=enrollment, idempotency_key=key).exists():
        raise FeeError(f"charge_kind: the {charge_kind.label.lower()} is already charged.")
    with transaction.atomic():
        return _post(
            actor=actor,
            enrollment=enrollment,
            kind=EntryKind.CHARGE,
            amount=amount,
            on=on,
            charge_kind=charge_kind.value,
            memo=memo[:500],
            idempotency_key=key,
        )


def generate_session_charges(*, actor: User, program: Program, through: dt.date) -> int:
    """Charge every held session up to ``through`` by the schedule's rules, at each man's band.

    Idempotent per man and session: a session already charged (or charged and reversed) is
    never charged again, so running it twice posts nothing the second time.
    """
    with transaction.atomic():
        schedule = FeeSchedule.objects.select_for_update().filter(program=program).first()
        if schedule is None or schedule.session_fee == 0:
            raise FeeError("session_fee: the program has no session fee to charge.")
        marks = (
            # A recorded mark means the session took place (a cancelled one is never charged).
            Attendance.objects.filter(
                session__group__program=program, session__held_on__lte=through
            )
            .exclude(session__status=SessionStatus.CANCELLED)
            .select_related("enrollment__participant", "session")
            .order_by("session__held_on", "pk")
        )
        done: set[tuple[int | None, str | None]] = set(
            LedgerEntry.objects.filter(
                organization_id=program.organization_id,
                charge_kind=ChargeKind.SESSION,
                session__group__program=program,
            ).values_list("enrollment_id", "idempotency_key")
        )
        percents: dict[int, int] = {}
        created = 0
        for attendance in marks:
            key = f"session-{attendance.session_id}"
            if (attendance.enrollment_id, key) in done:
                continue
            if not session_charged(
                attendance.mark,
                is_makeup=attendance.is_makeup,
                absences=AbsenceCharge(schedule.absences_charged),
                charge_makeups=schedule.charge_makeups,
            ):
                continue
            enrollment = attendance.enrollment
            if enrollment.pk not in percents:
                percents[enrollment.pk] = fee_percent(enrollment)
            amount = percent_of(schedule.session_fee, percents[enrollment.pk])
            if amount == 0:
                continue
            try:
                with transaction.atomic():
                    _post(
                        actor=actor,
                        enrollment=enrollment,
                        kind=EntryKind.CHARGE,
                        amount=amount,
                        on=attendance.session.held_on,
                        charge_kind=ChargeKind.SESSION,
                        session=attendance.session,
                        idempotency_key=key,
                    )
            except IntegrityError:
                continue  # charged meanwhile by another run
            created += 1
    return created


def record_payment(
    *,
    actor: User,
    enrollment: Enrollment,
    amount: int,
    method: PaymentMethod,
    on: dt.date,
    reference: str = "",
    payer: str = "",
    memo: str = "",
) -> LedgerEntry:
    reference, payer = reference.strip(), payer.strip()
    if method in (PaymentMethod.CARD, PaymentMethod.CHEQUE, PaymentMethod.VOUCHER) and not (
        reference
    ):
        raise FeeError(f"reference: give the {method.label.lower()}'s reference or number.")
    if method is PaymentMethod.THIRD_PARTY and not payer:
        raise FeeError("payer: name the third party who paid.")
    if on > timezone.localdate():
        raise FeeError("on: a payment cannot be dated in the future.")
    with transaction.atomic():
        return _post(
            actor=actor,
            enrollment=enrollment,
            kind=EntryKind.PAYMENT,
            amount=amount,
            on=on,
            method=method.value,
            reference=reference[:64],
            payer=payer[:200],
            memo=memo[:500],
        )


def record_refund(
    *,
    actor: User,
    enrollment: Enrollment,
    amount: int,
    method: PaymentMethod,
    on: dt.date,
    reference: str = "",
    memo: str = "",
) -> LedgerEntry:
    """Pay back money he paid beyond what he owes (a refund cannot exceed his credit)."""
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        credit = -account_balance(enrollment)
        currency = currency_of(enrollment.program.organization)
        if amount > max(credit, 0):
            raise FeeError(
                f"amount: a refund can return at most his credit, "
                f"{format_money(max(credit, 0), currency)}."
            )
        return _post(
            actor=actor,
            enrollment=enrollment,
            kind=EntryKind.REFUND,
            amount=amount,
            on=on,
            method=method.value,
            reference=reference.strip()[:64],
            memo=memo[:500],
        )


def reverse_entry(*, actor: User, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """Correct a mistake: post an entry that cancels ``entry`` (which stays as it was)."""
    reason = reason.strip()
    if not reason:
        raise FeeError("reason: say why the entry is reversed.")
    if entry.kind == EntryKind.CORRECTION:
        raise FeeError("entry: a correction cannot be reversed; post the right entry instead.")
    if entry.enrollment is None:
        raise FeeError("entry: this entry belongs to a record that was purged.")
    key = f"reverses-{entry.pk}"
    if LedgerEntry.objects.filter(enrollment=entry.enrollment, idempotency_key=key).exists():
        raise FeeError("entry: this entry is already reversed.")
    try:
        with transaction.atomic():
            return _post(
                actor=actor,
                enrollment=entry.enrollment,
                kind=EntryKind.CORRECTION,
                amount=entry.amount,
                on=timezone.localdate(),
                reverses=entry,
                reverses_kind=entry.kind,
                charge_kind=entry.charge_kind,
                memo=reason[:500],
                idempotency_key=key,
            )
    except IntegrityError as exc:
        raise FeeError("entry: this entry is already reversed.") from exc


# --- Hardship waivers ----------------------------------------------------------------------


def request_waiver(*, actor: User, enrollment: Enrollment, amount: int, reason: str) -> Waiver:
    reason = reason.strip()
    if not reason:
        raise FeeError("reason: say what hardship the waiver answers.")
    if amount <= 0:
        raise FeeError("amount: give an amount of more than zero.")
    owed = account_balance(enrollment)
    if amount > owed:
        currency = currency_of(enrollment.program.organization)
        most = format_money(max(owed, 0), currency)
        raise FeeError(f"amount: a waiver covers what he owes now, at most {most}.")
    waiver = Waiver(
        enrollment=enrollment,
        amount=amount,
        reason=reason[:500],
        requested_by=actor,
        requested_at=timezone.now(),
    )
    set_history_user(waiver, actor)
    with transaction.atomic():
        waiver.save()
    return waiver


def decide_waiver(*, actor: User, waiver: Waiver, approve: bool, note: str = "") -> Waiver:
    """Approve (posting the waiver to the ledger) or decline; never by whoever asked."""
    with transaction.atomic():
        waiver = (
            Waiver.objects.select_for_update()
            .select_related("enrollment__participant", "enrollment__program__organization")
            .get(pk=waiver.pk)
        )
        if waiver.status != WaiverStatus.REQUESTED:
            raise FeeError(f"waiver: already {waiver.get_status_display().lower()}.")
        if waiver.requested_by_id == actor.pk:
            raise FeeError(
                "waiver: a waiver needs a second person; someone other than who asked for it "
                "approves or declines it."
            )
        if approve and waiver.amount > account_balance(waiver.enrollment):
            owed = format_money(
                max(account_balance(waiver.enrollment), 0),
                currency_of(waiver.enrollment.program.organization),
            )
            raise FeeError(
                f"waiver: he now owes {owed}, less than the waiver; decline it and ask again "
                "for what he owes."
            )
        waiver.status = WaiverStatus.APPROVED if approve else WaiverStatus.DECLINED
        waiver.decided_by = actor
        waiver.decided_at = timezone.now()
        waiver.decision_note = note.strip()[:300]
        set_history_user(waiver, actor)
        waiver.save()
        if approve:
            _post(
                actor=actor,
                enrollment=waiver.enrollment,
                kind=EntryKind.WAIVER,
                amount=waiver.amount,
                on=timezone.localdate(),
                waiver_id=waiver.pk,
                memo=waiver.reason[:500],
                idempotency_key=f"waiver-{waiver.pk}",
            )
    return waiver
