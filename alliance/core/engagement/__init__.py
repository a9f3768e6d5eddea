"""Dropout early warning: person-session features, a discrete-time hazard, outlooks."""

from alliance.core.engagement.bands import BANDS, OUTREACH_BANDS, band_for
from alliance.core.engagement.features import FEATURE_NAMES, FEATURES, person_session_frame
from alliance.core.engagement.model import (
    COLD_START_ODDS_RATIOS,
    HazardModel,
    cold_start_model,
    fit_hazard_model,
    fit_with_validation,
    time_aware_cv,
)
from alliance.core.engagement.outlook import Outlook, outlooks

__all__ = [
    "BANDS",
    "COLD_START_ODDS_RATIOS",
    "FEATURES",
    "FEATURE_NAMES",
    "OUTREACH_BANDS",
    "HazardModel",
    "Outlook",
    "band_for",
    "cold_start_model",
    "fit_hazard_model",
    "fit_with_validation",
    "outlooks",
    "person_session_frame",
    "time_aware_cv",
]
