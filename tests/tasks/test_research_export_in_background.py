"""Research exports are produced in the background, then downloaded until they expire.

Same inputs, same output: the zip the task stores is, file for file, the zip built directly
(same programs, format, date handling, day and random draws). CSV, byte for byte: an SPSS
or Stata file carries the moment it was written.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pytest
from django.utils import timezone

from alliance.core.outcomes.research import DateMode
from alliance.outcomes.export_jobs import produce_research_export
from alliance.outcomes.models import ExportStatus, ResearchExport
from alliance.outcomes.research_export import FileFormat, research_export
from alliance.programs.models import Program
from tests.web.helpers import text

pytestmark = pytest.mark.django_db
URL = "/evaluation/export/"


@pytest.fixture(autouse=True)
def _seeded(monkeypatch) -> None:
    monkeypatch.setattr(
        "alliance.outcomes.research_export.fresh_rng", lambda: np.random.default_rng(7)
    )


def _files(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_stored_export_is_the_direct_one_and_expires(world, as_user, frozen_clock) -> None:
    client = as_user(world.eve)
    asked = client.post(URL, {"format": "csv", "dates": "intervals"})
    assert asked.status_code == 302
    export = ResearchExport.objects.get()
    page = text(client.get(asked["Location"]))
    assert "Being produced" in page  # the worker has not run it yet
    assert client.get(asked["Location"] + "download").status_code == 302

    produce_research_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    page = text(client.get(asked["Location"]))
    assert "Download alliance-research-csv-" in page
    assert "Available until" in page
    download = client.get(asked["Location"] + "download")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"

    _, direct = research_export(
        Program.objects.filter(pk__in=export.program_ids),
        fmt=FileFormat.CSV,
        date_mode=DateMode.INTERVALS,
        produced=export.produced_on,
    )
    assert _files(download.content) == _files(direct)

    # Kept RESEARCH_EXPORT_HOURS (24) hours; past that the file is gone and the page says so.
    assert export.expires_at == export.finished_at + dt.timedelta(hours=24)
    ResearchExport.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    gone = client.get(asked["Location"])
    assert "expired" in text(gone)
    assert client.get(asked["Location"] + "download").status_code == 302
    assert ResearchExport.objects.get().content is None


def test_running_the_task_twice_produces_once(world, as_user) -> None:
    as_user(world.eve).post(URL, {"format": "csv", "dates": "shift"})
    export = ResearchExport.objects.get()
    produce_research_export(export.pk)
    first = ResearchExport.objects.get().finished_at
    produce_research_export(export.pk)
    assert ResearchExport.objects.get().finished_at == first


def test_an_export_of_programs_she_cannot_see_is_404(world, as_user) -> None:
    as_user(world.olga).post(URL, {"format": "csv", "dates": "shift"})
    export = ResearchExport.objects.get()
    produce_research_export(export.pk)
    assert len(export.program_ids) > 1  # Olga's covers North and South
    for user in (world.eve, world.bob, world.outsider):  # eve: North only
        client = as_user(user)
        assert client.get(f"{URL}{export.pk}/").status_code == 404, user
        assert client.get(f"{URL}{export.pk}/download").status_code == 404, user
    assert as_user(world.mona).get(f"{URL}{export.pk}/download").status_code == 404  # North only
