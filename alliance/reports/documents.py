"""What each mandated document says, built from the compliance engine and nothing else.

Every document about a man is built here from his attendance marks (the mark only, never the
note), coded enrollment facts (status, dates, the coded discharge reason) and the compliance
engine's assessment, which also decides what each session counts as. Who he is (legal name,
date of birth, docket) comes from the identity vault, as much as the recipient's kind allows
(``identity.selectors.identity_for_recipient``). Therapeutic measures enter
only through ``measures.selectors.reportable_scores`` with the releases this recipient may rely
on (same kind, naming the recipient).

Never read here, so never in a document: any free text staff write (attendance and session
notes, a competency's evidence note or return reason, the reason he was sent home or left
early, and the reason typed when he is discharged or drops out, ``EnrollmentEvent.reason``,
which stays internal: finding M3), check-out answers, practice and accountability logs,
engagement risk and partner-safety records. Of a safety incident, only the kind and date, and
only when a supervisor closed it as reportable (``alliance.incidents.reportable``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from alliance.core.compliance import (
    COUNTED_LABELS,
    ComplianceAssessment,
    Counted,
    SessionCounts,
    SessionRecord,
    Standing,
    count_outcomes,
)
from alliance.core.court_order import OrderStatus
from alliance.core.enrollment import EnrollmentStatus
from alliance.core.instruments import Confidentiality
from alliance.court.models import CourtOrder
from alliance.court.selectors import order_of, order_status
from alliance.fees.policy import CourtFees, fees_for_court
from alliance.identity.selectors import DocumentIdentity, identity_for_recipient
from alliance.incidents.reportable import ReportableIncident, reportable_incidents
from alliance.measures.models import Release
from alliance.measures.registry import definition_for
from alliance.measures.releases.selectors import reportable_scores
from alliance.organizations.letterhead import Letterhead, letterhead
from alliance.participants.competencies import approved_competencies
from alliance.participants.models import Enrollment
from alliance.participants.services import assess_enrollment, session_records
from alliance.reports.models import DocumentKind, RecipientKind

#: Recipients whose documents carry the court order's terms (the court and its officers).
ORDER_RECIPIENTS = frozenset({RecipientKind.COURT, RecipientKind.PROBATION})


class DocumentRefused(Exception):
    """This document cannot be produced for this enrollment now; the message says why."""


#: Recipients a referring agency's fee requirement applies to (never a funder or another).
AGENCY_RECIPIENTS = frozenset(
    {RecipientKind.COURT, RecipientKind.PROBATION, RecipientKind.CHILD_PROTECTION}
)


@dataclass(frozen=True)
class Recipient:
    kind: str
    name: str
    organization: str

    @property
    def kind_label(self) -> str:
        return RecipientKind(self.kind).label


@dataclass(frozen=True)
class ReleasedScore:
    instrument_id: str
    title: str
    scale: str
    value: str
    band: str
    administered_on: dt.date
    therapeutic: bool


@dataclass
class Document:
    """Everything a document template shows; ``released`` is empty without a release."""

    kind: DocumentKind
    enrollment: Enrollment
    recipient: Recipient
    produced_on: dt.date
    period_start: dt.date | None
    period_end: dt.date
    assessment: ComplianceAssessment | None = None
    sessions: list[tuple[dt.date, str]] = field(default_factory=list)
    counts: SessionCounts = field(default_factory=SessionCounts)
    released: list[ReleasedScore] = field(default_factory=list)
    #: Kind and date of incidents a supervisor closed as reportable (never their account).
    incidents: list[ReportableIncident] = field(default_factory=list)
    #: Competencies a supervisor approved by the period's end, by name and day: a reportable
    #: fact (the facilitator's evidence note is therapeutic and never read here).
    competencies: list[tuple[str, dt.date]] = field(default_factory=list)
    #: The sending organization's name, address, phone, logo and signature block.
    letterhead: Letterhead | None = None
    #: Who he is, as much as this kind of recipient may be told (none for a funder).
    identity: DocumentIdentity | None = None
    #: His fee balance, only where the referring agency's standard requires it in documents
    #: to that agency (``alliance.fees.policy.fees_for_court``); otherwise None, and absent.
    fees: CourtFees | None = None
    #: The court's order and where he stands against it, for a court or probation recipient.
    court_order: CourtOrder | None = None
    order_status: OrderStatus | None = None

    @property
    def title(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def released_instrument_ids(self) -> list[str]:
        return sorted({s.instrument_id for s in self.released if s.therapeutic})


def default_recipient(enrollment: Enrollment) -> Recipient:
    """The referral contact recorded on the enrollment."""
    source = enrollment.referral_source
    kind = source if source in RecipientKind.values else RecipientKind.OTHER
    organization = enrollment.referral_agency or enrollment.get_referral_source_display()
    return Recipient(kind=kind, name=enrollment.referral_contact_name, organization=organization)


def refusal(enrollment: Enrollment, kind: str, assessment: ComplianceAssessment | None) -> str:
    """Why this document cannot be produced now, or "" if it can."""
    status = enrollment.status
    if kind == DocumentKind.ENROLLMENT_NOTICE and status == EnrollmentStatus.REFERRED:
        return "An enrollment notice is sent once he has had his intake; he is only referred."
    if kind == DocumentKind.COMPLIANCE_REPORT and assessment is None:
        return "A compliance report needs attendance: he has not started in a group yet."
    if kind == DocumentKind.NONCOMPLIANCE_NOTICE:
        if status != EnrollmentStatus.ACTIVE:
            return "A non-compliance notice is only for a man still in the program."
        if assessment is None or assessment.standing not in (
            Standing.IN_BREACH,
            Standing.AT_LIMIT,
        ):
            return (
                "The compliance engine does not find him in breach or at the limit, "
                "so there is nothing to notify."
            )
    if kind == DocumentKind.TERMINATION_NOTICE and status not in (
        EnrollmentStatus.DISCHARGED,
        EnrollmentStatus.DROPPED_OUT,
    ):
        return "A termination notice is only for a man who was discharged or dropped out."
    if kind == DocumentKind.COMPLETION_CERTIFICATE and status != EnrollmentStatus.COMPLETED:
        return "A completion certificate is only for a man whose completion has been recorded."
    return ""


def _applicable_releases(enrollment: Enrollment, recipient: Recipient) -> list[Release]:
    """Releases this recipient may rely on: exactly its kind, and naming it.

    No kind falls back to another (a release to "other" never covers child protection or a
    funder), and a release must name the organization or the person it was signed for: one
    with no name covers nobody (finding M2).
    """
    names = {recipient.organization.casefold().strip(), recipient.name.casefold().strip()}
    names.discard("")
    return [
        r
        for r in Release.objects.filter(enrollment=enrollment, recipient_kind=recipient.kind)
        if r.recipient_name.casefold().strip() in names
    ]


def _released_scores(
    enrollment: Enrollment, recipient: Recipient, *, today: dt.date, until: dt.date
) -> list[ReleasedScore]:
    scores = (
        reportable_scores(
            Enrollment.objects.filter(pk=enrollment.pk),
            releases=_applicable_releases(enrollment, recipient),
            today=today,
        )
        .filter(administered_on__lte=until, missing=False)
        .order_by("administered_on", "instrument_id", "scale_id")
    )
    rows = []
    for score in scores:
        try:
            title = definition_for(score.instrument_id).title
        except LookupError:
            title = score.instrument_id
        rows.append(
            ReleasedScore(
                instrument_id=score.instrument_id,
                title=title,
                scale=score.scale_id.replace("_", " "),
                value="—" if score.value is None else f"{score.value:g}",
                band=score.band,
                administered_on=score.administered_on,
                therapeutic=score.confidentiality == Confidentiality.THERAPEUTIC,
            )
        )
    return rows


def _sessions_in(
    records: list[SessionRecord],
    assessment: ComplianceAssessment,
    start: dt.date | None,
    end: dt.date,
) -> list[tuple[dt.date, Counted]]:
    # What each session counts as comes from the engine, so the period table and the
    # compliance section cannot disagree (a man 35 minutes late under a 30-minute rule is
    # absent in both). Only the mark is read: an attendance note is free text a facilitator
    # wrote and may hold therapeutic material.
    return [
        (record.held_on, outcome)
        for record, outcome in zip(records, assessment.outcomes, strict=True)
        if (start is None or record.held_on >= start) and record.held_on <= end
    ]


def build_document(
    enrollment: Enrollment,
    kind: str,
    *,
    recipient: Recipient,
    today: dt.date,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    identity_shown: bool = True,
) -> Document:
    """The document ``kind`` about this enrollment, or `DocumentRefused` saying why not.

    ``identity_shown`` is False for a preview by someone who may not see his identity (a
    facilitator reads the compliance report of her group's men): the document then names
    him by code only. A document that is sent always carries what its recipient may receive.

    ``period_start``/``period_end`` apply to the compliance report (sessions in the period,
    standing as of its end); the other documents are as of ``today``.
    """
    if kind not in DocumentKind.values or kind == DocumentKind.MONTHLY_AGGREGATE:
        raise DocumentRefused("No such document.")
    end = today
    if kind == DocumentKind.COMPLIANCE_REPORT:
        end = period_end or today
        if end > today:
            raise DocumentRefused("period_end: the period cannot end in the future.")
        if period_start is not None and period_start > end:
            raise DocumentRefused("period_start: the period must start on or before its end.")
    else:
        period_start = None
    records = session_records(enrollment)
    assessment = assess_enrollment(enrollment, today=end, records=records)
    reason = refusal(enrollment, kind, assessment)
    if reason:
        raise DocumentRefused(reason)
    document = Document(
        kind=DocumentKind(kind),
        enrollment=enrollment,
        recipient=recipient,
        produced_on=today,
        period_start=period_start,
        period_end=end,
        assessment=assessment,
        letterhead=letterhead(enrollment.program.organization),
        identity=(
            identity_for_recipient(enrollment.participant, recipient.kind)
            if identity_shown
            else None
        ),
    )
    if kind == DocumentKind.COMPLIANCE_REPORT and assessment is not None:
        sessions = _sessions_in(records, assessment, period_start, end)
        document.sessions = [(day, COUNTED_LABELS[outcome]) for day, outcome in sessions]
        document.counts = count_outcomes(outcome for _, outcome in sessions)
        document.competencies = approved_competencies(enrollment, as_of=end)
    if recipient.kind in ORDER_RECIPIENTS:
        document.court_order = order_of(enrollment)
        if document.court_order is not None:
            document.order_status = order_status(enrollment, end)
    document.released = _released_scores(enrollment, recipient, today=today, until=end)
    document.incidents = reportable_incidents(enrollment, start=period_start, end=end)
    if recipient.kind in AGENCY_RECIPIENTS and kind != DocumentKind.COMPLETION_CERTIFICATE:
        document.fees = fees_for_court(enrollment, as_of=end)
    return document
