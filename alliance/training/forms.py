from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from alliance.core import fidelity
from alliance.formtools import MAX_ERROR_CHARS
from alliance.training.models import Kind, Preset


def labelled_errors(form: forms.BaseForm) -> str:
    """One line naming each field by its label (as the page shows it) and what is wrong."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        text = " ".join(str(e)[:MAX_ERROR_CHARS] for e in errors)
        parts.append(f"{label.lower()}: {text}" if name != "__all__" else text)
    return "; ".join(parts)


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Kind.choices)
    topic = forms.CharField(label="Topic", max_length=200)
    provider = forms.CharField(label="Provider", max_length=200, required=False)
    completed_on = forms.DateField(label="Date")
    hours = forms.DecimalField(label="Hours", max_digits=4, decimal_places=2)
    evidence_note = forms.CharField(
        label="Evidence note", max_length=1000, required=False, widget=forms.Textarea
    )


class CredentialForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    issuer = forms.CharField(label="Issuer", max_length=200, required=False)
    issued_on = forms.DateField(label="Issued on")
    expires_on = forms.DateField(label="Expires on", required=False)


class RequirementForm(forms.Form):
    preset = forms.ChoiceField(label="Preset", choices=Preset.choices)
    core_hours = forms.DecimalField(
        label="Core hours", min_value=0, max_digits=6, decimal_places=2, required=False
    )
    trainee_hours = forms.DecimalField(
        label="Trainee hours", min_value=0, max_digits=6, decimal_places=2, required=False
    )
    ce_hours_per_year = forms.DecimalField(
        label="Continuing education hours a year",
        min_value=0,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    observation_every_months = forms.IntegerField(
        label="Observation every (months)", min_value=0, required=False
    )
    due_soon_days = forms.IntegerField(label="Due soon (days)", min_value=0, initial=60)

    def figure(self, name: str) -> Decimal:
        value = self.cleaned_data.get(name)
        return Decimal(0) if value is None else Decimal(value)


class ObservationForm(forms.Form):
    facilitator = forms.TypedChoiceField(label="Facilitator observed", coerce=int, choices=())
    session = forms.TypedChoiceField(
        label="Session", coerce=int, choices=(), required=False, empty_value=None
    )
    observed_on = forms.DateField(label="Date observed")
    strengths = forms.CharField(
        label="Strengths", max_length=2000, required=False, widget=forms.Textarea
    )
    feedback = forms.CharField(
        label="Feedback", max_length=2000, required=False, widget=forms.Textarea
    )
    follow_up = forms.CharField(
        label="Follow-up", max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(
        self,
        *args: Any,
        facilitators: list[tuple[int, str]],
        sessions: list[tuple[int, str]],
        checklist: fidelity.Checklist = fidelity.DEFAULT,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        facilitator = self.fields["facilitator"]
        assert isinstance(facilitator, forms.TypedChoiceField)
        facilitator.choices = facilitators
        session = self.fields["session"]
        assert isinstance(session, forms.TypedChoiceField)
        session.choices = [("", "No particular session"), *sessions]
        for item in checklist.items:
            self.fields[f"score_{item.id}"] = forms.TypedChoiceField(
                label=item.text,
                choices=[("", "Not scored"), *((s, str(s)) for s in fidelity.SCORES)],
                coerce=int,
                required=False,
                empty_value=None,
            )

    def scores(self) -> dict[str, int | None]:
        return {item.id: self.cleaned_data.get(f"score_{item.id}") for item in self.checklist.items}


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label="Your comment", max_length=2000, required=False, widget=forms.Textarea
    )
