"""Forms of the incident pages; every field has a label (templates render them with <label>)."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.incidents.models import (
    MAX_ACCOUNT_CHARS,
    MAX_NOTE_CHARS,
    ActionKind,
    IncidentKind,
)
from alliance.incidents.offences import OFFENCE_KINDS

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})
YES_NO = [("yes", "Yes"), ("no", "No")]


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened", choices=IncidentKind.choices, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(label="When", widget=WHEN)
    account = forms.CharField(
        label="What was said or seen",
        max_length=MAX_ACCOUNT_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_ACCOUNT_CHARS}),
        help_text="His words where you can. Sent only to the partner-safety worker and the "
        "supervisor; you will not see it again.",
    )
    immediate_risk = forms.TypedChoiceField(
        label="Is someone at immediate risk?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


class SessionFlagForm(FlagForm):
    enrollment = forms.ChoiceField(label="Who")

    field_order = ["enrollment", "kind", "occurred_at", "account", "immediate_risk"]

    def __init__(self, *args: Any, men: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrollment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose...")] + [(str(pk), code) for pk, code in men]


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="What was done", choices=ActionKind.choices)
    taken_at = forms.DateTimeField(label="When", widget=WHEN)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_NOTE_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE_CHARS}),
        help_text="Required for 'no action needed' (the reason) and 'other'.",
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label="Closing note",
        required=False,
        max_length=MAX_NOTE_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE_CHARS}),
    )
    court_reportable = forms.BooleanField(
        label="Report its kind and date to the court (nothing else is reported)",
        required=False,
    )


class OffenceForm(forms.Form):
    kind = forms.ChoiceField(label="What is on record", choices=OFFENCE_KINDS)
    occurred_on = forms.DateField(label="Date of the offence", widget=DATE)


class ProcedureForm(forms.Form):
    program = forms.ChoiceField(label="For", required=False)
    text = forms.CharField(
        label="Procedure",
        max_length=5000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
    )
    respond_within_hours = forms.IntegerField(
        label="First response within (hours)", min_value=1, max_value=168, initial=24
    )
    immediate_within_hours = forms.IntegerField(
        label="First response within, when someone is at immediate risk (hours)",
        min_value=1,
        max_value=24,
        initial=1,
    )
    partner_notice_business_days = forms.IntegerField(
        label="Partner notifications due within (business days)",
        min_value=0,
        max_value=30,
        initial=2,
    )

    def __init__(self, *args: Any, programs: list[tuple[int, str]], default: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = ([("", "The whole organization (default)")] if default else []) + [
            (str(pk), name) for pk, name in programs
        ]
        field.required = not default
