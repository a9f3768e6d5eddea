from __future__ import annotations

from django import forms
from django.http import QueryDict

from alliance.core.instruments import Confidentiality
from alliance.measures.models import MeasureSettings, Occasion, RecipientKind, When
from alliance.measures.registry import administrable

ITEM_PREFIX = "item_"


def answers_from(data: QueryDict) -> dict[str, str]:
    """The ``item_<id>`` fields of a posted form, as item id → raw text."""
    return {
        name[len(ITEM_PREFIX) :]: str(data.get(name, ""))
        for name in data
        if name.startswith(ITEM_PREFIX)
    }


def key_from(data: QueryDict) -> str:
    return data.get("key", "").strip()[:64]


def instrument_choices(*, respondent: str | None = None) -> list[tuple[str, str]]:
    return [
        (d.id, d.title)
        for d in administrable()
        if respondent is None or d.respondent.value == respondent
    ]


class PinForm(forms.Form):
    pin = forms.RegexField(
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": "Enter the four digits of your PIN."},
        # Masked: the tablet is shared and others stand near it while he types.
        widget=forms.PasswordInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": r"\d{4}",
                "maxlength": "4",
            },
            render_value=False,
        ),
    )


class PaperForm(forms.Form):
    administered_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    occasion = forms.ChoiceField(choices=Occasion.choices)


def self_report_choices() -> list[tuple[str, str]]:
    return instrument_choices(respondent="participant")


# Choices given as functions are read afresh for every form, as the installed definitions are.
class LinkForm(forms.Form):
    instrument = forms.ChoiceField(choices=self_report_choices)
    occasion = forms.ChoiceField(choices=Occasion.choices, initial=Occasion.OTHER)


class MeasureSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MeasureSettings
        fields = ["checkout_cutoff", "drop_points", "low_rating_cutoff"]


class ZoneSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MeasureSettings
        fields = [
            "zone_safety_cutoff",
            "zone_challenge_cutoff",
            "zone_threat_sessions",
            "zone_comfort_sessions",
        ]


class ScheduleForm(forms.Form):
    instrument = forms.ChoiceField(choices=instrument_choices)
    when = forms.ChoiceField(choices=When.choices)
    session_number = forms.IntegerField(min_value=1, max_value=200, required=False)


def therapeutic_choices() -> list[tuple[str, str]]:
    return [
        (d.id, d.title) for d in administrable() if d.confidentiality is Confidentiality.THERAPEUTIC
    ]


class ScoreReleaseForm(forms.Form):
    recipient_kind = forms.ChoiceField(choices=RecipientKind.choices, label="Recipient")
    recipient_name = forms.CharField(
        max_length=200,
        label="Recipient organization",
        help_text=(
            "The organization (or person) he signed the release for, as it will be written on "
            "the document, for example 'Riverside District Court'. A document goes out with "
            "these measures only to a recipient of this kind with this name."
        ),
    )
    signed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    all_therapeutic = forms.BooleanField(required=False, label="All therapeutic measures")
    instrument_ids = forms.MultipleChoiceField(
        choices=therapeutic_choices,
        required=False,
        label="Measures",
        widget=forms.CheckboxSelectMultiple,
    )
