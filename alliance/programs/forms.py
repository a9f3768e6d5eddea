from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from alliance.core.program_policy import PRESETS
from alliance.core.vocabulary import AttendanceMark, Departure
from alliance.organizations.models import Site
from alliance.programs.models import (
    DEPARTURE_LABELS,
    CompetencyRule,
    CurriculumSession,
    Group,
    Program,
    SessionStatus,
)
from alliance.programs.setup_services import GROUP_FIELDS, PROGRAM_FIELDS


class AttendanceForm(forms.Form):
    mark = forms.ChoiceField(choices=[(m.value, m.value) for m in AttendanceMark])
    minutes_late = forms.IntegerField(min_value=0, max_value=600, required=False)
    revision = forms.IntegerField(min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # No silent default: a late mark needs the minutes the facilitator typed.
        if data.get("mark") == AttendanceMark.LATE.value and not data.get("minutes_late"):
            self.add_error(
                "minutes_late",
                "Type how many minutes late he arrived (1 to 600) in the box, then press Late.",
            )
        return data


class SessionNotesForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    status = forms.ChoiceField(choices=SessionStatus.choices)
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ScheduleForm(forms.Form):
    first_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(min_value=1, max_value=60, initial=12)


class ProgramForm(forms.ModelForm):  # type: ignore[type-arg]
    """Every policy field of a program, each editable whatever the preset filled in."""

    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "completion_criteria": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "max_unexcused_absences": "Unexcused absences allowed",
            "max_excused_absences": "Excused absences allowed",
            "max_total_absences": "Absences of either kind allowed",
            "min_attended_sessions": "Sessions required to complete",
            "max_program_days": "Days allowed to complete",
            "makeup_sessions_allowed": "Make-up sessions allowed",
            "min_attended_hours": "Hours required to complete",
            "left_early_minutes_as_absence": "Leaving this many minutes early is an absence",
            "sent_home_counts_as_attended": "A man sent home still counts as attending",
            "video_attendance_allowed": "Attendance by live video allowed",
            "leave_pauses_clock": "An approved leave pauses the clock",
            "competencies_required": "Competencies required to complete",
        }

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)
        site_field.queryset = sites
        site_field.empty_label = None
        # Older forms (and imports) that do not send it keep attendance-only completion.
        self.fields["competencies_required"].required = False

    def clean_competencies_required(self) -> str:
        return str(self.cleaned_data.get("competencies_required") or CompetencyRule.NONE)


class PresetForm(forms.Form):
    preset = forms.ChoiceField(
        label="Start from a standard",
        choices=[(p.key, p.label) for p in PRESETS.values()],
    )


class CurriculumSessionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CurriculumSession
        fields = ["topic", "is_core", "duration_minutes", "materials"]
        widgets = {"materials": forms.Textarea(attrs={"rows": 2})}
        labels = {"is_core": "Core session (required to complete)"}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class GroupForm(forms.ModelForm):  # type: ignore[type-arg]
    facilitator = StaffChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Facilitator"
    )
    co_facilitator = StaffChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Co-facilitator"
    )

    class Meta:
        model = Group
        fields = list(GROUP_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "meeting_time": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {"kind": "Closed cohort or rolling", "starts_on": "First session"}
        help_texts = {"capacity": "Most men in the group (Washington: at most 12)."}

    def __init__(
        self,
        *args: Any,
        programs: QuerySet[Program],
        sites: QuerySet[Site],
        staff: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("program", programs), ("site", sites)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        users = get_user_model().objects.filter(membership__in=staff).order_by("username")
        for name in ("facilitator", "co_facilitator"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = users
        self.fields["weekday"].required = True
        group = self.instance
        if group.pk and group.facilitator_id is None:
            # Groups made before lead and co-facilitator existed (or by the demo) only have
            # the list: offer it, so saving the form does not drop anyone from the group.
            current = list(group.facilitators.order_by("pk")[:2])
            if not self.initial.get("facilitator"):
                self.initial["facilitator"] = current[0].pk if current else None
            if not self.initial.get("co_facilitator"):
                self.initial["co_facilitator"] = current[1].pk if len(current) > 1 else None
        if group.pk and self.initial.get("weekday") is None:
            self.initial["weekday"] = group.starts_on.weekday()


class GenerateScheduleForm(forms.Form):
    count = forms.IntegerField(label="Sessions to add", min_value=1, max_value=104)


class CancelSessionForm(forms.Form):
    reason = forms.CharField(max_length=200)


class MoveSessionForm(forms.Form):
    held_on = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="New time", widget=forms.TimeInput(attrs={"type": "time"}))


class HolidayForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(max_length=120)


class CompetencyForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_required = forms.BooleanField(
        required=False,
        initial=True,
        label="Required to complete (when the program requires the listed ones)",
    )


class CompetencyEditForm(CompetencyForm):
    is_active = forms.BooleanField(
        required=False, initial=True, label="In use (untick to retire it, keeping sign-offs)"
    )


class AttendanceDetailsForm(forms.Form):
    """Times, an early departure or sending home, and video, for a man marked present or late."""

    arrived_at = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    left_at = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    departure = forms.ChoiceField(
        choices=[(d.value, DEPARTURE_LABELS[d]) for d in Departure], required=False
    )
    departure_reason = forms.CharField(max_length=300, required=False)
    by_video = forms.BooleanField(required=False)
    identity_confirmed = forms.BooleanField(required=False)
    revision = forms.IntegerField(min_value=0, required=False)


class SessionTimesForm(forms.Form):
    actual_start = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    actual_end = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
