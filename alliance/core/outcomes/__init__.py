"""Outcome analysis: survival, adjusted completer comparisons, effect sizes (pure Python).

No Django, no files: the web app and the CLI hand frames in and get frozen results back.
"""

from alliance.core.outcomes.adjusted import (
    CAVEAT,
    AdjustedComparison,
    Balance,
    compare_completers,
    ipw_weights,
    propensity_scores,
    standardized_mean_difference,
)
from alliance.core.outcomes.effect_sizes import (
    EffectSize,
    MeasureNorms,
    change_class_counts,
    change_classes_by_measure,
    cohens_d,
    cohens_dz,
)
from alliance.core.outcomes.followup import (
    OUTCOMES,
    SOURCE_OF_KIND,
    ManAtRisk,
    OutcomeDefinition,
    OutcomeKind,
    Source,
    time_to_first_event,
)
from alliance.core.outcomes.survival import (
    CoxResult,
    LogRankResult,
    OutcomeDataError,
    PHTestResult,
    SurvivalCurve,
    fit_cox,
    fit_cox_time_varying,
    kaplan_meier,
    log_rank,
    proportional_hazards_test,
)

__all__ = [
    "CAVEAT",
    "OUTCOMES",
    "SOURCE_OF_KIND",
    "AdjustedComparison",
    "Balance",
    "CoxResult",
    "EffectSize",
    "LogRankResult",
    "ManAtRisk",
    "MeasureNorms",
    "OutcomeDataError",
    "OutcomeDefinition",
    "OutcomeKind",
    "PHTestResult",
    "Source",
    "SurvivalCurve",
    "change_class_counts",
    "change_classes_by_measure",
    "cohens_d",
    "cohens_dz",
    "compare_completers",
    "fit_cox",
    "fit_cox_time_varying",
    "ipw_weights",
    "kaplan_meier",
    "log_rank",
    "propensity_scores",
    "proportional_hazards_test",
    "standardized_mean_difference",
    "time_to_first_event",
]
