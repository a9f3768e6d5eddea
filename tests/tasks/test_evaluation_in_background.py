"""The program evaluation is computed by a background task and read from its stored result.

Same inputs, same output: the page's report body rendered from the stored result is the body
rendered from a direct computation. While a newer result is being computed the page shows the
last one with its time and says so; before the first result it says it is being computed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from alliance.outcomes import evaluation_store
from alliance.outcomes.models import EvaluationSnapshot
from alliance.programs.models import Program
from tests.outcomes.cohort import add_exited_men, follow_up_csv
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

URL = "/evaluation/"
#: A backend that keeps what is enqueued and runs nothing: a worker that has not got to it yet.
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _body(parts: dict) -> str:
    return render_to_string("outcomes/_evaluation_body.html", parts)


def test_the_stored_result_renders_as_the_direct_computation(world, as_user) -> None:
    add_exited_men(world)
    response = as_user(world.eve).get(URL)
    assert response.status_code == 200
    programs = response.context["all_programs"]
    direct = evaluation_store.report_parts(Program.objects.filter(pk__in=programs))
    stored = {key: response.context[key] for key in direct}
    assert _body(stored) == _body(direct)
    assert "Enrollment flow" in _body(stored)


@override_settings(TASKS=QUEUED_ONLY)
def test_the_page_shows_the_last_result_while_a_new_one_is_computed(world, as_user) -> None:
    from django_tasks import default_task_backend

    client = as_user(world.eve)
    first = client.get(URL)
    assert first.status_code == 200
    assert "Being computed" in text(first)
    assert "Enrollment flow" not in text(first)
    pdf = client.get("/evaluation/report.pdf")  # nothing to print yet: back to the page
    assert (pdf.status_code, pdf["Location"]) == (302, URL)
    # Asking again does not queue the same work twice.
    client.get(URL)
    assert len(default_task_backend.results) == 1
    queued = default_task_backend.results[0]

    # The worker runs it.
    queued.task.call(*queued.args, **queued.kwargs)
    done = text(client.get(URL))
    assert "Enrollment flow" in done
    assert "Computed " in done
    assert "Being recomputed" not in done

    # New records: the last result is still shown, with its time, and a new one is queued.
    cohort = add_exited_men(world)
    mona = as_user(world.mona)
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = follow_up_csv(cohort, dt.date(2025, 3, 1))
    mona.post(
        "/evaluation/follow-up/import/",
        {"file": SimpleUploadedFile("f.csv", body.encode(), "text/csv")},
    )
    stale = text(as_user(world.eve).get(URL))
    assert "Being recomputed" in stale
    assert "Enrollment flow" in stale
    assert "Hazard ratio, weighted (robust SE)" not in stale
    assert len(default_task_backend.results) == 2
    again = default_task_backend.results[1]
    again.task.call(*again.args, **again.kwargs)
    fresh = text(as_user(world.eve).get(URL))
    assert "Hazard ratio, weighted (robust SE)" in fresh
    assert "Being recomputed" not in fresh
    assert EvaluationSnapshot.objects.count() == 1
