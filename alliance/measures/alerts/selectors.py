"""Reads: the open alerts a user may see, and one man's alerts."""

from __future__ import annotations

from alliance.measures.models import Alert
from alliance.organizations.models import Membership
from alliance.participants.models import Participant
from alliance.participants.permissions import visible_participants


def open_alerts(membership: Membership, *, limit: int = 50) -> list[Alert]:
    """Unacknowledged alerts about men the user may see (a facilitator: his groups' men)."""
    return list(
        Alert.objects.filter(
            acknowledged_at__isnull=True,
            enrollment__participant__in=visible_participants(membership),
        )
        .select_related("enrollment__participant", "enrollment__program", "session__group")
        .order_by("-created_at", "-id")[:limit]
    )


def participant_alerts(participant: Participant) -> list[Alert]:
    """His alerts, open ones first, newest first within each."""
    alerts = Alert.objects.filter(enrollment__participant=participant).select_related(
        "session__group", "acknowledged_by", "enrollment__program"
    )
    return sorted(alerts, key=lambda a: (a.acknowledged_at is not None, -a.created_at.timestamp()))
