"""Partner notifications prepared when a man's enrollment changes status.

``alliance.participants.services.change_enrollment_status`` calls
:func:`prepare_partner_notifications` inside its transaction. A draft is prepared only for a
partner whose release for that kind of news is in force on the day of the change; nothing is
told to anyone until a safety worker confirms it is safe now
(:func:`alliance.safety.services.send_notification`).
"""

from __future__ import annotations

import datetime as dt

from alliance.core.enrollment import EnrollmentStatus
from alliance.participants.models import Enrollment
from alliance.safety.models import NotificationKind, PartnerNotification, PartnerRecord

KIND_OF_STATUS = {
    EnrollmentStatus.ACTIVE: NotificationKind.ENROLLMENT,
    EnrollmentStatus.COMPLETED: NotificationKind.COMPLETION,
    EnrollmentStatus.DISCHARGED: NotificationKind.TERMINATION,
    EnrollmentStatus.DROPPED_OUT: NotificationKind.TERMINATION,
}


def draft_message(kind: NotificationKind, program: str, day: dt.date) -> str:
    when = f"{day:%d %B %Y}".lstrip("0")
    if kind is NotificationKind.ENROLLMENT:
        return f"He began attending {program} on {when}."
    if kind is NotificationKind.COMPLETION:
        return f"He completed {program} on {when}."
    return f"He is no longer in {program} as of {when}; he did not complete it."


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
    for partner in partners:
        if not any(
            r.kind == kind.value and r.in_force_on(effective_on) for r in partner.releases.all()
        ):
            continue
        drafts.append(
            PartnerNotification.objects.create(
                partner=partner,
                enrollment=enrollment,
                kind=kind.value,
                event_on=effective_on,
                message=draft_message(kind, enrollment.program.name, effective_on),
            )
        )
    return drafts
