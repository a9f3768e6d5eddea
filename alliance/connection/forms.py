"""Forms parse and type the input; the services decide what is allowed (and name the field)."""

from __future__ import annotations

from django import forms

from alliance.core.connection import ROLE_DETAIL_MAX, role_problem

from .models import ContactFrequency, ContactMode, EndReason, NetworkRole, SupportsChange
from .services import NOTE_MAX

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, required=required)


class SupportPersonForm(forms.Form):
    role = forms.ChoiceField(choices=NetworkRole.choices, label="Role")
    role_detail = forms.CharField(
        max_length=ROLE_DETAIL_MAX,
        required=False,
        label="Role in his words (optional; required for Other)",
        help_text="A role, never a name: 'cousin', 'coach at the gym', 'friend from church'.",
    )
    frequency = forms.ChoiceField(choices=ContactFrequency.choices, label="How often in contact")
    supportive = forms.ChoiceField(choices=SupportsChange.choices, label="Supportive of change")
    recorded_on = _date("Recorded with him on")

    def clean_role_detail(self) -> str:
        value = str(self.cleaned_data.get("role_detail") or "").strip()
        if value:
            problem = role_problem(value)
            if problem:
                raise forms.ValidationError(problem)
        return value


class ReviewForm(forms.Form):
    frequency = forms.ChoiceField(choices=ContactFrequency.choices, label="How often in contact")
    supportive = forms.ChoiceField(choices=SupportsChange.choices, label="Supportive of change")
    in_network = forms.TypedChoiceField(
        choices=[("yes", "Still in his life"), ("no", "No longer in contact")],
        coerce=lambda v: v == "yes",
        label="Still in his life",
    )
    recorded_on = _date("Recorded with him on")


class VetMentorForm(forms.Form):
    enrollment = forms.IntegerField(label="Man who completed the program")
    vetted_on = _date("Vetted on")
    consented_on = _date("He consented to mentor on")
    capacity = forms.IntegerField(min_value=1, max_value=5, initial=3, label="Men he may mentor")
    notes = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Vetting notes",
    )


class MentorForm(forms.Form):
    active = forms.BooleanField(required=False, label="Active (may take new men)")
    capacity = forms.IntegerField(min_value=1, max_value=5, label="Men he may mentor")
    notes = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Vetting notes",
    )
    consent_withdrawn_on = _date("He withdrew his consent on (leave empty if not)", required=False)


class MatchForm(forms.Form):
    mentee = forms.IntegerField(label="Man to mentor")
    mentee_consented_on = _date("He consented to a mentor on")
    mentor_consented_on = _date("The mentor consented to this match on")
    matched_on = _date("Matched on")


class ContactForm(forms.Form):
    contact_on = _date("Date")
    mode = forms.ChoiceField(choices=ContactMode.choices, label="How")
    minutes = forms.IntegerField(min_value=1, max_value=600, label="Minutes")
    note = forms.CharField(
        max_length=NOTE_MAX,
        required=False,
        label="Brief note (non-clinical)",
        help_text="What kind of contact it was, not what was said: 'coffee after group'.",
    )


class EndForm(forms.Form):
    ended_on = _date("Ended on")
    reason = forms.ChoiceField(choices=EndReason.choices, label="Reason")
    note = forms.CharField(max_length=NOTE_MAX, required=False, label="Brief note")
    mentor_told_on = _date("Mentor told on")
    mentee_told_on = _date("Mentee told on")


class HoldForm(forms.Form):
    code = forms.CharField(max_length=40, label="His code")
    placed_on = _date("Placed on")


class LiftForm(forms.Form):
    lifted_on = _date("Lifted on")
