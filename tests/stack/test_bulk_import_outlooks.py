"""Bulk imports bypass ``save()``; the men they touch still get their outlooks refreshed.

The caseload import writes men, enrollments and past attendance through the bulk paths; each
path announces the enrollments it touched (``alliance.participants.bulk.records_written``) and
the early warning enqueues one refresh for them after the import commits, as a mark taken by
hand does. A check (dry run) rolls back and enqueues nothing.
"""

from __future__ import annotations

import pytest

from alliance.engagement import tasks as engagement_tasks
from alliance.engagement.models import StoredOutlook
from alliance.participants.models import Enrollment
from tests.web.test_caseload_import import csv_file, post, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch) -> list[list[int]]:
    calls: list[list[int]] = []
    real = engagement_tasks.refresh_outlooks_task

    class Recording:
        def enqueue(self, *, enrollment_ids: list[int]):
            calls.append(list(enrollment_ids))
            return real.enqueue(enrollment_ids=enrollment_ids)

    monkeypatch.setattr(engagement_tasks, "refresh_outlooks_task", Recording())
    return calls


def test_a_caseload_import_refreshes_the_outlooks_of_the_men_it_wrote(
    world, as_user, enqueued, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(as_user(world.olga), csv_file(rows(world)))
    assert response.status_code == 200
    imported = set(
        Enrollment.objects.filter(participant__code__in=["NEW-001", "NEW-002"]).values_list(
            "pk", flat=True
        )
    )
    assert len(imported) == 2
    touched = set().union(*map(set, enqueued))
    assert imported <= touched  # every man the import wrote
    # The active man's outlook is stored now (the immediate backend ran the task); the
    # referred man has none to store.
    active = Enrollment.objects.get(participant__code="NEW-001")
    assert StoredOutlook.objects.filter(enrollment=active).exists()


def test_a_checked_import_enqueues_nothing(
    world, as_user, enqueued, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post(as_user(world.olga), csv_file(rows(world)), action="check")
    assert "would create 2 men" in response.content.decode()
    assert enqueued == []
