"""Instrument definitions, the scoring engine and change statistics.

Public API::

    load_definition(json_text_or_obj) -> InstrumentDefinition   # raises DefinitionError
    iter_bundled(), get_bundled(id), bundled_ids()
    score(definition, responses_frame, id_column=None) -> ScoreResult
    reliable_change_index, clinical_cutoffs, classify_change, minimum_reliable_change

See docs/instruments.md for the definition format and the scoring rules.
"""

from alliance.core.instruments.bundled import bundled_ids, get_bundled, iter_bundled
from alliance.core.instruments.change import (
    ChangeClass,
    Cutoffs,
    classify_change,
    clinical_cutoffs,
    minimum_reliable_change,
    reliable_change_index,
    standard_error_of_difference,
    standard_error_of_measurement,
)
from alliance.core.instruments.definition import (
    Band,
    Confidentiality,
    Direction,
    InstrumentDefinition,
    Item,
    Licence,
    LicenceStatus,
    MissingRule,
    NormKind,
    NormSet,
    ReliableChangeSpec,
    Respondent,
    ResponseKind,
    ResponseType,
    Rule,
    Scale,
)
from alliance.core.instruments.loading import (
    DefinitionError,
    load_definition,
    reachable_range,
    schema,
)
from alliance.core.instruments.scoring import (
    ENGINE_VERSION,
    ResponseError,
    ScoreResult,
    band_of,
    score,
)

__all__ = [
    "ENGINE_VERSION",
    "Band",
    "ChangeClass",
    "Confidentiality",
    "Cutoffs",
    "DefinitionError",
    "Direction",
    "InstrumentDefinition",
    "Item",
    "Licence",
    "LicenceStatus",
    "MissingRule",
    "NormKind",
    "NormSet",
    "ReliableChangeSpec",
    "Respondent",
    "ResponseError",
    "ResponseKind",
    "ResponseType",
    "Rule",
    "Scale",
    "ScoreResult",
    "band_of",
    "bundled_ids",
    "classify_change",
    "clinical_cutoffs",
    "get_bundled",
    "iter_bundled",
    "load_definition",
    "minimum_reliable_change",
    "reachable_range",
    "reliable_change_index",
    "schema",
    "score",
    "standard_error_of_difference",
    "standard_error_of_measurement",
]
