"""Forms of the safety pages; every field has a label (templates render them with <label>)."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.core.partner_reports import PARTNER_REPORT
from alliance.participants.widgets import CodeInput
from alliance.safety.models import (
    ConcernLevel,
    ConsentDecision,
    ContactMethod,
    FlagRecipient,
    NotificationKind,
    ReportMode,
)
from alliance.safety.services import BREAK_GLASS_REASON_MIN

DATE = forms.DateInput(attrs={"type": "date"})


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=500, strip=True, help_text=help_text
    )


def _area(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartnerForm(forms.Form):
    name = _text("Partner's name", required=True)
    relationship = _text("Relationship to him", help_text="For example: wife, former partner.")
    phone = _text("Phone")
    email = _text("Email")
    address = _area("Address")
    language = _text("Preferred language")
    safe_times = _area("When it is safe to contact her", help_text="Days and hours.")
    safe_methods = _area("How it is safe to contact her", help_text="Call, text, email, ...")
    cautions = _area("Never do", help_text="For example: never leave a voicemail.")
    notes = _area("Notes")


class NewPartnerForm(PartnerForm):
    """The man is typed as his code (codes offered as she types, not a list of every code)."""

    participant = forms.CharField(label="The man (participant code)", max_length=32)

    def __init__(self, *args: Any, participants: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.by_code = {code.upper(): pk for pk, code in participants}
        self.fields["participant"].widget = CodeInput(sorted(code for _, code in participants))

    def clean_participant(self) -> str:
        code = str(self.cleaned_data["participant"]).strip()
        pk = self.by_code.get(code.upper())
        if pk is None and code.isdigit() and int(code) in self.by_code.values():
            pk = int(code)  # his record id, as a link or an older form sends it
        if pk is None:
            raise forms.ValidationError(
                f"No man with the code “{code}” in your organization. Check the code."
            )
        return str(pk)


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label="He allows us to tell her of", choices=NotificationKind.choices)
    signed_on = forms.DateField(label="Signed on", widget=DATE)


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label="Revoked on", widget=DATE)


class ConcernForm(forms.Form):
    level = forms.ChoiceField(label="Level", choices=ConcernLevel.choices)
    raised_on = forms.DateField(label="Date", widget=DATE)
    narrative = _area("What happened, what she said", required=True)


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label="Resolved on", widget=DATE)
    resolution = _area("How it was resolved", required=True)


class SendForm(forms.Form):
    confirmed_safe = forms.BooleanField(
        label="I have checked her safe-contact preferences and contacting her now is safe",
        required=False,
    )
    method = forms.ChoiceField(label="How she was told", choices=ContactMethod.choices)
    message = _area("What she was told", required=True)
    note = _area("Note (optional)")


class CancelForm(forms.Form):
    reason = _area("Why it will not be sent", required=True)


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label="Date", widget=DATE)
    method = forms.ChoiceField(label="How", choices=ContactMethod.choices)
    message = _area("What was said", required=True)


class BreakGlassForm(forms.Form):
    partner = forms.ChoiceField(label="Record to open")
    reason = forms.CharField(
        label="Reason (the safety team will read it)",
        min_length=BREAK_GLASS_REASON_MIN,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, records: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose...")] + [(str(pk), label) for pk, label in records]


class ReportConsentForm(forms.Form):
    decision = forms.ChoiceField(label="Her answer", choices=ConsentDecision.choices)
    decided_on = forms.DateField(label="Date she answered", widget=DATE)
    how = forms.ChoiceField(label="How she answered", choices=ReportMode.choices)
    note = _area("Note (optional)", help_text="For example: she prefers to be asked monthly.")


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label="Withdrawn on", widget=DATE)


def _item_field(index: int) -> forms.TypedChoiceField:
    item = PARTNER_REPORT.items[index]
    return forms.TypedChoiceField(
        label=item.text,
        choices=[("", "She did not answer")]
        + [(str(value), f"{value} — {anchor}") for value, anchor in enumerate(item.anchors)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class PartnerReportForm(forms.Form):
    reported_on = forms.DateField(label="Date of her report", widget=DATE)
    mode = forms.ChoiceField(label="How she gave it", choices=ReportMode.choices)
    felt_safety = _item_field(0)
    controlling = _item_field(1)
    respectful = _item_field(2)
    change = _item_field(3)
    worker_note = _area("Your note (optional)")


class FlagReleaseForm(forms.Form):
    recipient = forms.ChoiceField(
        label="She allows the discrepancy flag to be told to", choices=FlagRecipient.choices
    )
    given_on = forms.DateField(label="Date she gave it", widget=DATE)
    how = forms.ChoiceField(label="How she gave it", choices=ReportMode.choices)
