"""Writes: a man's releases of therapeutic scores, recorded and revoked by senior staff.

A score release (model :class:`~alliance.measures.models.Release`; not to be confused with the
partner-safety compartment's ``PartnerRelease``) is what lets
:func:`alliance.measures.releases.selectors.reportable_scores` put a therapeutic measure in an
outside-facing report, so every change is attributable: the history row of each write names
the user, and a revocation also stores who revoked it and when. A release is never deleted or
edited; a correction is a revocation and a new release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alliance.core.instruments import Confidentiality
from alliance.history import set_history_user
from alliance.measures.errors import MeasureError
from alliance.measures.models import RecipientKind, Release
from alliance.measures.registry import definition_for
from alliance.participants.models import Enrollment


def _clean_scope(all_therapeutic: bool, instrument_ids: Sequence[str]) -> list[str]:
    if all_therapeutic:
        return []
    if not instrument_ids:
        raise MeasureError("scope: choose the measures it covers, or all therapeutic measures.")
    cleaned = []
    for instrument_id in instrument_ids:
        try:
            definition = definition_for(instrument_id)
        except LookupError:
            raise MeasureError(f"instrument_ids: no measure called {instrument_id!r}.") from None
        if definition.confidentiality is not Confidentiality.THERAPEUTIC:
            raise MeasureError(
                f"instrument_ids: {definition.title} is reportable and needs no release."
            )
        cleaned.append(instrument_id)
    return sorted(set(cleaned))


@transaction.atomic
def record_score_release(
    *,
    actor: User,
    enrollment: Enrollment,
    recipient_kind: RecipientKind,
    recipient_name: str,
    signed_on: dt.date,
    expires_on: dt.date,
    all_therapeutic: bool,
    instrument_ids: Sequence[str],
    today: dt.date,
) -> Release:
    """Record a signed release. Submitting the same release again (a double click) returns the
    one already recorded instead of adding a second."""
    if recipient_kind not in RecipientKind.values:
        raise MeasureError(f"recipient_kind: unknown kind of recipient {recipient_kind!r}.")
    if not recipient_name.strip():
        # An empty name used to match every recipient of the kind (finding M2): a release
        # is signed for one organization and names it.
        raise MeasureError("recipient_name: name the organization he signed the release for.")
    if signed_on > today:
        raise MeasureError("signed_on: a release cannot be signed in the future.")
    if expires_on < signed_on:
        raise MeasureError("expires_on: the release must expire on or after the day it is signed.")
    scope = _clean_scope(all_therapeutic, instrument_ids)
    same = Release.objects.filter(
        enrollment=enrollment,
        recipient_kind=recipient_kind,
        recipient_name=recipient_name.strip(),
        signed_on=signed_on,
        expires_on=expires_on,
        all_therapeutic=all_therapeutic,
        revoked_at__isnull=True,
    )
    for existing in same:
        if sorted(existing.instrument_ids) == scope:
            return existing
    release = Release(
        enrollment=enrollment,
        recipient_kind=recipient_kind,
        recipient_name=recipient_name.strip(),
        signed_on=signed_on,
        expires_on=expires_on,
        all_therapeutic=all_therapeutic,
        instrument_ids=scope,
        recorded_by=actor,
    )
    set_history_user(release, actor)
    release.save()
    return release


@transaction.atomic
def revoke_score_release(
    *, actor: User, release: Release, now: dt.datetime | None = None
) -> Release:
    """Revoke a release from now on; revoking twice keeps the first revocation."""
    locked = Release.objects.select_for_update().get(pk=release.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = now or timezone.now()
    locked.revoked_by = actor
    set_history_user(locked, actor)
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
