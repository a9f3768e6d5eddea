from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from alliance.core.enrollment import DISCHARGE_REASON_LABELS
from alliance.core.vocabulary import ReferralSource
from alliance.formtools import model_choices
from alliance.participants.models import Participant
from alliance.programs.models import Group, Program


class StatusChangeForm(forms.Form):
    effective_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Date")
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason (internal)",
        help_text=(
            "Stays inside the program: it is never put in a court, probation or other outside "
            "document. A termination notice states only that he was discharged or dropped out, "
            "the dates and, for a discharge, the coded reason."
        ),
    )
    discharge_reason = forms.ChoiceField(
        choices=[("", "—")] + [(r.value, label) for r, label in DISCHARGE_REASON_LABELS.items()],
        required=False,
        label="Discharge reason (sent to the court)",
        help_text=(
            "This coded reason is printed in the termination notice to the referral agency. "
            "Unsuccessful: he did not meet the program's terms. Administrative: he left for a "
            "reason that is not a failure (moved, medical, incarcerated, deceased); a move to "
            "another program is a transfer."
        ),
    )
    group = forms.ModelChoiceField(queryset=Group.objects.none(), required=False)
    confirm = forms.BooleanField(label="I have checked this and want to record it.")

    def __init__(self, *args: Any, groups: QuerySet[Group] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if groups is not None:
            model_choices(self, "group").queryset = groups


class ReferralForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new man and his referral: the intake facts plus the enrollment's referral details."""

    program = forms.ModelChoiceField(queryset=Program.objects.none(), label="Program")
    referral_source = forms.ChoiceField(
        choices=[(s.value, s.value.replace("_", " ").capitalize()) for s in ReferralSource],
        label="Referred by",
    )
    referral_agency = forms.CharField(max_length=200, required=False, label="Referring agency")
    referral_contact_name = forms.CharField(
        max_length=200, required=False, label="Contact person at the agency"
    )
    referral_contact_email = forms.EmailField(required=False, label="Contact's e-mail")
    referral_contact_phone = forms.CharField(max_length=40, required=False, label="Contact's phone")
    case_reference = forms.CharField(
        max_length=64,
        required=False,
        label="Case reference",
        help_text="The agency's own reference for his case, if it gave one.",
    )
    referred_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Date of the referral"
    )

    class Meta:
        model = Participant
        fields = [
            "code",
            "initials",
            "birth_year",
            "relationship_status",
            "employment",
            "education",
            "income_band",
            "prior_offences",
            "prior_ipv_offences",
            "substance_use_concern",
            "primary_language",
            "risk_tool",
            "risk_tool_version",
            "risk_score",
            "risk_band",
            "risk_assessed_on",
            "risk_assessor",
        ]
        widgets = {"risk_assessed_on": forms.DateInput(attrs={"type": "date"})}
        # In the words staff use (usability finding D18), not the field names.
        labels = {
            "code": "Participant code",
            "initials": "Initials",
            "birth_year": "Year of birth",
            "relationship_status": "Relationship status",
            "employment": "Employment",
            "education": "Education",
            "income_band": "Income",
            "prior_offences": "Earlier offences (any kind)",
            "prior_ipv_offences": "Earlier offences against a partner",
            "substance_use_concern": "Concern about alcohol or drug use",
            "primary_language": "Language he prefers",
            "risk_tool": "Risk assessment tool",
            "risk_tool_version": "Tool version",
            "risk_score": "Risk score",
            "risk_band": "Risk band",
            "risk_assessed_on": "Date of the risk assessment",
            "risk_assessor": "Assessed by",
        }
        help_texts = {
            "prior_offences": "How many, as far as the referral says; leave empty if unknown.",
            "prior_ipv_offences": "Of those, how many against a partner or former partner.",
            "substance_use_concern": "Whether the referral or intake raised one.",
            "primary_language": (
                "For example English, Spanish or French: his phone and kiosk pages use it "
                "where Alliance has it, else English."
            ),
            "risk_tool": "A licensed tool scored elsewhere (ODARA, SARA, DVSI-R…); optional.",
        }

    def __init__(self, *args: Any, programs: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        model_choices(self, "program").queryset = programs

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        if Participant.objects.filter(organization=self.organization, code=code).exists():
            raise forms.ValidationError("This code is already in use in your organization.")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        prior, ipv = data.get("prior_offences"), data.get("prior_ipv_offences")
        if prior is not None and ipv is not None and ipv > prior:
            self.add_error("prior_ipv_offences", "Cannot exceed the number of prior offences.")
        return data


class SignOffForm(forms.Form):
    competency = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    evidence_note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Evidence (what he did or said that shows it)",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("return", "Return")])
    reason = forms.CharField(max_length=500, required=False, label="Reason for returning it")


class LeaveForm(forms.Form):
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="From")
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="To")
    reason = forms.CharField(max_length=500, label="Reason")
