"""FHIR Questionnaire import: any input gives a definition or an InterchangeError."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from alliance.core.instruments import iter_bundled
from alliance.core.instruments.interchange import (
    ImportResult,
    InterchangeError,
    export_questionnaire,
    import_questionnaire,
)
from tests.properties.strategies import FAST, json_values, mutated

EXPORTED = {d.id: export_questionnaire(d) for d in iter_bundled()}


def import_or_refuse(source) -> ImportResult | None:
    try:
        result = import_questionnaire(source)
    except InterchangeError as refused:
        message = str(refused)
    else:
        assert result.definition.items
        return result
    assert message.strip(), "a refusal must say what is wrong"
    return None


@FAST
@given(json_values)
def test_arbitrary_json_is_imported_or_refused(value):
    import_or_refuse(value)
    import_or_refuse(json.dumps(value))


@FAST
@given(st.text(max_size=40) | st.binary(max_size=40))
def test_arbitrary_text_is_imported_or_refused(text):
    import_or_refuse(text)


@FAST
@given(st.dictionaries(st.sampled_from(["resourceType", "item", "status", "url"]), json_values))
def test_questionnaire_shaped_json_is_imported_or_refused(value):
    value = {"resourceType": "Questionnaire", "status": "active", **value}
    import_or_refuse(value)


@FAST
@given(st.sampled_from(sorted(EXPORTED)).flatmap(lambda i: mutated(EXPORTED[i])))
def test_a_damaged_questionnaire_is_imported_or_refused(questionnaire):
    import_or_refuse(questionnaire)


def test_every_exported_questionnaire_imports():
    for questionnaire in EXPORTED.values():
        assert import_or_refuse(questionnaire) is not None
