"""Reads: which scores an outside-facing document may contain, and a man's score releases.

:func:`reportable_scores` is the one gate between therapeutic measures and any court,
probation or funder report or export; :func:`score_release_rows` lists his releases with
their state and history for his releases page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from alliance.measures.models import Confidentiality, Release, Score, Status
from alliance.measures.registry import therapeutic_titles
from alliance.participants.models import Enrollment


def reportable_scores(
    enrollment_qs: QuerySet[Enrollment],
    *,
    releases: Iterable[Release],
    today: dt.date | None = None,
) -> QuerySet[Score]:
    """The scores an outside-facing report or export about these enrollments may contain.

    Every court, probation or funder report and every export **must** build its measures from
    this selector. Reportable measures always pass; a therapeutic measure passes only for an
    enrollment with a release, among ``releases``, that is signed, not revoked, not expired on
    ``today`` and covers that instrument (or all therapeutic measures). Only scores of complete
    administrations are returned.
    """
    today = today or timezone.localdate()
    allowed = Q(confidentiality=Confidentiality.REPORTABLE)
    for release in releases:
        if not release.is_valid_on(today):
            continue
        scope = Q(enrollment_id=release.enrollment_id)
        if not release.all_therapeutic:
            scope &= Q(instrument_id__in=list(release.instrument_ids))
        allowed |= scope
    return Score.objects.filter(
        allowed,
        enrollment__in=enrollment_qs,
        administration__status=Status.COMPLETE,
    )


@dataclass(frozen=True)
class ScoreReleaseEvent:
    at: dt.datetime
    who: str
    what: str


@dataclass(frozen=True)
class ScoreReleaseRow:
    release: Release
    state: str
    scope: str
    events: list[ScoreReleaseEvent]


def score_release_rows(enrollment: Enrollment, *, today: dt.date) -> list[ScoreReleaseRow]:
    """His releases, newest first, each with its state on ``today`` and its history."""
    releases = list(Release.objects.filter(enrollment=enrollment).order_by("-signed_on", "-pk"))
    history: dict[int, list[ScoreReleaseEvent]] = {r.pk: [] for r in releases}
    rows = (
        Release.history.filter(id__in=history)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for row in rows:
        if row.history_type == "+":
            what = "recorded"
        elif row.history_type == "~" and row.revoked_at is not None:
            what = "revoked"
        else:
            what = "changed"
        who = row.history_user.get_username() if row.history_user else "the system"
        history[row.id].append(ScoreReleaseEvent(row.history_date, who, what))
    titles = dict(therapeutic_titles())
    return [
        ScoreReleaseRow(
            release=r,
            state=(
                "revoked"
                if r.revoked_at is not None
                else "in force"
                if r.is_valid_on(today)
                else "expired"
                if today > r.expires_on
                else "not yet in force"
            ),
            scope="all therapeutic measures"
            if r.all_therapeutic
            else ", ".join(titles.get(i, i) for i in r.instrument_ids),
            events=history[r.pk],
        )
        for r in releases
    ]
