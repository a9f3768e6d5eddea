"""/evaluation/export/: the de-identified research export (CSV, SPSS, Stata, REDCap)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance.engagement.models import OutreachAction, OutreachAlert
from alliance.measures.models import Administration, ItemResponse, Score, Status
from alliance.outcomes.export_jobs import produce_research_export
from alliance.outcomes.models import ResearchExport
from alliance.participants.models import Enrollment, EnrollmentEvent, Participant
from tests.outcomes.cohort import add_exited_men, follow_up_csv
from tests.web.helpers import text

URL = "/evaluation/export/"
SENTINEL = "ZQXSECRET"


@pytest.fixture(autouse=True)
def _seeded_export(monkeypatch) -> None:
    """Fixed seeds: every export in these tests draws the same study ids and offsets."""
    monkeypatch.setattr(
        "alliance.outcomes.research_export.fresh_rng", lambda: np.random.default_rng(2026)
    )


def _download(client, **form) -> dict[str, bytes]:
    asked = client.post(URL, {"format": "csv", "dates": "shift", **form})
    assert asked.status_code == 302, text(asked)[:2000]
    # Produced by the background task (its enqueue waits for a commit these tests never make).
    produce_research_export(ResearchExport.objects.latest("pk").pk)
    response = client.get(asked["Location"] + "download")
    assert response.status_code == 200, text(response)[:2000]
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _plant_identifiers(world) -> Enrollment:
    """Put a sentinel into every identifying or free-text field a man's record can hold."""
    enrollment = Enrollment.objects.filter(program=world.program).order_by("pk").first()
    assert enrollment is not None
    Participant.objects.filter(pk=enrollment.participant_id).update(
        code=f"{SENTINEL}-code",
        initials="ZQ",
        primary_language=f"{SENTINEL}-language",
        risk_tool=f"{SENTINEL}-tool",
        risk_band=f"{SENTINEL}-band",
        risk_assessor=f"{SENTINEL}-assessor",
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        referral_agency=f"{SENTINEL}-agency",
        referral_contact_name=f"{SENTINEL}-contact",
        referral_contact_email="zqxsecret@example.org",
        referral_contact_phone="+64 21 999 0001",
        case_reference=f"{SENTINEL}-case",
        mandate_notes=f"{SENTINEL}-mandate",
    )
    EnrollmentEvent.objects.filter(enrollment=enrollment).update(reason=f"{SENTINEL}-reason")
    now = timezone.now()
    for k, (day, value) in enumerate(((dt.date(2025, 1, 6), 3.0), (dt.date(2025, 3, 3), 4.5))):
        administration = Administration.objects.create(
            enrollment=enrollment,
            instrument_id="alliance_checkout",
            instrument_version="1",
            occasion="session",
            respondent="participant",
            channel="staff",
            status=Status.COMPLETE,
            administered_on=day,
            idempotency_key=f"research-{k}",
        )
        ItemResponse.objects.create(
            administration=administration,
            item_id="comment",
            text=f"{SENTINEL}-free-text",
            answered_at=now,
        )
        Score.objects.create(
            administration=administration,
            enrollment=enrollment,
            instrument_id="alliance_checkout",
            instrument_version="1",
            engine_version="1",
            confidentiality="therapeutic",
            scale_id="total",
            value=value,
            administered_on=day,
            scored_at=now,
        )
    alert = OutreachAlert.objects.create(
        enrollment=enrollment,
        raised_at=now,
        next_two=0.4,
        before_completion=0.6,
        band="high",
        factors=[f"{SENTINEL}-factor"],
    )
    OutreachAction.objects.create(
        alert=alert,
        kind="phone_call",
        note=f"{SENTINEL}-note",
        done_on=dt.date(2025, 3, 4),
        recorded_at=now,
    )
    return enrollment


def _import_follow_up(world, as_user) -> list[Enrollment]:
    cohort = add_exited_men(world, count=40)
    body = follow_up_csv(cohort, dt.date(2025, 3, 1))
    imported = as_user(world.mona).post(
        "/evaluation/follow-up/import/",
        {"file": SimpleUploadedFile("f.csv", body.encode(), "text/csv")},
    )
    assert imported.status_code == 200
    return cohort


