from __future__ import annotations

from django import forms

from alliance.reports.models import RecipientKind


class RecipientForm(forms.Form):
    recipient_kind = forms.ChoiceField(label="Recipient kind", choices=RecipientKind.choices)
    recipient_organization = forms.CharField(label="Recipient organization", max_length=200)
    recipient_name = forms.CharField(label="Recipient name", max_length=200, required=False)
    corrects = forms.IntegerField(
        label="Corrects document number", required=False, min_value=1, widget=forms.HiddenInput
    )


class PeriodForm(RecipientForm):
    period_start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MonthForm(RecipientForm):
    month = forms.CharField(
        label="Month", max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
