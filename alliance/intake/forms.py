from __future__ import annotations

from typing import Any

from django import forms

from alliance.intake.agreements import DATA_URL_PREFIX, MAX_SIGNATURE_BYTES, MAX_TEXT_CHARS
from alliance.intake.documents import MAX_BYTES
from alliance.intake.models import (
    AppointmentStatus,
    Assessment,
    CollateralSource,
    DocumentKind,
    Level,
)
from alliance.intake.services import ASSESSMENT_FIELDS

_NOTES = {"rows": 3}


class AppointmentForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    site = forms.IntegerField(label="Site")
    with_whom = forms.IntegerField(label="With whom", required=False)


class AppointmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=AppointmentStatus.choices)


class AssessmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Assessment
        fields = list(ASSESSMENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs=_NOTES)
            for name in ASSESSMENT_FIELDS
            if name.endswith(("_notes", "history", "incident", "summary"))
        } | {"completed_on": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "violence_history": "Violence history",
            "most_recent_incident": "Most recent incident",
            "threats": "Threats (to kill, to harm, to take the children)",
            "weapons_access": "Access to weapons (firearms included)",
            "strangulation": "Strangulation, ever",
            "stalking": "Stalking or monitoring",
            "substance_use": "Substance use",
            "mental_health_notes": "Mental health",
            "prior_treatment_notes": "Prior treatment",
            "children_in_home": "Children in the home",
            "protective_order": "Protective order",
            "summary": "Assessment summary",
            "completed_on": "Assessment completed on",
        }


class CollateralForm(forms.Form):
    source = forms.ChoiceField(choices=CollateralSource.choices)
    contacted_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    what_they_said = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs=_NOTES), label="What they said"
    )


class RiskScoreForm(forms.Form):
    instrument = forms.CharField(
        max_length=64, help_text="The instrument's name, e.g. ODARA, SARA, DVSI-R, B-SAFER."
    )
    instrument_version = forms.CharField(max_length=32, required=False, label="Version")
    score = forms.DecimalField(min_value=0, max_digits=6, decimal_places=2)
    band = forms.CharField(max_length=32, required=False, help_text="The band the manual gives.")
    assessor = forms.CharField(max_length=120, help_text="Who scored it (trained assessor).")
    assessed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class PlacementForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs=_NOTES))
    decided_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class TreatmentPlanForm(forms.Form):
    focus = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs=_NOTES), label="Focus"
    )
    written_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    review_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Plan review date"
    )


class GoalForm(forms.Form):
    goal = forms.CharField(max_length=300, help_text="A measurable behavioural goal.")
    review_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Goal review date"
    )


class AgreementTextForm(forms.Form):
    text = forms.CharField(
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 20}),
        label="Agreement text",
        help_text="Program rules, limits of confidentiality, reporting to the court, fees. "
        "Saving makes a new version; men who signed an older one are listed to sign again.",
    )


class DrawingField(forms.Field):
    """The canvas drawing as a PNG data URL (filled by ``alliance/static/alliance/signature.js``).

    Not typed text, so not a ``CharField`` (whose limits are for what staff write): bounded by
    the largest signature image accepted; ``agreements.decode_signature`` checks the rest.
    """

    widget = forms.HiddenInput
    max_chars = len(DATA_URL_PREFIX) + MAX_SIGNATURE_BYTES * 4 // 3 + 4

    def to_python(self, value: Any) -> str:
        text = "" if value is None else str(value)
        if len(text) > self.max_chars:
            raise forms.ValidationError("the drawing is too large.")
        return text


class SigningForm(forms.Form):
    typed_name = forms.CharField(max_length=120, label="Your full name")
    signature = DrawingField(required=False)
    agreed = forms.BooleanField(
        required=False,
        label="I cannot or prefer not to draw: I agree, and my typed name is my signature",
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    title = forms.CharField(max_length=200)
    file = forms.FileField(
        help_text=f"PDF, JPEG or PNG, at most {MAX_BYTES // (1024 * 1024)} MB.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return upload
