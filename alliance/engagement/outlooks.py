"""Stored per-man outlooks: computed by a background task, read by every page.

Running the dropout model for a caseload costs a feature frame and a hazard walk per man; a
page used to do it on every view (and the risk list twice). Now a task recomputes a man's
outlook whenever his attendance, check-outs or status change (``alliance.engagement.signals``)
and stores it in ``StoredOutlook``; pages read the stored rows. A row computed on an earlier
day or by a model version that is no longer active is still shown, and a refresh is enqueued;
a man with no row yet (his first session, or a database from before this table) is computed
on the spot and stored, so a page never shows less than the model would.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence

import pandas as pd
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from alliance.core.engagement import HazardModel, Outlook, outlooks, person_session_frame
from alliance.core.engagement.outlook import sort_key
from alliance.core.enrollment import EnrollmentStatus
from alliance.engagement.models import StoredOutlook
from alliance.engagement.selectors import active_model, frames_for, with_intake_measures
from alliance.participants.models import Enrollment

#: How long a page waits before it asks again for the same organization's day-old outlooks.
REFRESH_REQUEST_SECONDS = 10 * 60


def compute_outlooks(
    active: Sequence[Enrollment],
    *,
    organization_id: int,
    today: dt.date,
    model: HazardModel | None = None,
) -> list[Outlook]:
    """Run ``model`` (default: the organization's active one) for these enrollments, which
    ``with_intake_measures`` annotated. What every page computed before outlooks were stored.

    An external risk score is expressed among all the organization's active men (a page used
    to express it among the men its viewer could see, so a man's number changed with the page).
    """
    frames = frames_for(active, today=today, risk_population=risk_population(organization_id))
    if frames.intake.empty:
        return []
    if model is None:
        model, _ = active_model(organization_id)
    frame = person_session_frame(frames.intake, frames.sessions)
    left = frames.enrollments.set_index("id")["sessions_left"]
    return outlooks(model, frame, sessions_left=left)


def risk_population(organization_id: int) -> pd.DataFrame:
    """The external risk scores of the organization's active men: one light query."""
    rows = Enrollment.objects.filter(
        program__organization_id=organization_id, status=EnrollmentStatus.ACTIVE
    ).values_list("participant__risk_tool", "participant__risk_score")
    return pd.DataFrame(list(rows), columns=["risk_tool", "risk_score"])


def _active(ids: Iterable[int]) -> list[Enrollment]:
    return list(
        with_intake_measures(
            Enrollment.objects.filter(pk__in=list(ids), status=EnrollmentStatus.ACTIVE)
        ).select_related("participant", "program", "program__organization")
    )


def _store(
    found: Sequence[Outlook], *, version: int | None, today: dt.date, now: dt.datetime
) -> None:
    if not found:
        return
    StoredOutlook.objects.bulk_create(
        [
            StoredOutlook(
                enrollment_id=o.participant_id,
                next_two=o.next_two,
                before_completion=o.before_completion,
                band=o.band,
                factors=list(o.factors),
                model_version=version,
                computed_on=today,
                computed_at=now,
            )
            for o in found
        ],
        update_conflicts=True,
        unique_fields=["enrollment"],
        update_fields=[
            "next_two",
            "before_completion",
            "band",
            "factors",
            "model_version",
            "computed_on",
            "computed_at",
        ],
    )


def _model(organization_id: int) -> tuple[HazardModel, int | None]:
    model, stored = active_model(organization_id)
    return model, stored.version if stored else None


def refresh_outlooks(enrollment_ids: Iterable[int]) -> int:
    """Recompute and store the outlooks of these enrollments; forget those no longer active.

    Returns how many outlooks were stored. Each organization is computed on its own day and
    with its own active model.
    """
    ids = sorted(set(enrollment_ids))
    now = timezone.now()
    stored = 0
    with transaction.atomic():
        active = _active(ids)
        StoredOutlook.objects.filter(enrollment_id__in=ids).exclude(
            enrollment_id__in=[e.pk for e in active]
        ).delete()
        by_org: dict[int, list[Enrollment]] = {}
        for enrollment in active:
            by_org.setdefault(enrollment.program.organization_id, []).append(enrollment)
        for organization_id, enrollments in by_org.items():
            zone = zoneinfo.ZoneInfo(enrollments[0].program.organization.time_zone)
            today = timezone.localdate(now, timezone=zone)
            model, version = _model(organization_id)
            found = compute_outlooks(
                enrollments, organization_id=organization_id, today=today, model=model
            )
            _store(found, version=version, today=today, now=now)
            stored += len(found)
    return stored


def refresh_all() -> int:
    """Recompute every active man's outlook (after a bulk build or import, or from cron)."""
    ids = Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).values_list("pk", flat=True)
    return refresh_outlooks(ids)


def current_outlooks(
    active: Sequence[Enrollment], *, organization_id: int, today: dt.date
) -> list[Outlook]:
    """The outlooks of these active enrollments, highest chance of leaving before completion first.

    The same list ``compute_outlooks`` gives (tests/engagement/test_stored_outlooks.py), read
    from the stored rows; men without one are computed now (once) and stored.
    """
    ids = [e.pk for e in active]
    rows = {s.enrollment_id: s for s in StoredOutlook.objects.filter(enrollment_id__in=ids)}
    missing = [e for e in active if e.pk not in rows]
    model, version = _model(organization_id)
    result = [
        Outlook(
            participant_id=s.enrollment_id,
            next_two=s.next_two,
            before_completion=s.before_completion,
            band=s.band,
            factors=tuple(s.factors),
        )
        for s in rows.values()
    ]
    if missing:
        fresh = compute_outlooks(missing, organization_id=organization_id, today=today, model=model)
        _store(fresh, version=version, today=today, now=timezone.now())
        result.extend(fresh)
    due = [s.enrollment_id for s in rows.values() if _is_due(s, version=version, today=today)]
    if due:
        request_refresh(due, organization_id=organization_id, today=today)
    result.sort(key=sort_key)
    return result


def _is_due(row: StoredOutlook, *, version: int | None, today: dt.date) -> bool:
    return row.computed_on != today or row.model_version != version


def request_refresh(ids: Sequence[int], *, organization_id: int, today: dt.date) -> None:
    """Enqueue one refresh of these day-old outlooks per organization and day, not per view."""
    from alliance.engagement.tasks import refresh_outlooks_task

    key = f"engagement:outlooks-due:{organization_id}:{today.isoformat()}:{len(ids)}"
    if cache.add(key, True, timeout=REFRESH_REQUEST_SECONDS):
        refresh_outlooks_task.enqueue(enrollment_ids=sorted(ids))
