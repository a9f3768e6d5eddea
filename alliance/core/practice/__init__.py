"""Practice dose against change on a compassion measure (mixed model)."""

from alliance.core.practice.dose import DoseEffect, fit_dose_effect

__all__ = ["DoseEffect", "fit_dose_effect"]
