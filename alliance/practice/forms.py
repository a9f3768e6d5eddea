from __future__ import annotations

from django import forms

from alliance.practice.models import PlanGoal, Practice, StateMoment


def _rating() -> forms.IntegerField:
    return forms.IntegerField(min_value=0, max_value=10, required=False)


def _long_text(limit: int, help_text: str = "") -> forms.CharField:
    # The model's TextField has no limit: without one here, any size was stored (item 9).
    return forms.CharField(
        max_length=limit, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


class PracticeForm(forms.ModelForm):  # type: ignore[type-arg]
    audio_url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        label="Link to a recording (optional)",
        help_text="Your agency's own recording of the script, e.g. https://…/breathing.mp3.",
    )
    purpose = _long_text(2000)
    steps = _long_text(4000, "One step per line.")
    script = _long_text(20000, "The guided script, read aloud or followed on a phone.")

    class Meta:
        model = Practice
        fields = [
            "title",
            "slug",
            "purpose",
            "steps",
            "script",
            "minutes",
            "introduced_in_session",
            "audio_url",
            "is_active",
        ]
        # In the words of the page (usability finding D18), not the field names.
        labels = {
            "title": "Title",
            "slug": "Short name for addresses",
            "purpose": "What it is for",
            "steps": "Steps",
            "script": "Script",
            "minutes": "Minutes it takes",
            "introduced_in_session": "Introduced in session number",
            "is_active": "Offered to men",
        }
        help_texts = {
            "title": "As the men will see it, e.g. “Soothing rhythm breathing”.",
            "slug": "Lower-case letters, digits and hyphens, e.g. soothing-breathing; unique.",
            "minutes": "About how long one practice takes.",
            "introduced_in_session": "The curriculum session that introduces it (optional).",
            "is_active": "Untick to retire it: it stays in the records but cannot be assigned.",
        }


class AssignForm(forms.Form):
    practice = forms.IntegerField()
    due_on = forms.DateField()
    session = forms.IntegerField(required=False)


class PracticeLogForm(forms.Form):
    key = forms.CharField(max_length=64)
    done = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes"
    )
    minutes = forms.IntegerField(min_value=0, max_value=240, required=False)
    calm_before = _rating()
    calm_after = _rating()
    threat_before = _rating()
    threat_after = _rating()
    connection_before = _rating()
    connection_after = _rating()
    note = forms.CharField(max_length=2000, required=False)


class AccountabilityForm(forms.Form):
    key = forms.CharField(max_length=64)
    situation = forms.CharField(max_length=4000)
    what_he_did = forms.CharField(max_length=4000)
    what_he_wanted = forms.CharField(max_length=4000, required=False)
    belief_then = forms.CharField(max_length=4000, required=False)
    effect_on_partner = forms.CharField(max_length=4000, required=False)
    effect_on_children = forms.CharField(max_length=4000, required=False)
    effect_on_others = forms.CharField(max_length=4000, required=False)
    minimising = forms.BooleanField(required=False)
    denying = forms.BooleanField(required=False)
    blaming = forms.BooleanField(required=False)
    could_do_instead = forms.CharField(max_length=4000, required=False)
    repair_step = forms.CharField(max_length=4000, required=False)


class ReminderForm(forms.Form):
    email = forms.EmailField(required=False)
    opted_out = forms.BooleanField(required=False)


class FeedbackForm(forms.Form):
    body = forms.CharField(max_length=4000)


class GoalForm(forms.Form):
    goal = forms.CharField(max_length=300)
    review_on = forms.DateField()


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanGoal.Status.choices)
    note = forms.CharField(max_length=500, required=False)
    review_on = forms.DateField(required=False, label="New review date")


class SelfPracticeForm(forms.Form):
    practice = forms.IntegerField(required=False)
    practised_on = forms.DateField()
    minutes = forms.IntegerField(min_value=0, max_value=240)
    reflection = forms.CharField(max_length=4000, required=False)


class SignInForm(forms.Form):
    """His practice code and PIN (the field names say nothing of what they protect)."""

    code = forms.CharField(max_length=20, strip=True)
    pin = forms.CharField(max_length=12, strip=True, widget=forms.PasswordInput)


class FacilitatorStateForm(forms.Form):
    session = forms.IntegerField(min_value=1)
    moment = forms.ChoiceField(choices=StateMoment.choices)
    calm = forms.IntegerField(min_value=0, max_value=10)
    threat = forms.IntegerField(min_value=0, max_value=10)
    connection = forms.IntegerField(min_value=0, max_value=10)