def test_the_page_offers_formats_and_date_handling(world, as_user) -> None:
    page = text(as_user(world.eve).get(URL))
    for word in ("CSV", "SPSS .sav", "Stata .dta", "REDCap", "secret random offset", "intervals"):
        assert word in page
    assert '<label for="format-sav">' in page


@pytest.mark.parametrize("fmt", ["csv", "sav", "dta", "redcap"])
def test_no_identifier_or_free_text_reaches_any_file(world, as_user, fmt) -> None:
    _import_follow_up(world, as_user)
    _plant_identifiers(world)
    for dates in ("shift", "intervals"):
        files = _download(as_user(world.eve), format=fmt, dates=dates)
        assert "codebook.html" in files
        assert "codebook.csv" in files
        for name, content in files.items():
            lowered = content.lower()
            assert SENTINEL.lower().encode() not in lowered, (fmt, dates, name)
            assert b"999 0001" not in content, name
            assert b"ext-0" not in lowered, name  # the cohort's participant codes
            assert b"riv-1" not in lowered, name
            assert b"factor" not in lowered, name


def test_spss_file_reads_back_with_labels_and_values(world, as_user, tmp_path: Path) -> None:
    cohort = _import_follow_up(world, as_user)
    files = _download(as_user(world.eve), format="sav", dates="intervals")
    path = tmp_path / "enrollments.sav"
    path.write_bytes(files["enrollments.sav"])
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["completed"] == "Completed the program"
    assert labels["ipv_official_days"].startswith("IPV police report, charge or conviction")
    assert meta.variable_value_labels["status"][4] == "Completed"
    assert meta.variable_value_labels["employment"][99] == "Unknown"
    assert meta.variable_value_labels["employment"][98] == "Suppressed (small group)"
    assert meta.missing_ranges["employment"] == [
        {"lo": 99.0, "hi": 99.0},
        {"lo": 98.0, "hi": 98.0},
    ]
    assert meta.variable_value_labels["completed"] == {0.0: "No", 1.0: "Yes"}
    completers = sum(e.status == "completed" for e in cohort)
    riverside_north = Enrollment.objects.filter(program=world.program)
    assert len(frame) == riverside_north.count()
    assert (
        int(frame["completed"].sum())
        == completers
        + riverside_north.filter(status="completed").exclude(pk__in=[e.pk for e in cohort]).count()
    )
    assert "referred_date" not in frame.columns  # intervals: no calendar dates at all
    assert frame["study_id"].str.fullmatch(r"S\d{6}").all()
    followed = frame[frame["any_official_fu"] == 1]
    assert len(followed) > 20
    assert (followed["any_official_days"] > 0).all()


def test_stata_file_reads_back_with_labels_and_values(world, as_user, tmp_path: Path) -> None:
    _import_follow_up(world, as_user)
    _plant_identifiers(world)
    files = _download(as_user(world.mona), format="dta", dates="shift")
    path = tmp_path / "enrollments.dta"
    path.write_bytes(files["enrollments.dta"])
    frame, meta = pyreadstat.read_dta(str(path))
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["sessions_attended"] == "Sessions attended"
    assert meta.variable_value_labels["referral_source"][1] == "Court"
    # 98 = suppressed where fewer than RESEARCH_EXPORT_MIN_CELL men share the combination
    assert set(frame["referral_source"].dropna()) <= {1.0, 2.0, 3.0, 4.0, 5.0, 98.0}
    assert pd.api.types.is_datetime64_any_dtype(frame["referred_date"]) or isinstance(
        frame["referred_date"].dropna().iloc[0], dt.date
    )
    long_path = tmp_path / "administrations.dta"
    long_path.write_bytes(files["administrations.dta"])
    scores, long_meta = pyreadstat.read_dta(str(long_path))
    assert sorted(scores["score"]) == [3.0, 4.5]
    assert "check-out" in long_meta.variable_value_labels["measure"][1].lower()


