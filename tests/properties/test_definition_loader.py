"""The definition loader: any JSON gives a definition or a DefinitionError naming the path."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from alliance.core.instruments import get_bundled, iter_bundled
from alliance.core.instruments.interchange import definition_to_dict
from alliance.core.instruments.loading import DefinitionError, load_definition
from tests.properties.strategies import FAST, json_values, mutated

BUNDLED = {d.id: definition_to_dict(d) for d in iter_bundled()}


def load_or_refuse(source):
    try:
        return load_definition(source)
    except DefinitionError as refused:
        message = str(refused)
    assert message.strip(), "a refusal must say what is wrong"
    return None


@FAST
@given(json_values)
def test_arbitrary_json_is_loaded_or_refused(value):
    load_or_refuse(value)
    load_or_refuse(json.dumps(value, allow_nan=True))


@FAST
@given(st.text(max_size=40) | st.binary(max_size=40))
def test_arbitrary_text_is_loaded_or_refused(text):
    load_or_refuse(text)


@FAST
@given(st.sampled_from(sorted(BUNDLED)).flatmap(lambda i: mutated(BUNDLED[i])))
def test_a_damaged_definition_is_loaded_or_refused(obj):
    definition = load_or_refuse(obj)
    if definition is not None:
        assert load_definition(definition_to_dict(definition)) == definition


def test_every_bundled_definition_survives_a_round_trip():
    for instrument_id, obj in BUNDLED.items():
        assert load_definition(obj) == get_bundled(instrument_id)
