"""The suite-wide guard in tests/conftest.py recognises personal data in log records."""

from __future__ import annotations

import logging

from tests.conftest import CLINICAL_SENTINEL, _personal_data_in


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)


def test_it_spots_a_participant_code_in_a_formatted_record():
    assert _personal_data_in(record("Not Found: /x/%s/", "RIV-101")) == "participant code 'RIV-101'"


def test_it_spots_clinical_free_text():
    assert _personal_data_in(record("note was %s", CLINICAL_SENTINEL)) is not None


def test_it_lets_paths_with_database_ids_through():
    assert _personal_data_in(record("Not Found: /participants/12/")) is None


def test_it_spots_a_participant_token_in_a_path():
    token = "b1vvCrqyahSzdlbXW6JV78NpXaJuYFObKcDp6sgK48c"
    assert _personal_data_in(record("Bad Request: %s", f"/kiosk/{token}/man/10/")) is not None
    assert _personal_data_in(record("Gone: /r/<token>/")) is None


def test_django_request_records_reach_the_guard_already_masked(client, db):
    from tests.conftest import _LOG_CAPTURE

    client.get("/p/b1vvCrqyahSzdlbXW6JV78NpXaJuYFObKcDp6sgK48c/")

    lines = [r.getMessage() for r in _LOG_CAPTURE.records if r.name == "django.request"]
    assert lines == ["Not Found: /p/<token>/"]
