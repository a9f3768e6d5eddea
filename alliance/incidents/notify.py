"""The e-mail that tells the handlers an incident needs them.

It carries no clinical or partner detail: not his code, not the kind, not the program; only
that a safety incident needs them and the link to open it (behind the sign-in and the same
access checks as the page). E-mail may be read on a shared phone or forwarded; the page is
where the detail is.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.urls import reverse

from alliance.incidents.models import Incident
from alliance.organizations.models import Role

log = logging.getLogger("alliance.incidents")

SUBJECT = "A safety incident needs you"


def handlers_of(incident: Incident) -> QuerySet[User]:
    """The organization's partner-safety workers and the supervisors of the program's site."""
    return (
        User.objects.filter(
            is_active=True,
            membership__organization_id=incident.organization_id,
        )
        .filter(
            Q(membership__role=Role.PARTNER_SAFETY)
            | Q(
                membership__role=Role.SUPERVISOR,
                membership__sites=incident.program.site_id,
            )
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def notify_handlers(incident_id: int, *, link_base: str) -> int:
    """Send one message to each handler (no list of addresses shared); returns how many went."""
    incident = Incident.objects.select_related("program").get(pk=incident_id)
    link = link_base.rstrip("/") + reverse("incident", kwargs={"incident_id": incident.pk})
    body = (
        "A safety incident was flagged in Alliance and needs you.\n\n"
        f"Open it here (you will be asked to sign in):\n{link}\n\n"
        "The details are on that page only.\n"
    )
    sent = 0
    for user in handlers_of(incident):
        try:
            sent += send_mail(SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except (OSError, smtplib.SMTPException):
            # The incident is on their home pages already; the e-mail is the second channel.
            log.warning("Incident %s could not be e-mailed to user id=%s", incident.pk, user.pk)
    return sent