def test_stata_declares_missing_codes_missing_and_keeps_long_labels_whole_in_the_codebook(
    world, as_user, tmp_path: Path
) -> None:
    """Issue 17 item 6: codes like 99 Unknown / 98 Suppressed are Stata missing values
    (.a/.b with their labels), never numbers that enter a mean; labels over Stata's 80
    characters are cut at a word, the codebook keeps the whole label."""
    _import_follow_up(world, as_user)
    files = _download(as_user(world.mona), format="dta", dates="shift")
    path = tmp_path / "enrollments.dta"
    path.write_bytes(files["enrollments.dta"])
    plain, _ = pyreadstat.read_dta(str(path))
    kept, meta = pyreadstat.read_dta(str(path), user_missing=True)
    # Without user_missing Stata's reader sees no 99 or 98: they are missing.
    assert not plain["employment"].isin([98.0, 99.0]).any()
    # (the reader lists the extended missing values that occur in the data)
    assert meta.missing_user_values["employment"]
    assert set(meta.missing_user_values["employment"]) <= {"a", "b"}
    assert meta.variable_value_labels["employment"]["a"] == "Unknown"
    assert meta.variable_value_labels["employment"]["b"] == "Suppressed (small group)"
    assert kept["employment"].isin(["a", "b"]).any()
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    long = [label for label in labels.values() if label.endswith("...")]
    assert long, "some label is longer than 80 characters"
    assert all(len(label) <= 80 for label in labels.values())
    codebook = files["codebook.md"].decode()
    for label in long:
        stem = label.removesuffix("...")
        assert not stem.endswith(" ")
        # Cut at a word: the full label in the codebook continues with a space.
        assert f"{stem} " in codebook


def test_spss_writes_whole_numbers_as_f8_0_and_dates_as_dates(
    world, as_user, tmp_path: Path
) -> None:
    _import_follow_up(world, as_user)
    files = _download(as_user(world.eve), format="sav", dates="shift")
    path = tmp_path / "enrollments.sav"
    path.write_bytes(files["enrollments.sav"])
    frame, meta = pyreadstat.read_sav(str(path))
    formats = meta.original_variable_types
    assert formats["sessions_attended"] == "F8.0"
    assert formats["referred_date"] == "DATE11"
    assert isinstance(frame["referred_date"].dropna().iloc[0], dt.date)
    dta = tmp_path / "enrollments.dta"
    dta.write_bytes(_download(as_user(world.eve), format="dta", dates="shift")["enrollments.dta"])
    _, stata = pyreadstat.read_dta(str(dta))
    assert stata.original_variable_types["referred_date"] == "%td"


def test_date_shifting_keeps_every_interval_within_a_man(world, as_user) -> None:
    cohort = _import_follow_up(world, as_user)
    files = _download(as_user(world.eve), format="csv", dates="shift")
    rows = list(csv.DictReader(io.StringIO(files["enrollments.csv"].decode())))
    checked = 0
    for row in rows:
        if not row["start_date"] or not row["end_date"]:
            continue
        referred = dt.date.fromisoformat(row["referred_date"])
        started = dt.date.fromisoformat(row["start_date"])
        ended = dt.date.fromisoformat(row["end_date"])
        # days_to_* come from the real dates; the shifted dates must give the same intervals.
        assert (started - referred).days == int(row["days_to_start"])
        assert (ended - referred).days == int(row["days_to_end"])
        checked += 1
    assert checked >= len(cohort)
    true_gaps = sorted((e.ended_on - e.referred_on).days for e in cohort)
    exported = sorted(int(r["days_to_end"]) for r in rows if r["days_to_end"])
    assert all(gap in exported for gap in true_gaps)
    # The calendar itself moved: hardly any man keeps his real referral date.
    real = [e.referred_on.isoformat() for e in cohort]
    shifted = {r["referred_date"] for r in rows}
    assert sum(day in shifted for day in real) < len(real) / 4


def test_intervals_mode_has_no_calendar_dates(world, as_user) -> None:
    _import_follow_up(world, as_user)
    files = _download(as_user(world.eve), format="csv", dates="intervals")
    header = files["enrollments.csv"].decode().splitlines()[0].split(",")
    assert "days_to_end" in header
    assert not any(name.endswith("_date") for name in header)
    body = b"".join(files.values()).decode(errors="replace")
    for year in ("2022-", "2023-", "2024-"):
        assert year not in body


