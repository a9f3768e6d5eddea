"""The organization admin's retention form."""

from __future__ import annotations

from django import forms

MIN_YEARS = 1
MAX_YEARS = 50


class RetentionPolicyForm(forms.Form):
    years = forms.IntegerField(
        label="Retention years",
        min_value=MIN_YEARS,
        max_value=MAX_YEARS,
        help_text=f"A whole number of years, {MIN_YEARS} to {MAX_YEARS}.",
        error_messages={
            "required": "Enter a whole number of years.",
            "invalid": f"Enter a whole number of years from {MIN_YEARS} to {MAX_YEARS}.",
            "min_value": f"Enter a whole number of years from {MIN_YEARS} to {MAX_YEARS}.",
            "max_value": f"Enter a whole number of years from {MIN_YEARS} to {MAX_YEARS}.",
        },
    )
