"""Hypothesis strategies shared by the property tests: JSON values, messy cells, mutations."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

#: Modest and deterministic, so the whole folder stays fast and the same on every machine.
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)
#: What a spreadsheet cell can hold: numbers in range and out, words, blanks, odd characters.
cells = st.one_of(
    st.sampled_from(["", " ", "0", "1", "2", "3", "4", "5", "7", "-1", "1.5", "1e309", "NaN"]),
    st.integers(min_value=-5, max_value=12).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10),
)


def paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, original: Any, max_changes: int = 3) -> Any:
    """``original`` with a few values replaced by arbitrary JSON, or removed."""
    obj = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=max_changes))):
        candidates = [p for p in paths(obj) if p]
        if not candidates:
            return draw(json_values)
        path = draw(st.sampled_from(candidates))
        parent = obj
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()):
            parent[path[-1]] = draw(json_values)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    return obj
