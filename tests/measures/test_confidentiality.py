"""Therapeutic measures never leave in an outside-facing report without a valid release."""

from __future__ import annotations

import datetime as dt

import pytest

from alliance.measures.models import Administration, Release, Score
from alliance.measures.releases.selectors import reportable_scores
from alliance.participants.models import Enrollment
from tests.factories import World

TODAY = dt.date(2025, 3, 10)


def stored_score(enrollment, instrument_id: str, confidentiality: str, *, complete=True) -> Score:
    administration = Administration.objects.create(
        enrollment=enrollment,
        instrument_id=instrument_id,
        instrument_version="1.0.0",
        confidentiality=confidentiality,
        respondent="paper",
        channel="staff",
        status="complete" if complete else "partial",
        administered_on=TODAY,
        idempotency_key=f"{enrollment.pk}-{instrument_id}-{complete}",
    )
    return Score.objects.create(
        administration=administration,
        enrollment=enrollment,
        instrument_id=instrument_id,
        instrument_version="1.0.0",
        engine_version="1.0.0",
        confidentiality=confidentiality,
        scale_id="total",
        value=3.0,
        administered_on=TODAY,
        scored_at=dt.datetime(2025, 3, 9, tzinfo=dt.UTC),
    )


def release(enrollment, *, instruments=(), everything=False, **kw) -> Release:
    fields = {
        "signed_on": TODAY - dt.timedelta(days=30),
        "expires_on": TODAY + dt.timedelta(days=30),
        "recipient_kind": "court",
    }
    fields.update(kw)
    return Release.objects.create(
        enrollment=enrollment,
        instrument_ids=list(instruments),
        all_therapeutic=everything,
        **fields,
    )


@pytest.fixture
def scores(world: World) -> dict[str, Score]:
    return {
        "checkout": stored_score(world.good, "alliance_checkout", "therapeutic"),
        "scs_sf": stored_score(world.good, "scs_sf", "therapeutic"),
        "attendance_measure": stored_score(world.good, "court_attendance", "reportable"),
        "other_man": stored_score(world.breach, "scs_sf", "therapeutic"),
        "partial": stored_score(world.good, "urica_dv", "reportable", complete=False),
    }


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_without_a_release_only_reportable_scores_come_out(world: World, scores) -> None:
    out = reportable_scores(Enrollment.objects.all(), releases=[], today=TODAY)
    assert ids(out) == {scores["attendance_measure"].pk}


def test_a_release_for_one_instrument_lets_only_that_instrument_out(world: World, scores) -> None:
    releases = [release(world.good, instruments=["scs_sf"])]
    out = reportable_scores(Enrollment.objects.all(), releases=releases, today=TODAY)
    assert ids(out) == {scores["attendance_measure"].pk, scores["scs_sf"].pk}


def test_a_release_for_all_therapeutic_measures_covers_only_its_own_man(
    world: World, scores
) -> None:
    releases = [release(world.good, everything=True)]
    out = reportable_scores(Enrollment.objects.all(), releases=releases, today=TODAY)
    assert scores["other_man"].pk not in ids(out)
    assert {scores["checkout"].pk, scores["scs_sf"].pk} <= ids(out)


@pytest.mark.parametrize(
    "fields",
    [
        {"expires_on": TODAY - dt.timedelta(days=1)},
        {"signed_on": TODAY + dt.timedelta(days=1), "expires_on": TODAY + dt.timedelta(days=9)},
        {"revoked_at": dt.datetime(2025, 3, 1, tzinfo=dt.UTC)},
    ],
    ids=["expired", "not yet signed", "revoked"],
)
def test_an_invalid_release_lets_nothing_therapeutic_out(world: World, scores, fields) -> None:
    releases = [release(world.good, everything=True, **fields)]
    out = reportable_scores(Enrollment.objects.all(), releases=releases, today=TODAY)
    assert ids(out) == {scores["attendance_measure"].pk}


def test_the_report_is_limited_to_the_enrollments_asked_for(world: World, scores) -> None:
    releases = [release(world.breach, everything=True)]
    out = reportable_scores(
        Enrollment.objects.filter(pk=world.good.pk), releases=releases, today=TODAY
    )
    assert ids(out) == {scores["attendance_measure"].pk}


def test_every_bundled_measure_is_marked_therapeutic_or_reportable() -> None:
    from alliance.core.instruments import iter_bundled

    assert {d.confidentiality.value for d in iter_bundled()} <= {"therapeutic", "reportable"}
