"""A new offence learned of through an incident, recorded as an outcome event.

Kept apart from the rest of the app: it is the one module here that writes to
``alliance.outcomes`` (therapeutic and research data), and ``alliance.safety`` reads
``alliance.incidents.selectors`` for its home page; the import contracts in pyproject.toml keep
safety from reaching outcomes through this module.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from alliance.core.outcomes.followup import SOURCE_OF_KIND, OutcomeKind, Source
from alliance.incidents.models import Incident
from alliance.incidents.services import IncidentError
from alliance.outcomes.services import OutcomeEventError, record_outcome_event

#: The kinds an incident can put on record: official-record events only.
OFFENCE_KINDS = [
    (k.value, k.value.replace("_", " ").replace("ipv", "IPV").capitalize())
    for k in OutcomeKind
    if SOURCE_OF_KIND[k] is Source.OFFICIAL_RECORD
]


@transaction.atomic
def record_new_offence(
    *, actor: User, incident: Incident, kind: str, occurred_on: dt.date, today: dt.date
) -> bool:
    """Record the offence as an outcome event and on the incident; True if the event is new."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.offence_kind:
        raise IncidentError("offence: a new offence is already recorded for this incident.")
    if occurred_on < incident.occurred_at.date() - dt.timedelta(days=1):
        # One day of grace: the incident's instant is stored in UTC, the date typed is local.
        raise IncidentError("occurred_on: before the incident it was learned from.")
    try:
        _, created = record_outcome_event(
            actor=actor,
            participant_id=incident.participant_id,
            kind=kind,
            occurred_on=occurred_on,
            today=today,
        )
    except OutcomeEventError as exc:
        raise IncidentError(str(exc)) from exc
    incident.offence_kind = kind
    incident.offence_on = occurred_on
    incident.save(update_fields=["offence_kind", "offence_on"])
    return created
