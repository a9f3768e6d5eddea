from __future__ import annotations

from django import forms

from alliance.core.enrollment import DischargeReason
from alliance.programs.models import Group


class StatusChangeForm(forms.Form):
    effective_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    discharge_reason = forms.ChoiceField(
        choices=[("", "—")]
        + [(r.value, r.value.replace("_", " ").capitalize()) for r in DischargeReason],
        required=False,
    )
    group = forms.ModelChoiceField(queryset=Group.objects.none(), required=False)
    confirm = forms.BooleanField(label="I have checked this and want to record it.")

    def __init__(self, *args: object, groups: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if groups is not None:
            self.fields["group"].queryset = groups  # type: ignore[attr-defined]
