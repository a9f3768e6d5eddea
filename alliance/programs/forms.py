from __future__ import annotations

from django import forms

from alliance.core.vocabulary import AttendanceMark
from alliance.programs.models import SessionStatus


class AttendanceForm(forms.Form):
    mark = forms.ChoiceField(choices=[(m.value, m.value) for m in AttendanceMark])
    minutes_late = forms.IntegerField(min_value=0, max_value=600, required=False)
    revision = forms.IntegerField(min_value=0, required=False)


class SessionNotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    status = forms.ChoiceField(choices=SessionStatus.choices)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ScheduleForm(forms.Form):
    first_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(min_value=1, max_value=60, initial=12)
