"""Reading the access log, limited to the men the reader may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from alliance.audit.models import AccessEvent
from alliance.organizations.models import Membership
from alliance.organizations.people import person_name
from alliance.participants.models import Participant
from alliance.participants.permissions import visible_participants


@dataclass(frozen=True)
class Filters:
    participant: Participant | None = None
    user: AbstractBaseUser | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def staff_of(membership: Membership) -> QuerySet[AbstractBaseUser]:
    """The users of the reader's organization, for the "who" filter."""
    return (
        get_user_model()
        .objects.filter(membership__organization=membership.organization)
        .order_by("username")
    )


def events_for(membership: Membership, filters: Filters) -> QuerySet[AccessEvent]:
    """Events about men the reader may see, newest first, matching ``filters``.

    Dates are whole days in the current (the organization's) time zone, both ends included.
    """
    events = AccessEvent.objects.filter(
        participant_id__in=visible_participants(membership).values("pk")
    ).select_related("participant")
    if filters.participant is not None:
        events = events.filter(participant_id=filters.participant.pk)
    if filters.user is not None:
        events = events.filter(user_id=filters.user.pk)
    if filters.date_from is not None:
        events = events.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    return events.order_by("-at", "-pk")


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


def staff_names(events: Iterable[AccessEvent]) -> dict[int, str]:
    """User id -> her full name (else username), for the rows on one page of the log; one
    query. A user whose account is gone keeps the username the row stored."""
    ids = {e.user_id for e in events}
    users = get_user_model().objects.filter(pk__in=ids)
    return {u.pk: person_name(u) for u in users}
