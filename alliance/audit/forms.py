from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from alliance.audit.selectors import Filters, staff_of
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
        participants = visible_participants(membership).order_by("code")
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]
        self.fields["participant"].label_from_instance = lambda p: p.code  # type: ignore[attr-defined]
        users = staff_of(membership)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: u.get_full_name() or u.get_username()
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
