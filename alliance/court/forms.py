"""The court-order and agency forms; every error names its field."""

from __future__ import annotations

from typing import Any

from django import forms

from alliance.core.clocks import PRESETS
from alliance.court.models import CourtOrder, ProtectiveOrderType, ReportingClock
from alliance.court.services import AgencyDetails, ClockDetails, OrderDetails
from alliance.organizations.models import Agency

DATE = forms.DateInput(attrs={"type": "date"})


def _days(label: str, help_text: str = "", *, maximum: int = 366) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=maximum, help_text=help_text
    )


class CourtOrderForm(forms.Form):
    ordered_on = forms.DateField(label="Date of the order", required=False, widget=DATE)
    sessions_ordered = forms.IntegerField(
        label="Sessions ordered", required=False, min_value=1, max_value=520
    )
    weeks_ordered = forms.IntegerField(
        label="Weeks ordered",
        required=False,
        min_value=1,
        max_value=520,
        help_text="When the order counts weeks rather than sessions (or both).",
    )
    start_by = forms.DateField(label="Start by", required=False, widget=DATE)
    complete_by = forms.DateField(label="Completion deadline", required=False, widget=DATE)
    protective_order_type = forms.ChoiceField(
        label="Protective order", required=False, choices=ProtectiveOrderType.choices
    )
    protective_order_expires = forms.DateField(
        label="Protective order expires", required=False, widget=DATE
    )
    other_conditions = forms.CharField(
        label="Other conditions",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As the court wrote them. Court and probation documents carry them.",
    )

    def details(self) -> OrderDetails:
        data = self.cleaned_data
        return OrderDetails(
            ordered_on=data["ordered_on"],
            sessions_ordered=data["sessions_ordered"],
            weeks_ordered=data["weeks_ordered"],
            start_by=data["start_by"],
            complete_by=data["complete_by"],
            protective_order_type=data["protective_order_type"] or "",
            protective_order_expires=data["protective_order_expires"],
            other_conditions=data["other_conditions"] or "",
        )


def order_initial(order: CourtOrder | None) -> dict[str, Any]:
    if order is None:
        return {}
    return {name: getattr(order, name) for name in CourtOrderForm.base_fields}


PRESET_CHOICES = [("", "Custom (set the days below)")] + [
    (key, preset.label) for key, preset in PRESETS.items()
]


class ClockForm(forms.Form):
    preset = forms.ChoiceField(
        label="Start from a standard",
        required=False,
        choices=PRESET_CHOICES,
        help_text="Choosing a standard fills in its clocks; fields you fill in override it.",
    )
    enrollment_notice_days = _days("Enrollment notice within (days)", "Of his intake.")
    progress_every_weeks = _days("Progress report every (weeks)", maximum=52)
    progress_monthly_day = forms.IntegerField(
        label="Or: progress report monthly, by day",
        required=False,
        min_value=1,
        max_value=28,
        help_text="For the month just ended (Texas: by the 10th). Leave the weeks empty.",
    )
    noncompliance_days = _days(
        "Non-compliance notice within (days)", "Of the day he was found in breach."
    )
    noncompliance_business_days = forms.BooleanField(
        label="Count the non-compliance days as business days", required=False
    )
    closing_notice_days = _days("Completion or termination notice within (days)")
    repair_window_days = _days(
        "Repair window (days)",
        "Time for a make-up before the notice goes. It never delays the notice past its "
        "deadline above.",
        maximum=60,
    )
    repair_window_basis = forms.CharField(
        label="Where the agency allows a repair window",
        required=False,
        max_length=300,
        help_text="The standard, agreement or letter that allows it (required with a window).",
    )

    def details(self) -> ClockDetails:
        data = dict(self.cleaned_data)
        preset = PRESETS.get(data.get("preset") or "")
        if preset is not None:
            rule = preset.rule
            for name in (
                "enrollment_notice_days",
                "progress_every_weeks",
                "progress_monthly_day",
                "noncompliance_days",
                "closing_notice_days",
            ):
                if data.get(name) is None:
                    data[name] = getattr(rule, name)
            if not data.get("noncompliance_business_days"):
                data["noncompliance_business_days"] = rule.noncompliance_business_days
        return ClockDetails(
            preset=data.get("preset") or "",
            enrollment_notice_days=data["enrollment_notice_days"],
            progress_every_weeks=data["progress_every_weeks"],
            progress_monthly_day=data["progress_monthly_day"],
            noncompliance_days=data["noncompliance_days"],
            noncompliance_business_days=bool(data["noncompliance_business_days"]),
            closing_notice_days=data["closing_notice_days"],
            repair_window_days=data["repair_window_days"] or None,
            repair_window_basis=data["repair_window_basis"] or "",
        )


def clock_initial(clock: ReportingClock | None) -> dict[str, Any]:
    if clock is None:
        return {}
    return {name: getattr(clock, name) for name in ClockForm.base_fields}


class AgencyForm(ClockForm):
    name = forms.CharField(label="Agency name", max_length=200)
    kind = forms.ChoiceField(label="Kind of agency", choices=Agency.Kind.choices)
    email = forms.EmailField(label="E-mail for documents", required=False)
    phone = forms.CharField(label="Phone", required=False, max_length=40)
    address = forms.CharField(
        label="Address", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["name", "kind", "email", "phone", "address"]

    def agency_details(self) -> AgencyDetails:
        data = self.cleaned_data
        return AgencyDetails(
            name=data["name"],
            kind=data["kind"],
            email=data["email"] or "",
            phone=data["phone"] or "",
            address=data["address"] or "",
        )


def agency_initial(agency: Agency, clock: ReportingClock | None) -> dict[str, Any]:
    initial = clock_initial(clock)
    initial.update(
        name=agency.name,
        kind=agency.kind,
        email=agency.email,
        phone=agency.phone,
        address=agency.address,
    )
    return initial
