"""Fee forms. Amounts are typed as decimals in the organization's currency and leave the form
as integer minor units (``alliance.core.fees.parse_money``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from alliance.core.fees import AbsenceCharge, MoneyError, parse_money
from alliance.fees.models import ABSENCE_CHOICES, ChargeKind, PaymentMethod

MAX_SCALE_BYTES = 200_000


class AmountField(forms.CharField):
    """A decimal amount in ``currency`` → minor units (int)."""

    def __init__(self, *, currency: str = "USD", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)
        self.currency = currency
        self.help_text = self.help_text or f"In {currency}, e.g. 25 or 25.50."

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            return parse_money(str(text), self.currency)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from exc


class _MoneyForm(forms.Form):
    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, AmountField):
                field.currency = currency
                field.help_text = f"In {currency}, e.g. 25 or 25.50."


def _date(label: str = "Date", required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class CurrencyForm(forms.Form):
    currency = forms.CharField(
        max_length=3, min_length=3, help_text="ISO 4217 code, e.g. USD, CAD, NZD, GBP."
    )


class ScheduleForm(_MoneyForm):
    intake_fee = AmountField(label="Intake fee")
    session_fee = AmountField(label="Fee per session")
    materials_fee = AmountField(label="Materials fee")
    absences_charged = forms.ChoiceField(label="Absences", choices=ABSENCE_CHOICES)
    charge_makeups = forms.BooleanField(label="Charge make-up sessions", required=False)

    def absence_rule(self) -> AbsenceCharge:
        return AbsenceCharge(self.cleaned_data["absences_charged"])


class ScaleForm(forms.Form):
    file = forms.FileField(
        label="Sliding-scale table (CSV)",
        help_text="Columns band, household_size, max_income, fee_percent (see the guide).",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SCALE_BYTES:
            raise forms.ValidationError("The file is larger than 200 KB; a scale is a few rows.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("Save the table as CSV in UTF-8.") from exc


class GenerateForm(forms.Form):
    through = _date("Charge sessions held up to")


class AgencyPolicyForm(forms.Form):
    unpaid_blocks_completion = forms.BooleanField(
        label="Unpaid fees stop completion for men this agency referred", required=False
    )
    fees_in_court_documents = forms.BooleanField(
        label="Show his fee balance in documents to this agency", required=False
    )
    standard = forms.CharField(
        label="The standard that requires it",
        max_length=300,
        required=False,
        help_text="The statute, order or written agency policy (required to turn either on).",
    )


class AssessForm(_MoneyForm):
    household_income = AmountField(label="Yearly household income")
    household_size = forms.IntegerField(label="People in the household", min_value=1, max_value=30)


class ChargeForm(_MoneyForm):
    charge_kind = forms.ChoiceField(
        label="Charge",
        choices=[(k.value, k.label) for k in ChargeKind if k is not ChargeKind.SESSION],
    )
    amount = AmountField(
        label="Amount",
        required=False,
    )
    on = _date()
    memo = forms.CharField(label="Note (staff only)", max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("charge_kind") == ChargeKind.OTHER and not data.get("amount"):
            self.add_error("amount", "Give the amount of this charge.")
        return data


class PaymentForm(_MoneyForm):
    amount = AmountField(label="Amount")
    method = forms.ChoiceField(label="Paid by", choices=PaymentMethod.choices)
    reference = forms.CharField(
        label="Reference",
        max_length=64,
        required=False,
        help_text="Card authorization, cheque or voucher number.",
    )
    payer = forms.CharField(
        label="Third-party payer", max_length=200, required=False, help_text="If not him."
    )
    on = _date()
    memo = forms.CharField(label="Note (staff only)", max_length=500, required=False)


class RefundForm(_MoneyForm):
    amount = AmountField(label="Amount")
    method = forms.ChoiceField(label="Refunded by", choices=PaymentMethod.choices)
    reference = forms.CharField(label="Reference", max_length=64, required=False)
    on = _date()
    memo = forms.CharField(label="Note (staff only)", max_length=500, required=False)


class ReverseForm(forms.Form):
    reason = forms.CharField(label="Why it is reversed", max_length=500)


class WaiverRequestForm(_MoneyForm):
    amount = AmountField(label="Amount to waive")
    reason = forms.CharField(
        label="Hardship", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class WaiverDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("decline", "Decline")])
    note = forms.CharField(label="Note", max_length=300, required=False)


class MonthForm(forms.Form):
    month = forms.CharField(max_length=7, help_text="YYYY-MM")

    def clean_month(self) -> dt.date:
        text = self.cleaned_data["month"]
        try:
            return dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError as exc:
            raise forms.ValidationError(f"{text!r} is not a month; write YYYY-MM.") from exc


class PeriodForm(forms.Form):
    start = _date("From")
    end = _date("To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The period must end on or after its start.")
        return data
