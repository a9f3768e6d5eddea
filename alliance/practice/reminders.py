"""Daily reminders: due homework and pending check-outs, by email through Django's email backend.

A pending check-out is a check-out (``alliance.measures``) he was sent a link for, has not
finished, and can still open (the link has not expired).

A message says only that something is waiting and where: never the practice, a score, the
program's name or anything that would tell a reader (a partner, an employer sharing the inbox)
what kind of program he attends. Men who opted out, have no address, are not active, or were
already reminded today are skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from alliance.core.enrollment import EnrollmentStatus
from alliance.languages import language_of_enrollment
from alliance.measures.models import CHECKOUT, Administration, Status
from alliance.participants.models import Enrollment
from alliance.practice.models import Assignment, PracticeLog, ReminderSettings

SUBJECT = gettext_noop("A reminder")
BODY = gettext_noop(
    "Hello,\n\nYou have something waiting for you this week. Use the link your group gave you, "
    "or ask for a new one at your next meeting.\n\nTo stop these reminders, use the button at "
    "the bottom of that page or tell your group leader."
)


@transaction.atomic
def set_reminders(
    *, enrollment: Enrollment, email: str | None, opted_out: bool
) -> ReminderSettings:
    """Record his address (``None``: keep it) and whether he wants reminders."""
    row, _ = ReminderSettings.objects.get_or_create(enrollment=enrollment)
    if email is not None:
        row.email = email
    row.opted_out = opted_out
    row.save(update_fields=["email", "opted_out"])
    return row


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    skipped_opted_out: int


def pending_checkouts(enrollment_ids: list[int], *, now: dt.datetime) -> set[int]:
    """The men (enrollment ids) with a check-out link they have not finished and can still use."""
    return set(
        Administration.objects.filter(
            enrollment_id__in=enrollment_ids,
            instrument_id=CHECKOUT,
            status=Status.PARTIAL,
            link__expires_at__gt=now,
        ).values_list("enrollment_id", flat=True)
    )


def due_enrollments(*, today: dt.date, now: dt.datetime) -> list[Enrollment]:
    """Active men with homework due in the next two days that they have not logged, or a
    check-out waiting for them (see :func:`pending_checkouts`)."""
    window = Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=2))
    active = list(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).select_related(
            "participant__organization"
        )
    )
    due = Assignment.objects.filter(window)
    group_due = set(due.filter(group__isnull=False).values_list("group_id", "pk"))
    man_due = set(due.filter(enrollment__isnull=False).values_list("enrollment_id", "pk"))
    logged = set(
        PracticeLog.objects.filter(assignment__in=due).values_list("enrollment_id", "assignment_id")
    )
    checkouts = pending_checkouts([e.pk for e in active], now=now)
    waiting = []
    for enrollment in active:
        pending = {a for g, a in group_due if g == enrollment.group_id} | {
            a for e, a in man_due if e == enrollment.pk
        }
        pending -= {a for e, a in logged if e == enrollment.pk}
        if pending or enrollment.pk in checkouts:
            waiting.append(enrollment)
    return waiting


def send_due_reminders(
    *,
    today: dt.date,
    sender: str,
    now: dt.datetime | None = None,
    reminded_otherwise: frozenset[int] = frozenset(),
) -> ReminderRun:
    """One email per man with something waiting (:func:`due_enrollments`) who gave an address,
    unless he was reminded another way today (``reminded_otherwise``: enrollment ids, e.g. by
    text)."""
    now = now or timezone.now()
    waiting = {e.pk for e in due_enrollments(today=today, now=now)} - reminded_otherwise
    sent = skipped = 0
    rows = ReminderSettings.objects.filter(enrollment_id__in=waiting).select_related(
        "enrollment__participant", "enrollment__group"
    )
    for row in rows.order_by("pk"):
        if not row.email or row.last_sent_on == today:
            continue
        if row.opted_out:
            skipped += 1
            continue
        with translation.override(language_of_enrollment(row.enrollment)):
            send_mail(gettext(SUBJECT), gettext(BODY), sender, [row.email])
        row.last_sent_on = today
        row.save(update_fields=["last_sent_on"])
        sent += 1
    return ReminderRun(sent=sent, skipped_opted_out=skipped)
