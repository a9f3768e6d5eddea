"""Instrument definitions, the scoring engine and change statistics.

Public API::

    load_definition(json_text_or_obj) -> InstrumentDefinition   # raises DefinitionError
    iter_bundled(), get_bundled(id), bundled_ids()
    score(definition, responses_frame, id_column=None) -> ScoreResult
    reliable_change_index, clinical_cutoffs, classify_change, minimum_reliable_change
    change_parameters(scale, first_scores=..., alpha=...) -> ChangeParameters | None
    count_change_classes(pre, post, scale=..., parameters=...) -> dict[str, int]
    cronbach_alpha(answers) -> Alpha

``alliance.core.instruments.schedule`` says which scheduled measures a man owes on a day.

See docs/instruments.md for the definition format and the scoring rules.
"""

from alliance.core.instruments.bundled import bundled_ids, get_bundled, iter_bundled
from alliance.core.instruments.change import (
    CLASS_ORDER,
    MIN_LOCAL_N,
    ChangeClass,
    ChangeParameters,
    Cutoffs,
    change_parameters,
    classify_change,
    clinical_cutoffs,
    count_change_classes,
    minimum_reliable_change,
    needs_local_reliability,
    needs_local_sd,
    reference_norm,
    reliable_change_index,
    scale_cutoff,
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
from alliance.core.instruments.reliability import (
    Alpha,
    ItemStatistics,
    ScaleReliability,
    cronbach_alpha,
    omega_total,
    scale_reliability,
)
from alliance.core.instruments.scoring import (
    ENGINE_VERSION,
    ResponseError,
    ScoreResult,
    band_of,
    keyed_answers,
    score,
)

__all__ = [
    "CLASS_ORDER",
    "ENGINE_VERSION",
    "MIN_LOCAL_N",
    "Alpha",
    "Band",
    "ChangeClass",
    "ChangeParameters",
    "Confidentiality",
    "Cutoffs",
    "DefinitionError",
    "Direction",
    "InstrumentDefinition",
    "Item",
    "ItemStatistics",
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
    "ScaleReliability",
    "ScoreResult",
    "band_of",
    "bundled_ids",
    "change_parameters",
    "classify_change",
    "clinical_cutoffs",
    "count_change_classes",
    "cronbach_alpha",
    "get_bundled",
    "iter_bundled",
    "keyed_answers",
    "load_definition",
    "minimum_reliable_change",
    "needs_local_reliability",
    "needs_local_sd",
    "omega_total",
    "reachable_range",
    "reference_norm",
    "reliable_change_index",
    "scale_cutoff",
    "scale_reliability",
    "schema",
    "score",
    "standard_error_of_difference",
    "standard_error_of_measurement",
]
