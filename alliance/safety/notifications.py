"""Partner notifications prepared when a man's enrollment changes status.

``alliance.participants.services.change_enrollment_status`` calls
:func:`prepare_partner_notifications` inside its transaction. A draft is prepared only for a
partner whose release for that kind of news is in force on the day of the change; nothing is
told to anyone until a safety worker confirms it is safe now
(:func:`alliance.safety.services.send_notification`).

Each draft is a task with a due date: the program's partner-notice clock (business days,
set with its duty-to-warn procedure, ``alliance.incidents``) counted from the day it was
prepared, skipping weekends and the organization's holidays. The safety home shows it overdue
after that day.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alliance.core.duties import add_business_days
from alliance.core.enrollment import EnrollmentStatus
from alliance.incidents.selectors import procedure_for
from alliance.participants.models import Enrollment
from alliance.programs.models import Holiday
from alliance.safety.models import NotificationKind, PartnerNotification, PartnerRecord

KIND_OF_STATUS = {
    EnrollmentStatus.ACTIVE: NotificationKind.ENROLLMENT,
    EnrollmentStatus.COMPLETED: NotificationKind.COMPLETION,
    EnrollmentStatus.DISCHARGED: NotificationKind.TERMINATION,
    EnrollmentStatus.DROPPED_OUT: NotificationKind.TERMINATION,
    EnrollmentStatus.TRANSFERRED: NotificationKind.TRANSFER,
}
#: Holidays further ahead than this cannot move a due date (the clock is at most 30 days).
HOLIDAY_HORIZON = dt.timedelta(days=90)


def draft_message(kind: NotificationKind, program: str, day: dt.date) -> str:
    when = f"{day:%d %B %Y}".lstrip("0")
    if kind is NotificationKind.ENROLLMENT:
        return f"He began attending {program} on {when}."
    if kind is NotificationKind.COMPLETION:
        return f"He completed {program} on {when}."
    if kind is NotificationKind.NON_COMPLIANCE:
        # What happened in one plain line; never his counts, notes or what he said.
        return (
            f"As of {when} he is not keeping to the attendance rules of {program}; "
            "the program has told him and his referral agency."
        )
    if kind is NotificationKind.TRANSFER:
        # Where he went is not said: the new program or site may be near her.
        return f"He left {program} on {when} to continue in another program or site."
    return f"He is no longer in {program} as of {when}; he did not complete it."


def notice_due_on(enrollment: Enrollment, prepared_on: dt.date) -> dt.date:
    """The day a notification prepared on ``prepared_on`` is due, by the program's clock."""
    program = enrollment.program
    days = procedure_for(program).partner_notice_business_days
    holidays = set(
        Holiday.objects.filter(
            organization_id=program.organization_id,
            day__gte=prepared_on,
            day__lte=prepared_on + HOLIDAY_HORIZON,
        ).values_list("day", flat=True)
    )
    return add_business_days(prepared_on, days, holidays)


def prepare_breach_notifications(
    *, enrollment: Enrollment, found_on: dt.date
) -> list[PartnerNotification]:
    """Draft a non-compliance notification for each partner who asked to be told.

    Called by ``alliance.court`` when the compliance engine first finds him in breach. Only
    a partner whose release for non-compliance news is in force that day gets a draft; as with
    every notification, nothing is told until a safety worker confirms it is safe now.
    """
    kind = NotificationKind.NON_COMPLIANCE
    partners = PartnerRecord.objects.filter(
        participant_id=enrollment.participant_id,
        releases__kind=kind.value,
        releases__signed_on__lte=found_on,
    ).distinct()
    drafts = []
    for partner in partners:
        if not any(
            r.kind == kind.value and r.in_force_on(found_on) for r in partner.releases.all()
        ):
            continue
        if PartnerNotification.objects.filter(
            partner=partner, enrollment=enrollment, kind=kind.value, event_on=found_on
        ).exists():
            continue
        drafts.append(
            PartnerNotification.objects.create(
                partner=partner,
                enrollment=enrollment,
                kind=kind.value,
                event_on=found_on,
                due_on=notice_due_on(enrollment, found_on),
                message=draft_message(kind, enrollment.program.name, found_on),
            )
        )
    return drafts


def prepare_partner_notifications(
    *, enrollment: Enrollment, target: EnrollmentStatus, effective_on: dt.date
) -> list[PartnerNotification]:
    """Draft one notification per partner with a release in force for this kind of news."""
    kind = KIND_OF_STATUS.get(target)
    if kind is None:
        return []
    partners = PartnerRecord.objects.filter(
        participant_id=enrollment.participant_id,
        releases__kind=kind.value,
        releases__signed_on__lte=effective_on,
    ).distinct()
    drafts = []
    due_on: dt.date | None = None
    for partner in partners:
        if not any(
            r.kind == kind.value and r.in_force_on(effective_on) for r in partner.releases.all()
        ):
            continue
        if due_on is None:
            # From the day it is recorded: a change entered late (effective last week) still
            # gives the worker her full clock, counted from when she could know of it.
            today = timezone.localdate(timezone=enrollment.program.tzinfo)
            due_on = notice_due_on(enrollment, max(today, effective_on))
        drafts.append(
            PartnerNotification.objects.create(
                partner=partner,
                enrollment=enrollment,
                kind=kind.value,
                event_on=effective_on,
                due_on=due_on,
                message=draft_message(kind, enrollment.program.name, effective_on),
            )
        )
    return drafts