def test_redcap_dictionary_and_records_agree(world, as_user) -> None:
    _import_follow_up(world, as_user)
    files = _download(as_user(world.eve), format="redcap", dates="shift")
    dictionary = list(csv.DictReader(io.StringIO(files["redcap_data_dictionary.csv"].decode())))
    records = list(csv.DictReader(io.StringIO(files["redcap_records.csv"].decode())))
    fields = [f["Variable / Field Name"] for f in dictionary]
    assert fields[0] == "record_id"
    assert list(records[0].keys()) == fields
    assert len({r["record_id"] for r in records}) == len(records)
    by_name = {f["Variable / Field Name"]: f for f in dictionary}
    assert by_name["completed"]["Field Type"] == "yesno"
    assert by_name["status"]["Field Type"] == "dropdown"
    assert "4, Completed" in by_name["status"]["Choices, Calculations, OR Slider Labels"]
    assert by_name["referred_date"]["Text Validation Type OR Show Slider Number"] == "date_ymd"
    assert all(f == f.lower() and len(f) <= 26 for f in fields)
    for record in records:
        assert record["completed"] in {"0", "1"}
        if record["referred_date"]:
            dt.date.fromisoformat(record["referred_date"])


def test_codebook_lists_every_variable_with_missing_codes(world, as_user) -> None:
    files = _download(as_user(world.eve), format="csv", dates="shift")
    book = list(csv.DictReader(io.StringIO(files["codebook.csv"].decode())))
    header = files["enrollments.csv"].decode().splitlines()[0].split(",")
    listed = [r["variable"] for r in book if r["file"] == "enrollments.csv"]
    assert listed == header
    employment = next(r for r in book if r["variable"] == "employment")
    assert "99 = Unknown" in employment["missing_codes"]
    assert "3 = Unemployed" in employment["values"]
    assert "<code>employment</code>" in files["codebook.html"].decode()
    assert "| employment |" in files["codebook.md"].decode()


def test_bad_choices_are_refused_naming_the_field(world, as_user) -> None:
    response = as_user(world.eve).post(URL, {"format": "xlsx", "dates": "someday"})
    assert response.status_code == 400
    page = text(response)
    assert "Format: choose" in page
    assert "Dates: choose" in page


def test_supervisors_facilitators_and_partner_safety_get_404(world, as_user) -> None:
    for user in (world.bob, world.alice, world.charlie, world.petra):
        client = as_user(user)
        assert client.get(URL).status_code == 404, user
        assert client.post(URL, {"format": "csv", "dates": "shift"}).status_code == 404, user


def test_managers_and_admins_may_export_and_see_the_link(world, as_user) -> None:
    for user in (world.mona, world.olga, world.eve):
        assert "Research export" in text(as_user(user).get("/evaluation/")), user
        assert _download(as_user(user))
    assert "Research export" not in text(as_user(world.bob).get("/evaluation/"))


def test_a_program_outside_the_users_sites_is_404(world, as_user) -> None:
    response = as_user(world.mona).post(
        URL, {"format": "csv", "dates": "shift", "program": world.program_b.pk}
    )
    assert response.status_code == 404
    files = _download(as_user(world.outsider))
    assert len(files["enrollments.csv"].decode().splitlines()) == 1  # header only


def test_the_cli_writes_the_same_export(world, tmp_path: Path, capsys) -> None:
    from alliance.cli import main

    out = tmp_path / "export.zip"
    argv = ["export-research", "--organization", "riverside", "--format", "dta"]
    assert main([*argv, "--dates", "intervals", "--output", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert {"enrollments.dta", "administrations.dta", "codebook.html"} <= set(
            archive.namelist()
        )
    assert "7 enrollments of 7 men" in capsys.readouterr().out
    assert main(["export-research", "--organization", "nowhere", "--output", str(out)]) == 2
    assert "no organization 'nowhere'" in capsys.readouterr().err
