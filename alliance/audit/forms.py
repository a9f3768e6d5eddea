from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from alliance.audit.selectors import Filters, staff_of
from alliance.formtools import model_choices
from alliance.organizations.models import Membership
from alliance.participants.models import Participant
from alliance.participants.permissions import visible_participants


class AccessLogFilterForm(forms.Form):
    """The filters of the access log page and its CSV export. Choices carry ids only, so the
    page's address never holds a participant code."""

    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(), required=False, empty_label="Everyone"
    )
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="All staff",
        label="Viewed by",
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participant = model_choices(self, "participant")
        participant.queryset = visible_participants(membership).order_by("code")
        # Django labels each choice through this method; one line per field beats a subclass.
        participant.label_from_instance = lambda obj: str(obj.code)  # type: ignore[method-assign]
        user = model_choices(self, "user")
        user.queryset = staff_of(membership)
        user.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            str(obj.get_full_name() or obj.get_username())
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            participant=data.get("participant"),
            user=data.get("user"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
