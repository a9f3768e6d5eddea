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
